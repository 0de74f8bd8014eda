"""The mediation agreement (人民调解协议书) and its signatures.

The mediator drafts the agreement from a template made of the dispute (人民调解法第二十八、
二十九条: the parties, the facts and the matters in dispute, the agreed terms, how and by when
they are performed) and edits it; every change is a new version with a new SHA-256, and
signatures given to an earlier version no longer count. Each signer (every party through its
account, and the mediator) asks for a one-time six-digit code (一次性验证码), sent by e-mail
and SMS only (the in-app notice masks it), and signs the current version with it. A party
without an account signs the paper copy by hand and the mediator records it. When every party
and the mediator have signed the current version the agreement takes effect
(``services.agreement_took_effect``, 第二十九条): the mediator's signature applies the
committee's seal.

The agreement and the joint application for judicial confirmation (民事诉讼法第二百零五条)
are printed through the one document generator (kinds ``dispute_agreement`` and
``dispute_confirmation``, subject ``dispute``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshield.accounts.notices import notify
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.common.dates import cn_date
from ipshield.common.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from ipshield.disputes import errors, record, workflow
from ipshield.disputes.models import (
    Agreement,
    Dispute,
    Party,
    Side,
    Signature,
    SignCode,
)
from ipshield.disputes.selectors import sides_of
from ipshield.disputes.workflow import Status

CODE_MINUTES = 10
CODE_ATTEMPTS = 5
RESEND_SECONDS = 60  # one code a minute per signer: no SMS flood
TEXT_LIMIT = 20000
PLACEHOLDER = "〔请填写"  # the template's blanks; an agreement still holding one is not signed

FORMS_DIR = Path(__file__).resolve().parent / "templates" / "disputes" / "forms"

# The entries this module writes in a dispute's record, for the timeline.
RECORD_VERBS = {
    "agreement_draft": gettext_lazy("拟定调解协议"),
    "agreement_edit": gettext_lazy("修改调解协议"),
    "agreement_sign": gettext_lazy("签署调解协议"),
    "agreement_sign_on_paper": gettext_lazy("记录当事人书面签名"),
}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lock(dispute: Dispute) -> Dispute:
    from ipshield.disputes.services import _lock as lock

    return lock(dispute)


def _link(dispute: Dispute) -> str:
    return f"/disputes/{dispute.pk}/"


def _status(dispute: Dispute) -> None:
    if dispute.status != Status.MEDIATING:
        raise Conflict(
            _("纠纷目前为“%(status)s”，不能办理调解协议。")
            % {"status": Status(dispute.status).label},
            code=errors.NOT_ALLOWED,
        )


def _mediator_only(actor: Any, dispute: Dispute) -> None:
    if workflow.MEDIATOR not in sides_of(actor, dispute):
        raise PermissionDenied(
            _("只有本纠纷的调解员可以拟定、修改调解协议。"), code=errors.NOT_YOURS
        )


def _agreement(dispute: Dispute, *, lock: bool = False) -> Agreement:
    qs = Agreement.objects.select_for_update() if lock else Agreement.objects
    agreement = qs.filter(dispute=dispute).first()
    if agreement is None:
        raise Conflict(_("调解员尚未拟定调解协议。"), code=errors.AGREEMENT_MISSING)
    return agreement


def _not_effective(agreement: Agreement) -> None:
    if agreement.effective_at is not None:
        raise Conflict(_("调解协议已经生效，不能再修改或签署。"), code=errors.AGREEMENT_SIGNED)


def _clean_text(text: Any) -> str:
    value = str(text or "").replace("\r\n", "\n").strip()
    if not value:
        raise InvalidInput(_("请填写调解协议内容。"), field="text", code=errors.FIELD_REQUIRED)
    if len(value) > TEXT_LIMIT:
        raise InvalidInput(
            _("调解协议内容不能超过 %(limit)s 个字。") % {"limit": TEXT_LIMIT},
            field="text",
            code=errors.FIELD_INVALID,
        )
    return value


def _clean_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            _("请按“年-月-日”填写履行期限。"),
            field="performance_due_on",
            code=errors.FIELD_INVALID,
        ) from None


# --- the template ---------------------------------------------------------------------------


def _party_line(party: Party) -> str:
    side = "申请人" if party.side == Side.APPLICANT else "被申请人"
    bits = [f"{side}：{party.name}"]
    if party.address:
        bits.append(f"住所：{party.address}")
    if party.phone:
        bits.append(f"联系电话：{party.phone}")
    if party.representative:
        bits.append(f"代理人：{party.representative}")
    return "，".join(bits)


def default_text(dispute: Dispute, performance_due_on: dt.date | None = None) -> str:
    """The editable draft of 人民调解协议书 made of the dispute (人民调解法第二十九条: the
    parties, the main facts and matters in dispute, the agreed terms, how and by when they are
    performed). Written in Chinese whatever the reader's language, like every document the
    organisation issues; the blanks the mediator must fill in start with ``PLACEHOLDER``."""
    parties = list(dispute.parties.all())
    claims = [
        f"{i}. {c.get('text', '')}" + (f"（{c['amount']}元）" if c.get("amount") else "")
        for i, c in enumerate(dispute.claims or [], start=1)
    ]
    due = cn_date(performance_due_on) if performance_due_on else f"{PLACEHOLDER}履行期限〕"
    organisation = dispute.organisation.unit.name
    lines = [
        f"编号：{dispute.number}",
        "",
        "当事人基本情况：",
        *(_party_line(p) for p in parties),
        "",
        "纠纷的主要事实和争议事项：",
        dispute.facts,
        "",
        "请求事项：",
        *claims,
        "",
        f"经{organisation}调解，各方当事人在平等协商、互谅互让的基础上自愿达成如下协议：",
        f"一、{PLACEHOLDER}各方当事人同意的协议内容〕",
        "",
        f"履行方式：{PLACEHOLDER}履行方式，如一次性银行转账、停止销售并下架商品〕",
        f"履行期限：于{due}前履行完毕。",
        "",
        "本协议自各方当事人签名、人民调解员签名并加盖调解组织印章之日起生效"
        "（《中华人民共和国人民调解法》第二十九条）。各方当事人应当按照约定履行"
        "（第三十一条）。本协议书由当事人各执一份，调解组织留存一份。",
    ]
    return "\n".join(lines)


# --- drafting -------------------------------------------------------------------------------


@transaction.atomic
def agreement_draft(
    *,
    actor: Any,
    dispute: Dispute,
    text: str | None = None,
    performance_due_on: Any = None,
) -> Agreement:
    """The mediator drafts the agreement (from the template when ``text`` is None); the
    parties with an account are asked to read and sign it. A second draft is an edit."""
    require_writer(actor)
    dispute = _lock(dispute)
    _mediator_only(actor, dispute)
    _status(dispute)
    due = _clean_date(performance_due_on)
    if Agreement.objects.filter(dispute=dispute).exists():
        return _edit(actor, dispute, text if text is not None else default_text(dispute, due), due)
    body = _clean_text(text if text is not None else default_text(dispute, due))
    agreement = Agreement.objects.create(
        dispute=dispute, text=body, sha256=digest(body), version=1, performance_due_on=due
    )
    record.append(dispute, "agreement_draft", actor=actor, version=1, sha256=agreement.sha256)
    _ask_to_sign(dispute)
    return agreement


@transaction.atomic
def agreement_edit(
    *, actor: Any, dispute: Dispute, text: str, performance_due_on: Any = None
) -> Agreement:
    """A new version of the text (and its SHA-256): the signatures of earlier versions no
    longer count and everyone signs again. Refused once the agreement took effect."""
    require_writer(actor)
    dispute = _lock(dispute)
    _mediator_only(actor, dispute)
    agreement = _agreement(dispute)
    _not_effective(agreement)
    _status(dispute)
    return _edit(actor, dispute, text, _clean_date(performance_due_on))


def _edit(actor: Any, dispute: Dispute, text: Any, due: dt.date | None) -> Agreement:
    agreement = _agreement(dispute, lock=True)
    _not_effective(agreement)
    body = _clean_text(text)
    sha = digest(body)
    if sha == agreement.sha256 and due == agreement.performance_due_on:
        return agreement  # nothing changed: the signatures stand
    agreement.text = body
    agreement.sha256 = sha
    agreement.version += 1
    agreement.performance_due_on = due
    agreement.save()
    record.append(dispute, "agreement_edit", actor=actor, version=agreement.version, sha256=sha)
    _ask_to_sign(dispute)
    return agreement


def _ask_to_sign(dispute: Dispute) -> None:
    users = [p.user for p in dispute.parties.all() if p.user_id]
    notify(
        users=users,
        kind="dispute.sign_requested",
        params={"number": dispute.number, "title": dispute.title},
        link=_link(dispute),
    )


# --- who signs ------------------------------------------------------------------------------


def _valid(signature: Signature, agreement: Agreement) -> bool:
    return signature.version == agreement.version and signature.sha256 == agreement.sha256


def signed_current(agreement: Agreement) -> list[Signature]:
    return [s for s in agreement.signatures.all() if _valid(s, agreement)]


def _roles_to_sign(actor: Any, dispute: Dispute) -> tuple[list[Party], bool]:
    """The parties ``actor`` signs for (through their account) and whether they sign as the
    mediator."""
    parties = [p for p in dispute.parties.all() if p.user_id == actor.pk]
    is_mediator = dispute.mediator_id is not None and dispute.mediator.user_id == actor.pk
    return parties, is_mediator


def _still_to_sign(actor: Any, dispute: Dispute, agreement: Agreement) -> tuple[list[Party], bool]:
    parties, is_mediator = _roles_to_sign(actor, dispute)
    if not parties and not is_mediator:
        raise PermissionDenied(
            _("只有本纠纷的当事人和调解员可以签署调解协议。"), code=errors.NOT_YOURS
        )
    done = signed_current(agreement)
    signed_parties = {s.party_id for s in done if s.party_id}
    mediator_signed = any(s.party_id is None for s in done)
    parties = [p for p in parties if p.pk not in signed_parties]
    is_mediator = is_mediator and not mediator_signed
    if not parties and not is_mediator:
        raise Conflict(_("您已签署当前版本的调解协议。"), code=errors.ALREADY_SIGNED)
    return parties, is_mediator


def _no_blanks(agreement: Agreement) -> None:
    if PLACEHOLDER in agreement.text:
        raise InvalidInput(
            _("调解协议还有待填写的内容（“〔请填写……〕”），请调解员补全后再签署。"),
            field="text",
            code=errors.FIELD_INVALID,
        )


def all_signed(dispute: Dispute, agreement: Agreement) -> bool:
    """Every party and the mediator signed the current version (人民调解法第二十九条)."""
    done = signed_current(agreement)
    parties = {p.pk for p in dispute.parties.all()}
    signed = {s.party_id for s in done if s.party_id}
    return parties <= signed and any(s.party_id is None for s in done)


# --- the one-time code ----------------------------------------------------------------------


def _code_hash(code_row_key: str, code: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"{code_row_key}:{code}".encode(), hashlib.sha256).hexdigest()


def _channels(actor: Any) -> list[str]:
    profile = profile_of(actor)
    channels = []
    if getattr(profile, "phone", ""):
        channels.append("sms")
    if actor.email:
        channels.append("email")
    return channels


@transaction.atomic
def sign_code_send(*, actor: Any, dispute: Dispute, now: dt.datetime | None = None) -> SignCode:
    """Send ``actor`` a one-time code to sign the current version (valid ``CODE_MINUTES``
    minutes, ``CODE_ATTEMPTS`` tries). Only its keyed hash is kept; the code goes by e-mail
    and SMS, never in the in-app list. Earlier unused codes of the signer stop working."""
    require_writer(actor)
    now = now or timezone.now()
    dispute = _lock(dispute)
    _status(dispute)
    agreement = _agreement(dispute)
    _not_effective(agreement)
    _still_to_sign(actor, dispute, agreement)
    _no_blanks(agreement)
    if not _channels(actor):
        raise InvalidInput(
            _("验证码通过手机短信或电子邮件发送，请先在个人资料中填写手机号码或电子邮箱。"),
            field="phone",
            code=errors.FIELD_REQUIRED,
        )
    last = (
        SignCode.objects.filter(agreement=agreement, user=actor)
        .order_by("-pk")
        .values_list("expires_at", flat=True)
        .first()
    )
    if last is not None:
        wait = last - dt.timedelta(minutes=CODE_MINUTES, seconds=-RESEND_SECONDS) - now
        if wait.total_seconds() > 0:
            raise Conflict(
                _("验证码已发送，请 %(n)s 秒后再重新获取。") % {"n": int(wait.total_seconds()) + 1},
                code=errors.SIGN_CODE_TOO_SOON,
            )
    SignCode.objects.filter(agreement=agreement, user=actor, used_at__isnull=True).update(
        used_at=now
    )
    _forget_codes(actor)
    code = f"{secrets.randbelow(10**6):06d}"
    row = SignCode.objects.create(
        agreement=agreement,
        user=actor,
        version=agreement.version,
        code_hash="-",
        expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
    )
    row.code_hash = _code_hash(str(row.pk), code)
    row.save(update_fields=["code_hash"])
    notify(
        users=[actor],
        kind="dispute.sign_code",
        params={"number": dispute.number, "code": code, "minutes": CODE_MINUTES},
        link=_link(dispute),
    )
    return row


def _forget_codes(user: Any) -> None:
    """Mask the codes still held in ``user``'s undelivered code notices (delivery scrubs what it
    sent; a code used or replaced is of no further use to anyone)."""
    from ipshield.accounts.models import Notification
    from ipshield.accounts.notices import MASK

    for notice in Notification.objects.filter(
        user=user, kind="dispute.sign_code", params__has_key="code"
    ).exclude(params__code=MASK):
        notice.params = {**notice.params, "code": MASK}
        notice.save(update_fields=["params"])


def _check_code(
    actor: Any, dispute: Dispute, agreement: Agreement, code: str, now: dt.datetime
) -> DomainError | SignCode:
    """The signer's live code if ``code`` matches it, else the error to raise (the failed try
    is counted in the caller's transaction, which commits before the error is raised)."""
    row = (
        SignCode.objects.select_for_update()
        .filter(agreement=agreement, user=actor, used_at__isnull=True)
        .order_by("-pk")
        .first()
    )
    if row is None:
        return InvalidInput(_("请先获取验证码。"), field="code", code=errors.SIGN_CODE_MISSING)
    if row.attempts >= CODE_ATTEMPTS:
        return InvalidInput(
            _("验证码错误次数过多，请重新获取验证码。"),
            field="code",
            code=errors.SIGN_CODE_ATTEMPTS,
        )
    if row.version != agreement.version or now > row.expires_at:
        return InvalidInput(
            _("验证码已过期（或协议内容已修改），请重新获取验证码。"),
            field="code",
            code=errors.SIGN_CODE_EXPIRED,
        )
    given = "".join(str(code or "").split())
    if not hmac.compare_digest(_code_hash(str(row.pk), given), row.code_hash):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = CODE_ATTEMPTS - row.attempts
        if left <= 0:
            return InvalidInput(
                _("验证码错误次数过多，请重新获取验证码。"),
                field="code",
                code=errors.SIGN_CODE_ATTEMPTS,
            )
        return InvalidInput(
            _("验证码不正确，还可以再试 %(n)s 次。") % {"n": left},
            field="code",
            code=errors.SIGN_CODE_WRONG,
        )
    return row


