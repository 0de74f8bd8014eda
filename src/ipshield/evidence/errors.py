"""Stable error codes of the evidence app (API bodies carry them as ``code``)."""

UPLOAD_EMPTY = "upload_empty"  # the same code as common.uploads uses
UPLOAD_TOO_LARGE = "upload_too_large"
NOT_A_RIGHTS_HOLDER = "not_a_rights_holder"
CASE_CLOSED = "case_closed"
RECEIPT_INVALID = "receipt_invalid"
HASH_INVALID = "sha256_invalid"
NOTHING_TO_VERIFY = "nothing_to_verify"
HASH_MISMATCH = "sha256_mismatch"
# Web capture (网页取证); all name the field "url".
CAPTURE_URL_INVALID = "capture_url_invalid"  # empty, malformed or too long
CAPTURE_SCHEME_NOT_ALLOWED = "capture_scheme_not_allowed"  # not http:// or https://
CAPTURE_CREDENTIALS_IN_URL = "capture_credentials_in_url"  # user:pass@ in the URL
CAPTURE_ADDRESS_BLOCKED = "capture_address_blocked"  # private, loopback, reserved… (any hop)
CAPTURE_HOST_NOT_FOUND = "capture_host_not_found"  # the name does not resolve
CAPTURE_UNREACHABLE = "capture_unreachable"  # refused, reset, TLS failure, bad encoding
CAPTURE_TIMEOUT = "capture_timeout"  # IPSHIELD_CAPTURE_TIMEOUT passed
CAPTURE_TOO_LARGE = "capture_too_large"  # body over IPSHIELD_CAPTURE_MAX_MB
CAPTURE_TOO_MANY_REDIRECTS = "capture_too_many_redirects"  # more than 5
LEDGER_MISSING = "ledger_missing"  # the database refers to a ledger (or key) that is not there
