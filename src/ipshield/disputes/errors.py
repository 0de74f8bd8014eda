"""Stable error codes of dispute resolution. Other systems may branch on them: never rename one."""

NOT_ALLOWED = "dispute_action_not_allowed"  # the status does not allow the action
NOT_YOURS = "dispute_not_yours"  # acting on a dispute one is not a party to or handles
FIELD_REQUIRED = "dispute_field_required"
FIELD_INVALID = "dispute_field_invalid"
ORGANISATION_CLOSED = "dispute_organisation_not_online"
NOT_MEDIATING_BODY = "dispute_not_mediating_body"
MEDIATOR_CONFLICT = "mediator_conflict"  # the mediator declared a conflict with a party
MEDIATOR_UNAVAILABLE = "mediator_unavailable"
MEDIATOR_OTHER_ORGANISATION = "mediator_other_organisation"
AGREEMENT_MISSING = "agreement_missing"
AGREEMENT_UNSIGNED = "agreement_unsigned"  # not every party and the mediator signed
AGREEMENT_SIGNED = "agreement_signed"  # the effective text cannot change
SIGN_CODE_WRONG = "sign_code_wrong"
SIGN_CODE_EXPIRED = "sign_code_expired"
SIGN_CODE_MISSING = "sign_code_missing"
SIGN_CODE_ATTEMPTS = "sign_code_attempts"
SIGN_CODE_TOO_SOON = "sign_code_too_soon"  # a new code asked for within a minute of the last
ALREADY_SIGNED = "agreement_already_signed"
CONFIRMATION_LATE = "confirmation_late"  # more than 30 days after the agreement took effect
CONFIRMATION_EXCLUDED = "confirmation_excluded"  # ownership or validity of an IP right
NOT_A_COURT = "dispute_not_a_court"
NOT_A_COMMISSION = "dispute_not_a_commission"
EXTENSION_DONE = "dispute_already_extended"
SESSION_TIMES = "session_times_invalid"
SESSION_NOT_SCHEDULED = "session_not_scheduled"
CAUCUS_PARTY = "caucus_party_invalid"
