"""Stable error codes of the accounts app."""

USERNAME_TAKEN = "username_taken"
WEAK_PASSWORD = "weak_password"  # noqa: S105 (an error code, not a secret)
UNIT_REQUIRED = "unit_required"
UNKNOWN_ROLE = "unknown_role"
READ_ONLY = "read_only"
TOKEN_INVALID = "token_invalid"  # noqa: S105 (an error code, not a secret)
