"""Preserving evidence: store the file, hash it, log it, keep the row (the only state change).

Order of work in :func:`evidence_preserve`, and why:

1. check who may preserve what, and the file's size (nothing written yet);
2. hash (SHA-256 and SM3), detect the type from the content, and store the file in the data
   directory under a random name whose extension comes from the detected type (never from the
   uploaded name: a stored ``.html`` could be rendered by a browser), outside any database
   transaction — a 100 MB file must not hold SQLite's write lock while it is read. From here
   until the row is committed the upload holds ``evidence.leftovers.writing()``, so a file left
   by a killed process is told from one in progress (``ipshield ledger audit --repair``);
3. in one transaction: lock the case (if any) and check again, append the leaf to the ledger
   and sign a tree head, then insert the row. The row is written only after its leaf is durable,
   so there is never a row without a leaf; if the insert or the commit fails, the leaf stays in
   the ledger without a row — harmless (it proves nothing anyone relies on) and listed by
   ``ipshield ledger audit``;
4. on any failure, the stored file is removed.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.models import Unit
from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.audit import events
from ipshield.cases import record
from ipshield.cases.models import Case, Source
from ipshield.cases.services import require_handler
from ipshield.cases.workflow import FINAL
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.common.uploads import sniff, stored_extension
from ipshield.evidence import errors, ledger, leftovers
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import LEAF_TYPE, canonical_json, file_hashes
from ipshield.registry.selectors import holder_of

DEFAULT_MAX_MB = 100


def max_bytes() -> int:
    """The largest file accepted: ``IPSHIELD_EVIDENCE_MAX_MB`` (setting or environment), 100."""
    value = getattr(settings, "IPSHIELD_EVIDENCE_MAX_MB", None)
    if value is None:
        value = os.environ.get("IPSHIELD_EVIDENCE_MAX_MB") or DEFAULT_MAX_MB
    return int(float(value) * 1024 * 1024)


def check_upload(upload: UploadedFile | None, *, field: str = "file") -> None:
    """Refuse a missing, empty or oversized file, naming ``field``."""
    if upload is None:
        raise InvalidInput(_("请选择要存证的文件。"), field=field, code=errors.UPLOAD_EMPTY)
    if not upload.size:
        raise InvalidInput(_("上传的文件是空的。"), field=field, code=errors.UPLOAD_EMPTY)
    limit = max_bytes()
    if upload.size > limit:
        raise InvalidInput(
            _("文件太大（%(size)s），存证文件的上限为 %(limit)s。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            field=field,
            code=errors.UPLOAD_TOO_LARGE,
        )


def is_rights_holder(actor: Any) -> bool:
    if holder_of(actor) is not None:
        return True
    profile = profile_of(actor)
    return bool(profile and profile.has_role(Role.RIGHTS_HOLDER))


def is_complaint_submitter(actor: Any, case: Case) -> bool:
    return (
        case.source == Source.COMPLAINT
        and case.submitted_by_id is not None
        and case.submitted_by_id == getattr(actor, "pk", None)
    )


def _check_case(actor: Any, case: Case, *, lock: bool) -> Case:
    """Who may add evidence to a case: its submitter (complaints) or the owning unit's staff."""
    if is_complaint_submitter(actor, case):
        if lock:
            case = (
                Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)
            )
    elif lock:
        case = require_handler(actor, case)
    else:
        with transaction.atomic():  # require_handler locks; a short check before the upload
            case = require_handler(actor, case)
    if case.status in FINAL:
        raise Conflict(
            _("案件已%(status)s，不能再添加存证。") % {"status": case.get_status_display()},
            field="case",
            code=errors.CASE_CLOSED,
        )
    return case


