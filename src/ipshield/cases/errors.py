"""Stable error codes of the cases app."""

ILLEGAL_TRANSITION = "illegal_transition"
ROLE_NOT_ALLOWED = "role_not_allowed"
REVIEW_REQUIRED = "legal_review_required"
REFERRAL_REQUIRED = "criminal_referral_required"
NOT_A_PENALTY = "not_a_penalty"
NOT_CASE_OWNER = "not_case_owner"
CALENDAR_YEAR_OFFICIAL = "calendar_year_official"
