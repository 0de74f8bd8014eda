"""Stable error codes of the yearly evaluation.

Other systems may branch on them: never rename one.
"""

NOT_OFFICE = "evaluation_not_office"  # only the leading group's office edits and finalises
NOT_READER = "evaluation_not_reader"  # the evaluation is for the leading group, leaders, auditors
NO_LEADING_GROUP = "evaluation_no_leading_group"  # no leading group (and so no office) to run it
SHEET_EXISTS = "evaluation_sheet_exists"
SHEET_FINAL = "evaluation_sheet_final"  # finalised: frozen, nothing more may change
UNKNOWN_SOURCE = "evaluation_unknown_source"
UNKNOWN_UNIT = "evaluation_unknown_unit"
FIELD_REQUIRED = "evaluation_field_required"
OUT_OF_RANGE = "evaluation_out_of_range"
NOT_ENTERED = "evaluation_not_entered"  # values are entered only for indicators of source "entered"
NO_INDICATORS = "evaluation_no_indicators"