def agreement_sign(
    *, actor: Any, dispute: Dispute, code: str, now: dt.datetime | None = None
) -> list[Signature]:
    """``actor`` signs the current version with their one-time code: a signature of its
    SHA-256 per party they act for (and as the mediator), anchored in the evidence ledger after
    commit. The last signature makes the agreement take effect. A wrong code counts as a try
    even though the signing is refused."""
    require_writer(actor)
    now = now or timezone.now()
    with transaction.atomic():
        result = _sign(actor, dispute, code, now)
    if isinstance(result, DomainError):
        raise result
    return result


def _sign(actor: Any, dispute: Dispute, code: str, now: dt.datetime) -> Any:
    dispute = _lock(dispute)
    _status(dispute)
    agreement = _agreement(dispute, lock=True)
    _not_effective(agreement)
    parties, as_mediator = _still_to_sign(actor, dispute, agreement)
    checked = _check_code(actor, dispute, agreement, code, now)
    if isinstance(checked, DomainError):
        return checked
    checked.used_at = now
    checked.save(update_fields=["used_at"])
    _forget_codes(actor)
    channel = "+".join(_channels(actor)) or "app"
    signatures = [
        _signature(agreement, actor, party=p, name=p.name, channel=channel, at=now) for p in parties
    ]
    if as_mediator:
        signatures.append(
            _signature(
                agreement, actor, party=None, name=dispute.mediator.name, channel=channel, at=now
            )
        )
    record.append(
        dispute,
        "agreement_sign",
        actor=actor,
        version=agreement.version,
        sha256=agreement.sha256,
        parties=[p.pk for p in parties],
        mediator=as_mediator,
    )
    _maybe_effective(dispute, agreement, actor=actor, now=now)
    return signatures


