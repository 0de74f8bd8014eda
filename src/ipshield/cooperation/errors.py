"""Stable error codes of the cooperation app (assistance requests, joint enforcement, transfers,
criminal referral). Other departments' systems may branch on them: never rename one."""

from ipshield.cases.errors import REFERRAL_REQUIRED, ROLE_NOT_ALLOWED

# Who may act.
NOT_RECEIVER = "cooperation_not_receiver"  # only the receiving unit may answer
NOT_SENDER = "cooperation_not_sender"  # only the sending unit may withdraw
CASE_NOT_OWNED = "cooperation_case_not_owned"  # only the unit handling a case may ask/transfer
NOT_LEAD_UNIT = "joint_operation_not_lead"
NOT_PARTICIPANT = "joint_operation_not_participant"

# State.
ILLEGAL_TRANSITION = "cooperation_illegal_transition"
ALREADY_ACKNOWLEDGED = "cooperation_already_acknowledged"
NOT_ACKNOWLEDGED = "cooperation_not_acknowledged"
ALREADY_ANSWERED = "cooperation_already_answered"
CASE_FINISHED = "cooperation_case_finished"  # a closed or rejected case cannot move
TRANSFER_PENDING = "transfer_pending"  # one open transfer per case
USE_REFERRAL = "transfer_use_referral"  # police get cases through a criminal referral
ALREADY_REFERRED = "criminal_referral_exists"
AWAITING_RECEIPT = "criminal_referral_awaiting_receipt"
NO_POLICE_UNIT = "criminal_referral_no_police_unit"

# Input.
SAME_UNIT = "cooperation_same_unit"
REASON_REQUIRED = "cooperation_reason_required"  # a refusal, decision or transfer needs a reason
FIELD_REQUIRED = "cooperation_field_required"
RECEIPT_REQUIRED = "cooperation_receipt_required"  # answering for an external unit
DUE_IN_PAST = "cooperation_due_in_past"
INVALID_AMOUNT = "criminal_facts_invalid_amount"
INVALID_PERIOD = "joint_operation_invalid_period"

__all__ = [
    "ALREADY_ACKNOWLEDGED",
    "ALREADY_ANSWERED",
    "ALREADY_REFERRED",
    "AWAITING_RECEIPT",
    "CASE_FINISHED",
    "CASE_NOT_OWNED",
    "DUE_IN_PAST",
    "FIELD_REQUIRED",
    "ILLEGAL_TRANSITION",
    "INVALID_AMOUNT",
    "INVALID_PERIOD",
    "NOT_ACKNOWLEDGED",
    "NOT_LEAD_UNIT",
    "NOT_PARTICIPANT",
    "NOT_RECEIVER",
    "NOT_SENDER",
    "NO_POLICE_UNIT",
    "REASON_REQUIRED",
    "RECEIPT_REQUIRED",
    "REFERRAL_REQUIRED",
    "ROLE_NOT_ALLOWED",
    "SAME_UNIT",
    "TRANSFER_PENDING",
    "USE_REFERRAL",
]
