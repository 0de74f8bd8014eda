"""Stable error codes of the registry app."""

USCC_LENGTH = "uscc_length"
USCC_CHARSET = "uscc_charset"
USCC_CHECK_DIGIT = "uscc_check_digit"
USCC_TAKEN = "uscc_taken"
RIGHT_DUPLICATE = "right_duplicate"
NO_VERIFYING_UNIT = "no_verifying_unit"
RIGHT_NOT_PENDING = "right_not_pending"