def _signature(
    agreement: Agreement, actor: Any, *, party: Party | None, name: str, channel: str, at: Any
) -> Signature:
    return Signature.objects.create(
        agreement=agreement,
        party=party,
        signer=actor,
        signer_name=name[:100],
        version=agreement.version,
        sha256=agreement.sha256,
        signed_at=at.replace(microsecond=0),
        channel=channel,
    )


def _maybe_effective(dispute: Dispute, agreement: Agreement, *, actor: Any, now: Any) -> None:
    if all_signed(dispute, agreement):
        from ipshield.disputes.services import agreement_took_effect

        agreement.effective_at = now
        agreement.save(update_fields=["effective_at", "updated_at"])
        agreement_took_effect(dispute, actor=actor, today=timezone.localdate(now))


@transaction.atomic
def agreement_sign_on_paper(
    *, actor: Any, dispute: Dispute, party_id: int, note: str, now: dt.datetime | None = None
) -> Signature:
    """The mediator records that a party without an account signed (or sealed, or put a
    fingerprint on) the printed current version by hand; ``note`` says how and where."""
    require_writer(actor)
    now = now or timezone.now()
    dispute = _lock(dispute)
    _mediator_only(actor, dispute)
    _status(dispute)
    agreement = _agreement(dispute, lock=True)
    _not_effective(agreement)
    _no_blanks(agreement)
    party = next((p for p in dispute.parties.all() if str(p.pk) == str(party_id)), None)
    if party is None:
        raise InvalidInput(_("请选择本纠纷的当事人。"), field="party_id", code=errors.FIELD_INVALID)
    if party.user_id is not None:
        raise InvalidInput(
            _("该当事人有平台账号，请由其本人在线签署。"),
            field="party_id",
            code=errors.FIELD_INVALID,
        )
    if any(s.party_id == party.pk for s in signed_current(agreement)):
        raise Conflict(_("该当事人已签署当前版本的调解协议。"), code=errors.ALREADY_SIGNED)
    note = str(note or "").strip()
    if not note:
        raise InvalidInput(
            _("请说明当事人签名的方式和地点。"), field="note", code=errors.FIELD_REQUIRED
        )
    signature = _signature(agreement, actor, party=party, name=party.name, channel="paper", at=now)
    record.append(
        dispute,
        "agreement_sign_on_paper",
        actor=actor,
        version=agreement.version,
        sha256=agreement.sha256,
        party=party.pk,
        note=note[:500],
    )
    _maybe_effective(dispute, agreement, actor=actor, now=now)
    return signature


