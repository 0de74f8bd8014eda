"""Stable error codes of the documents app (never rename one)."""

DATA_MISSING = "document_data_missing"
UNKNOWN_KIND = "document_kind_unknown"
BAD_FORMAT = "document_format"
LAYOUT_INVALID = "document_layout_invalid"
FILE_MISSING = "document_file_missing"
NOT_OFFERED = "document_kind_not_offered"
