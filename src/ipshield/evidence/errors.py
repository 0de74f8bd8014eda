"""Stable error codes of the evidence app (API bodies carry them as ``code``)."""

UPLOAD_EMPTY = "upload_empty"  # the same code as common.uploads uses
UPLOAD_TOO_LARGE = "upload_too_large"
NOT_A_RIGHTS_HOLDER = "not_a_rights_holder"
CASE_CLOSED = "case_closed"
RECEIPT_INVALID = "receipt_invalid"
HASH_INVALID = "sha256_invalid"
NOTHING_TO_VERIFY = "nothing_to_verify"
HASH_MISMATCH = "sha256_mismatch"
