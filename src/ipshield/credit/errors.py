"""Stable error codes of the credit app. Never rename one: other systems branch on them."""

QUERY_MISSING = "credit_query_missing"
PURPOSE_MISSING = "credit_purpose_missing"