# --- for pages ------------------------------------------------------------------------------


def agreement_context(dispute: Dispute, user: Any = None) -> dict[str, Any]:
    """What the agreement panel and the PDF show: the text, each signature with its proof and
    whether it binds the current text, who still has to sign, and what ``user`` may do."""
    agreement = Agreement.objects.filter(dispute=dispute).first()
    if agreement is None:
        return {"agreement": None, "signatures": [], "missing": [], "can_sign": False}
    signatures = list(agreement.signatures.select_related("party").order_by("signed_at", "pk"))
    rows = [
        {
            "signer": s.signer_name,
            "party": s.party.name if s.party_id else "",
            "side": s.party.side if s.party_id else "",
            "as_mediator": s.party_id is None,
            "version": s.version,
            "at": timezone.localtime(s.signed_at),
            "sha256": s.sha256,
            "leaf_index": s.leaf_index,
            "channel": s.channel,
            "current": _valid(s, agreement),
        }
        for s in signatures
    ]
    done = [s for s in signatures if _valid(s, agreement)]
    signed_parties = {s.party_id for s in done if s.party_id}
    missing = [p.name for p in dispute.parties.all() if p.pk not in signed_parties]
    if not any(s.party_id is None for s in done) and dispute.mediator_id:
        missing.append(dispute.mediator.name)
    can_sign = False
    if user is not None and getattr(user, "is_authenticated", False):
        parties, is_mediator = _roles_to_sign(user, dispute)
        can_sign = agreement.effective_at is None and (
            any(p.pk not in signed_parties for p in parties)
            or (is_mediator and not any(s.party_id is None for s in done))
        )
    return {
        "agreement": agreement,
        "paragraphs": agreement.text.split("\n"),
        "signatures": rows,
        "missing": missing,
        "can_sign": can_sign,
        "can_edit": (
            user is not None
            and agreement.effective_at is None
            and workflow.MEDIATOR in sides_of(user, dispute)
        ),
    }


