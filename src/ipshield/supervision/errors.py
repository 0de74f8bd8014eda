"""Stable error codes of plan supervision. Other systems may branch on them: never rename one."""

# Who may act.
NOT_OFFICE = "supervision_not_office"  # only the plan's office runs it
NOT_ASSIGNED_UNIT = "supervision_not_assigned_unit"  # a unit reports only on its own work

# Import.
PLAN_UNREADABLE = "plan_unreadable"  # no measure was recognised
PLAN_FILE_UNREADABLE = "plan_file_unreadable"  # the file is not text, .docx or a PDF with text
UNITS_UNRESOLVED = "plan_units_unresolved"  # uncertain or unmatched names left unconfirmed
UNKNOWN_UNIT = "supervision_unknown_unit"

# State.
PLAN_NOT_DRAFT = "plan_not_draft"
PLAN_NOT_PUBLISHED = "plan_not_published"
PLAN_NO_ASSIGNMENTS = "plan_no_assignments"
ASSIGNMENT_DONE = "assignment_done"
PERIOD_INVALID = "report_period_invalid"
PERIOD_WRONG_CYCLE = "report_period_wrong_cycle"
PERIOD_FUTURE = "report_period_future"
PERIOD_CLOSED = "report_period_closed"
PERIOD_REPORTED = "report_period_reported"
REPORT_NOT_SUBMITTED = "report_not_submitted"
EVIDENCE_REQUIRED = "supervision_evidence_required"
MEASURE_DONE = "measure_done"
FIELD_REQUIRED = "supervision_field_required"
OUT_OF_RANGE = "supervision_out_of_range"
