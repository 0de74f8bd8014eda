"""Opening a case's attachments: every look at a file is written to the case record."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ipshield.cases import record
from ipshield.cases.models import Attachment, Case
from ipshield.cases.selectors import case_visible_to
from ipshield.common.errors import NotFound


@transaction.atomic
def attachment_open(*, actor: Any, case: Case, attachment: Attachment) -> IO[bytes]:
    """Open ``attachment`` for reading and record (``file_viewed``) that ``actor`` looked at it.

    Read-only roles may open files too (auditors review evidence); the record says who did.
    The file is opened before the entry is written, so a missing file records nothing.

    >>> fh = attachment_open(actor=officer, case=case, attachment=case.attachments.first())
    """
    if attachment.case_id != case.pk or not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该材料，或您无权查看。"))
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise NotFound(_("材料文件已不在存储中，请联系管理员。")) from exc
    try:
        record.file_viewed(case=case, actor=actor, attachment=attachment)
    except BaseException:
        handle.close()
        raise
    return handle