# --- the application for judicial confirmation ----------------------------------------------


def confirmation_application_text(dispute: Dispute, court: Any) -> str:
    """The parties' joint application for judicial confirmation (民事诉讼法第二百零五条),
    in Chinese like every filed document: the applicants, the agreement's number (the
    dispute's) and effective date, and the request that the court confirm it valid."""
    parties = list(dispute.parties.all())
    effective = dispute.agreement_effective_on
    effective_text = (
        f"{effective.year}年{effective.month}月{effective.day}日"
        if effective
        else "　　年　　月　　日"
    )
    organisation = dispute.organisation.unit.name
    lines = [
        "司法确认申请书",
        "",
        *("申请人：" + _party_line(p).split("：", 1)[1] for p in parties),
        "",
        "请求事项：",
        f"请求{court.name}确认申请人之间于{effective_text}经{organisation}调解达成的"
        f"调解协议（编号：{dispute.number}）有效。",
        "",
        "事实和理由：",
        f"申请人之间的{dispute.title}，经{organisation}调解，"
        f"达成调解协议，该协议自{effective_text}起生效。"
        "依照《中华人民共和国民事诉讼法》第二百零五条的规定，申请人自调解协议生效之日起"
        "三十日内共同向人民法院申请司法确认。"
        "申请人出于解决纠纷的目的自愿达成协议，提交的材料真实、合法。",
        "",
        "附：调解协议书一份。",
        "",
        f"此致　{court.name}",
    ]
    return "\n".join(lines)