def _check_standalone(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if not is_rights_holder(actor):
        raise PermissionDenied(
            _("只有权利人可以单独存证；办案人员请在案件页为案件存证。"),
            code=errors.NOT_A_RIGHTS_HOLDER,
        )


def _display_name(actor: Any) -> str:
    profile = profile_of(actor)
    return (profile.display_name if profile else "") or actor.get_username()


def _clean_name(name: str | None) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(char for char in name if char.isprintable()).strip()
    return name[:255] or "file"


def _declared_type(upload: UploadedFile) -> str | None:
    """What the client said the file is: kept in the leaf as a claim, labelled as declared."""
    declared = "".join(c for c in (upload.content_type or "") if c.isprintable()).strip()
    return declared[:100] or None


def _storage_name(content_type: str) -> str:
    """A random name with the extension of the detected type (``.bin`` for anything a browser
    could render as a page); the uploaded name is data in the row and the leaf only."""
    return secrets.token_hex(12) + stored_extension(content_type)


def _now_ms() -> dt.datetime:
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def build_leaf(
    *,
    actor: Any,
    sha256: str,
    sm3: str,
    size: int,
    name: str,
    content_type: str,
    declared_type: str | None = None,
    case: Case | None,
    unit: Any,
    at: dt.datetime,
) -> dict[str, Any]:
    """The ledger entry of a preserved file (schema in ``evidence.receipts``).

    ``content_type`` is the type detected from the content (``detected_type`` in the leaf);
    ``declared_type`` what the uploader's client claimed, or None."""
    holder = holder_of(actor)
    return {
        "type": LEAF_TYPE,
        "sha256": sha256,
        "sm3": sm3,
        "size": size,
        "name": name,
        "detected_type": content_type,
        "declared_type": declared_type,
        "submitter": {"id": actor.pk, "name": _display_name(actor)},
        "rights_holder": holder.name if holder is not None else None,
        "unit": {"id": unit.pk, "name": unit.name} if unit is not None else None,
        "case": case.number if case is not None else None,
        "time": timezone.localtime(at).isoformat(timespec="milliseconds"),
    }


def evidence_preserve(
    *, actor: Any, upload: UploadedFile | None, case: Case | None = None
) -> EvidenceItem:
    """Preserve ``upload``: store it, hash it, append it to the ledger, and keep the row.

    Without ``case`` the evidence stands alone (rights holders only). With a complaint, its
    submitter may add evidence; with any case, the staff of the unit that handles it may.
    Returns the row; its receipt comes from ``evidence.selectors.evidence_receipt``.

    >>> item = evidence_preserve(actor=holder_user, upload=SimpleUploadedFile("a.txt", b"x"))
    >>> item.leaf_index, item.tree_size
    (0, 1)
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if case is None:
        _check_standalone(actor)
    else:
        _check_case(actor, case, lock=False)
    return _preserve_upload(actor=actor, upload=upload, case=case)


def evidence_attach(*, actor: Any, upload: UploadedFile | None, unit: Unit) -> EvidenceItem:
    """Preserve ``upload`` as an attachment of ``unit``'s work outside a case (a progress
    report on a plan, a meeting's minutes …): stored, hashed and appended to the ledger like
    any evidence, owned by ``actor`` and labelled with ``unit``. The calling service checks
    that ``actor`` may act for ``unit`` and links the row to its own record.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    return _preserve_upload(actor=actor, upload=upload, case=None, unit=unit)


def _preserve_upload(
    *, actor: Any, upload: UploadedFile | None, case: Case | None, unit: Unit | None = None
) -> EvidenceItem:
    check_upload(upload)
    assert upload is not None
    name = _clean_name(upload.name)
    declared = _declared_type(upload)
    content_type = sniff(upload)
    sha256, sm3, size = file_hashes(upload.chunks())
    if size == 0:
        raise InvalidInput(_("上传的文件是空的。"), field="file", code=errors.UPLOAD_EMPTY)
    upload.seek(0)
    item = EvidenceItem(
        owner=actor,
        original_name=name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        sm3=sm3,
    )
    with leftovers.writing():
        item.file.save(_storage_name(content_type), upload, save=False)
        return preserve_stored(
            actor=actor,
            item=item,
            case=case,
            declared_type=declared,
            unit=unit,
            case_note=lambda index: (
                _("电子存证：%(name)s（SHA-256 %(sha)s，存证序号 %(index)s）")
                % {"name": name, "sha": sha256, "index": index}
            ),
        )


def preserve_stored(
    *,
    actor: Any,
    item: EvidenceItem,
    case: Case | None,
    case_note: Callable[[int], str],
    declared_type: str | None = None,
    leaf_extra: dict[str, Any] | None = None,
    unit: Unit | None = None,
) -> EvidenceItem:
    """Append the leaf of an item whose file is already stored, sign a head, save the row, audit
    it and note it on the case — in one transaction; on any failure the stored file is removed.
    The caller holds ``leftovers.writing()`` from storing the file until this returns.

    Shared by uploads and web captures (``leaf_extra`` adds the capture's type and facts)."""
    try:
        with transaction.atomic():
            if case is not None:
                case = _check_case(actor, case, lock=True)
                unit = case.unit
            at = _now_ms()
            leaf_object = build_leaf(
                actor=actor,
                sha256=item.sha256,
                sm3=item.sm3,
                size=item.size,
                name=item.original_name,
                content_type=item.content_type,
                declared_type=declared_type,
                case=case,
                unit=unit,
                at=at,
            )
            leaf_object.update(leaf_extra or {})
            leaf = canonical_json(leaf_object)
            index, head = ledger.append_and_sign(leaf)
            item.case = case
            item.unit = unit
            item.leaf = leaf.decode("utf-8")
            item.leaf_index = index
            item.tree_size = head.tree_size
            item.head_root = head.root.hex()
            item.head_timestamp = head.timestamp
            item.head_signature = head.signature.hex()
            item.created_at = at
            item.save(force_insert=True)
            events.evidence_preserved(actor=actor, item=item)
            if case is not None:
                record.note_added(case=case, actor=actor, note=case_note(index))
    except BaseException:
        item.file.delete(save=False)
        raise
    return item


def case_for_upload(*, actor: Any, case_id: int) -> Case:
    """The case ``actor`` may add evidence to, by id (its submitter or the handling unit)."""
    case = Case.objects.select_related("unit").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("找不到该案件，或您无权为其存证。"), field="case")
    if is_complaint_submitter(actor, case):
        return case
    from ipshield.cases.selectors import case_visible_to

    if not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该案件，或您无权为其存证。"), field="case")
    return case
