"""Intake services: complaints, reports and lead notices become received cases.

Each one validates its fields (naming the field in the error), routes the case to the
responsible unit, triages it, links a likely duplicate, stores attachments hashed in the data
directory and returns the case with a one-time access code for the public status page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ipshield.accounts.models import Region, Unit
from ipshield.accounts.selectors import profile_of
from ipshield.cases import crypto, deadlines, record, triage
from ipshield.cases.models import Attachment, Case, ReporterIdentity, Source
from ipshield.cases.selectors import prior_penalties
from ipshield.cases.services import case_receive
from ipshield.cases.workflow import Status
from ipshield.common.errors import InvalidInput, PermissionDenied
from ipshield.common.uploads import validate_upload
from ipshield.credit.services import repeat_infringer
from ipshield.registry.models import Entity, IPRight, RightKind, RightStatus
from ipshield.registry.selectors import holder_of
from ipshield.registry.validation import clean_uscc

DUPLICATE_WINDOW_DAYS = 90
MAX_ATTACHMENTS = 10


@dataclass(frozen=True)
class Submitted:
    case: Case
    access_code: str  # shown once to the submitter, only its hash is kept


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()


def _required(value: str, *, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("请填写%(label)s。") % {"label": label}, field=field)
    if len(value) > max_length:
        raise InvalidInput(
            _("%(label)s最多 %(n)d 个字。") % {"label": label, "n": max_length}, field=field
        )
    return value


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except ArithmeticError as exc:
        raise InvalidInput(_("涉案金额应为数字（元）。"), field="amount_involved") from exc
    if not amount.is_finite():
        raise InvalidInput(_("涉案金额应为数字（元）。"), field="amount_involved")
    if amount < 0 or amount > Decimal("999999999999"):
        raise InvalidInput(_("涉案金额应在 0 到 9999 亿元之间。"), field="amount_involved")
    return amount.quantize(Decimal("0.01"))


def _infringer(uscc: str, name: str) -> Entity | None:
    if uscc and uscc.strip():
        code = clean_uscc(uscc, field="infringer_uscc")
        return Entity.objects.filter(uscc=code).first()
    return None


def _check_files(files: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    if len(files) > MAX_ATTACHMENTS:
        raise InvalidInput(
            _("最多上传 %(n)d 个文件。") % {"n": MAX_ATTACHMENTS}, field="attachments"
        )
    return [(f, validate_upload(f, field="attachments")) for f in files]


def _store_files(case: Case, checked: list[tuple[UploadedFile, str]], actor: Any) -> None:
    """Write the files last; if writing one fails, remove those already written."""
    stored: list[Attachment] = []
    try:
        for upload, kind in checked:
            stored.append(_store_file(case, upload, kind, actor))
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def _store_file(case: Case, upload: UploadedFile, kind: str, actor: Any) -> Attachment:
    hasher = hashlib.sha256()
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        original_name=(upload.name or "file")[:200],
        kind=kind,
        size=upload.size or 0,
        sha256=hasher.hexdigest(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(f"{case.number}-{secrets.token_hex(4)}.{kind}", upload, save=False)
    attachment.save()
    record.attachment_added(case=case, actor=actor, attachment=attachment)
    return attachment


def _link_duplicate(case: Case, actor: Any) -> None:
    """Same infringer (entity, or normalised name) and same right within the window."""
    if case.infringer_id is None and not case.infringer_name:
        return
    since = case.received_at - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    earlier = Case.objects.filter(received_at__gte=since).exclude(pk=case.pk)
    earlier = earlier.exclude(status=Status.REJECTED)
    if case.infringer_id:
        earlier = earlier.filter(infringer_id=case.infringer_id)
    else:
        earlier = earlier.filter(infringer_name=case.infringer_name)
    earlier = earlier.filter(right_id=case.right_id) if case.right_id else earlier
    original = earlier.order_by("received_at").first()
    if original is not None:
        case.duplicate_of = original
        case.save(update_fields=["duplicate_of"])
        record.duplicate_linked(case=case, actor=actor, original=original)


def _finish(case: Case, *, actor: Any, files: list[tuple[UploadedFile, str]]) -> Submitted:
    facts = triage.Facts(
        amount_involved=case.amount_involved,
        prior_penalties=prior_penalties(case.infringer) if case.infringer else 0,
        rights_count=case.rights_count,
        cross_region=case.cross_region,
        public_health=case.public_health,
        repeat_infringer=repeat_infringer(
            entity=case.infringer, name=case.infringer_name if not case.infringer else ""
        ),
    )
    track, reasons = triage.decide_track(facts)
    case.track = track
    code = secrets.token_hex(4).upper()
    case.access_code_hash = hash_code(code)
    case.save(update_fields=["track", "access_code_hash"])
    # Triage, duplicate detection and the statutory limits are the platform's steps, not the
    # submitter's: the record says so (record.SYSTEM).
    record.triaged(
        case=case, actor=record.SYSTEM, track=track, unit_id=case.unit_id, reasons=reasons
    )
    _link_duplicate(case, record.SYSTEM)
    deadlines.apply(case, actor=record.SYSTEM, status=Status.RECEIVED)
    _store_files(case, files, actor)  # last: files on disk are not rolled back with the database
    return Submitted(case=case, access_code=code)


@transaction.atomic
def complaint_submit(
    *,
    actor: Any,
    right: IPRight,
    title: str,
    description: str,
    region: Region,
    infringer_uscc: str = "",
    infringer_name: str = "",
    infringer_address: str = "",
    place: str = "",
    amount_involved: Any = None,
    public_health: bool = False,
    attachments: list[UploadedFile] | None = None,
) -> Submitted:
    """A signed-in rights holder complains about an infringement of one of their verified rights."""
    holder = holder_of(actor)
    if holder is None or right.holder_id != holder.pk:
        raise PermissionDenied(_("只能就您本人已登记的权利投诉。"), field="right")
    if right.status != RightStatus.VERIFIED:
        raise InvalidInput(_("该权利尚未核验通过，暂不能投诉。"), field="right")
    title = _required(title, field="title", label=_("投诉事由"), max_length=200)
    description = _required(description, field="description", label=_("情况描述"), max_length=5000)
    infringer = _infringer(infringer_uscc, infringer_name)
    files = _check_files(attachments or [])
    case = case_receive(
        actor=actor,
        source=Source.COMPLAINT,
        unit=triage.route(right_kind=right.kind, region=region),
        title=title,
        description=description,
        right=right,
        rights_holder=holder,
        infringer=infringer,
        infringer_name=(infringer.name if infringer else infringer_name.strip())[:200],
        infringer_address=infringer_address.strip()[:200],
        place=place.strip()[:500],
        region=region,
        amount_involved=_amount(amount_involved),
        public_health=public_health,
        cross_region=region.pk[:6] != holder.region_id[:6],
    )
    return _finish(case, actor=actor, files=files)


@transaction.atomic
def report_submit(
    *,
    actor: Any,
    right_kind: str,
    title: str,
    description: str,
    region: Region,
    anonymous: bool,
    reporter_name: str = "",
    reporter_id_number: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    infringer_uscc: str = "",
    infringer_name: str = "",
    infringer_address: str = "",
    place: str = "",
    amount_involved: Any = None,
    public_health: bool = False,
    attachments: list[UploadedFile] | None = None,
) -> Submitted:
    """Anyone reports an infringement, anonymously or by real name (identity encrypted).

    An anonymous report is never tied to an account, even when the reporter is signed in."""
    if anonymous or not getattr(actor, "is_authenticated", False):
        actor = None
    if right_kind not in RightKind.values:
        raise InvalidInput(_("请选择涉及的权利类型。"), field="right_kind")
    title = _required(title, field="title", label=_("举报事由"), max_length=200)
    description = _required(description, field="description", label=_("情况描述"), max_length=5000)
    identity: dict[str, str] | None = None
    if not anonymous:
        name = _required(reporter_name, field="reporter_name", label=_("举报人姓名"), max_length=64)
        phone = _required(
            reporter_phone, field="reporter_phone", label=_("联系电话"), max_length=32
        )
        if not phone.replace("-", "").replace(" ", "").replace("+", "").isdigit():
            raise InvalidInput(_("联系电话只能包含数字。"), field="reporter_phone")
        id_number = reporter_id_number.strip().upper()
        if id_number and not re.fullmatch(r"\d{15}|\d{17}[\dX]", id_number):
            raise InvalidInput(
                _("身份证号应为 18 位（或旧版 15 位）。"), field="reporter_id_number"
            )
        email = reporter_email.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise InvalidInput(_("电子邮箱格式不正确。"), field="reporter_email") from exc
        identity = {"name": name, "id_number": id_number, "phone": phone, "email": email[:100]}
    infringer = _infringer(infringer_uscc, infringer_name)
    files = _check_files(attachments or [])
    case = case_receive(
        actor=actor,
        source=Source.REPORT,
        unit=triage.route(right_kind=right_kind, region=region),
        title=title,
        description=description,
        infringer=infringer,
        infringer_name=(infringer.name if infringer else infringer_name.strip())[:200],
        infringer_address=infringer_address.strip()[:200],
        place=place.strip()[:500],
        region=region,
        amount_involved=_amount(amount_involved),
        public_health=public_health,
    )
    if identity is not None:
        ReporterIdentity.objects.create(case=case, ciphertext=crypto.encrypt(identity))
    return _finish(case, actor=actor, files=files)


@transaction.atomic
def lead_notice_create(
    *,
    actor: Any,
    to_unit: Unit,
    title: str,
    description: str,
    source: str = Source.LEAD_NOTICE,
    infringer_uscc: str = "",
    infringer_name: str = "",
    place: str = "",
    region: Region | None = None,
    amount_involved: Any = None,
) -> Submitted:
    """A unit (or monitoring) notifies another unit of a lead (线索通报)."""
    profile = profile_of(actor)
    if source == Source.LEAD_NOTICE and (profile is None or profile.unit_id is None):
        raise PermissionDenied(_("线索通报须由单位工作人员发出。"))
    title = _required(title, field="title", label=_("线索事由"), max_length=200)
    description = _required(description, field="description", label=_("情况描述"), max_length=5000)
    infringer = _infringer(infringer_uscc, infringer_name)
    case = case_receive(
        actor=actor,
        source=source,
        unit=to_unit,
        title=title,
        description=description,
        infringer=infringer,
        infringer_name=(infringer.name if infringer else infringer_name.strip())[:200],
        place=place.strip()[:500],
        region=region or to_unit.region,
        amount_involved=_amount(amount_involved),
        origin_unit=profile.unit if profile else None,
        cross_region=bool(profile and profile.unit and profile.unit.region_id != to_unit.region_id),
    )
    return _finish(case, actor=actor, files=[])


def case_by_access_code(number: str, code: str) -> Case | None:
    """For the public status page: the case with this number, if the code matches."""
    case = Case.objects.filter(number=number.strip().upper()).first()
    if (
        case is None
        or not code
        or not secrets.compare_digest(case.access_code_hash, hash_code(code))
    ):
        return None
    return case


@transaction.atomic
def reporter_identity_reveal(*, actor: Any, case: Case, reason: str) -> dict[str, str]:
    """Decrypt a real-name reporter's identity for someone whose role needs it; recorded."""
    from ipshield.cases.selectors import case_visible_to

    profile = profile_of(actor)
    if profile is None or not profile.has_role("case_officer", "unit_leader"):
        raise PermissionDenied(_("您的角色不能查看举报人身份。"))
    if not case_visible_to(actor=actor, case_id=case.pk) or profile.unit_id != case.unit_id:
        raise PermissionDenied(_("该案件不由您的单位办理。"))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请说明查看举报人身份的理由。"), field="reason")
    identity = ReporterIdentity.objects.filter(case=case).first()
    if identity is None:
        raise InvalidInput(_("该举报为匿名举报。"), field="case")
    record.identity_revealed(case=case, actor=actor, reason=reason)
    return crypto.decrypt(identity.ciphertext)


__all__ = [
    "Submitted",
    "case_by_access_code",
    "complaint_submit",
    "lead_notice_create",
    "report_submit",
    "reporter_identity_reveal",
]
