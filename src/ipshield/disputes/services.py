"""Every change of a dispute's state. One service per move of ``workflow.TRANSITIONS``; each
checks the move against the table and the actor's side (``selectors.sides_of``), writes the
dispute's record (``record.append``) and tells the next people (``accounts.notices``) in the
same transaction. Agreements and their signatures are in ``signing.py``, sessions in
``sessions.py``, the message board in ``board.py``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ipshield.accounts.models import Region, Unit, UnitKind
from ipshield.accounts.notices import notify, people
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.cases.models import DocumentCounter
from ipshield.common.errors import Conflict, InvalidInput, PermissionDenied
from ipshield.disputes import deadlines, errors, record, workflow
from ipshield.disputes.models import (
    Arbitration,
    Confirmation,
    ConfirmationStatus,
    Dispute,
    DisputeSource,
    Mediator,
    Organisation,
    OrganisationKind,
    Party,
    Side,
)
from ipshield.disputes.selectors import COURT_ROLES, ORG_ROLES, sides_of
from ipshield.disputes.workflow import Action, Status
from ipshield.registry.models import RightKind

TEXT_LIMIT = 5000
MAX_CLAIMS = 20
MAX_PARTIES = 10


# --- input ------------------------------------------------------------------------------------


def _text(value: Any, *, field: str, label: str, limit: int = 200, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput(
            _("请填写%(label)s。") % {"label": label}, field=field, code=errors.FIELD_REQUIRED
        )
    if len(text) > limit:
        raise InvalidInput(
            _("%(label)s不能超过 %(limit)s 个字。") % {"label": label, "limit": limit},
            field=field,
            code=errors.FIELD_INVALID,
        )
    return text


def _amount(value: Any, *, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        amount = Decimal("-1")
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise InvalidInput(
            _("金额应为不小于 0 的数字（元）。"), field=field, code=errors.FIELD_INVALID
        )
    return amount.quantize(Decimal("0.01"))


def _date(value: Any, *, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(
            _("请按“年-月-日”填写%(label)s。") % {"label": label},
            field=field,
            code=errors.FIELD_INVALID,
        ) from None


def clean_claims(claims: Any) -> tuple[list[dict[str, str]], Decimal | None]:
    """The claims as ``[{text, amount}]`` and their total; a claim needs its text."""
    if not isinstance(claims, (list, tuple)) or not claims:
        raise InvalidInput(
            _("请至少填写一项请求事项。"), field="claims", code=errors.FIELD_REQUIRED
        )
    if len(claims) > MAX_CLAIMS:
        raise InvalidInput(
            _("请求事项最多 %(n)s 项。") % {"n": MAX_CLAIMS},
            field="claims",
            code=errors.FIELD_INVALID,
        )
    rows, total = [], None
    for index, claim in enumerate(claims):
        claim = claim if isinstance(claim, dict) else {"text": claim}
        field = f"claims.{index}"
        text = _text(claim.get("text"), field=f"{field}.text", label=_("请求事项"), limit=500)
        amount = _amount(claim.get("amount"), field=f"{field}.amount")
        rows.append({"text": text, "amount": str(amount) if amount is not None else ""})
        if amount is not None:
            total = (total or Decimal(0)) + amount
    return rows, total


def _party_fields(data: Any, *, field: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidInput(_("请填写当事人。"), field=field, code=errors.FIELD_REQUIRED)
    return {
        "name": _text(data.get("name"), field=f"{field}.name", label=_("当事人名称/姓名")),
        "is_person": bool(data.get("is_person")),
        "phone": _text(
            data.get("phone"), field=f"{field}.phone", label=_("联系电话"), limit=32, required=False
        ),
        "address": _text(
            data.get("address"), field=f"{field}.address", label=_("住所"), required=False
        ),
        "representative": _text(
            data.get("representative"),
            field=f"{field}.representative",
            label=_("代理人"),
            limit=64,
            required=False,
        ),
    }


def _account_for(phone: str) -> Any:
    """The platform account whose profile has ``phone`` (only when exactly one has it)."""
    if not phone:
        return None
    users = list(
        get_user_model().objects.filter(is_active=True, profile__phone=phone).order_by("pk")[:2]
    )
    return users[0] if len(users) == 1 else None


# --- helpers ----------------------------------------------------------------------------------


def _lock(dispute: Dispute) -> Dispute:
    return (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("organisation__unit", "mediator", "region")
        .get(pk=dispute.pk)
    )


def _take(actor: Any, dispute: Dispute, action: str) -> Dispute:
    """Lock ``dispute`` and check that ``actor`` may take ``action`` on it now."""
    require_writer(actor)
    dispute = _lock(dispute)
    transition = workflow.TRANSITIONS[action]
    sides = sides_of(actor, dispute)
    if not sides & transition.sides:
        raise PermissionDenied(
            _("您不能对这件纠纷执行“%(action)s”。") % {"action": Action(action).label},
            code=errors.NOT_YOURS,
        )
    if dispute.status not in transition.sources:
        raise Conflict(
            _("纠纷目前为“%(status)s”，不能执行“%(action)s”。")
            % {"status": Status(dispute.status).label, "action": Action(action).label},
            code=errors.NOT_ALLOWED,
        )
    return dispute


def _move(dispute: Dispute, action: str, *, actor: Any, **params: Any) -> Dispute:
    before = dispute.status
    target = workflow.TRANSITIONS[action].target
    if target is not None:
        dispute.status = target
    dispute.save()
    record.append(dispute, action, actor=actor, before=before, **params)
    return dispute


def _users(dispute: Dispute, *sides: str) -> list[Any]:
    return [p.user for p in dispute.parties.all() if p.user_id and (not sides or p.side in sides)]


def _org_people(dispute: Dispute) -> list[Any]:
    return list(people(unit_id=dispute.organisation.unit_id, roles=ORG_ROLES))


def source_text(label: Any) -> str:
    """A translatable label as its Simplified Chinese source (what notices store, so that each
    reader sees it in their own language, ``accounts.notices.TRANSLATED_PARAMS``)."""
    with translation.override(None):
        return str(label)


def link(dispute: Dispute) -> str:
    return f"/disputes/{dispute.pk}/"


def _tell(users: Any, kind: str, dispute: Dispute, **params: Any) -> None:
    notify(
        users=users,
        kind=kind,
        params={"number": dispute.number, "title": dispute.title, **params},
        link=link(dispute),
    )


def dispute_number(organisation: Organisation, year: int) -> str:
    """The next dispute number of ``organisation`` in ``year``, e.g. 县人调委调〔2026〕3号."""
    unit = organisation.unit
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        unit=unit, kind="dispute", year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    prefix = unit.short_name or unit.name
    return f"{prefix}调〔{year}〕{counter.last}号"


def _mediator_counts(
    mediator: Mediator | None, *, active: int = 0, closed: int = 0, agreed: int = 0
) -> None:
    if mediator is None:
        return
    Mediator.objects.filter(pk=mediator.pk).update(
        active_count=F("active_count") + active,
        closed_count=F("closed_count") + closed,
        agreed_count=F("agreed_count") + agreed,
    )


# --- application ------------------------------------------------------------------------------


@transaction.atomic
def dispute_apply(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    facts: str,
    right_kind: str,
    region: Region,
    claims: Any,
    respondents: list[dict[str, Any]],
    applicant: dict[str, Any] | None = None,
    industry: str = "",
    rights_text: str = "",
    source: str = DisputeSource.ONLINE,
    case: Any = None,
    court: Unit | None = None,
    court_reference: str = "",
    mediation_first: dict[str, Any] | None = None,
    attachments: tuple[Any, ...] = (),
) -> Dispute:
    """Apply for mediation. Online, ``actor`` is the applicant (their account acts for them);
    a court entrusting a dispute before filing (诉前委派) or an officer turning a complaint to
    mediation names the parties. Respondents with a platform account (found by phone) consent
    online; for the others the organisation records their answer."""
    require_writer(actor)
    if not organisation.mediates:
        raise InvalidInput(
            _("请选择调解组织（仲裁委员会和法院不受理调解申请）。"),
            field="organisation",
            code=errors.NOT_MEDIATING_BODY,
        )
    if source == DisputeSource.ONLINE and not organisation.accepts_online:
        raise InvalidInput(
            _("该调解组织暂不接受网上申请，请选择其他组织。"),
            field="organisation",
            code=errors.ORGANISATION_CLOSED,
        )
    if right_kind not in RightKind.values:
        raise InvalidInput(_("请选择权利类型。"), field="right_kind", code=errors.FIELD_REQUIRED)
    title = _text(title, field="title", label=_("纠纷事由"))
    facts = _text(facts, field="facts", label=_("事实和理由"), limit=TEXT_LIMIT)
    rows, total = clean_claims(claims)
    if not respondents:
        raise InvalidInput(
            _("请填写被申请人。"), field="respondents.0.name", code=errors.FIELD_REQUIRED
        )
    if len(respondents) > MAX_PARTIES:
        raise InvalidInput(
            _("被申请人最多 %(n)s 个。") % {"n": MAX_PARTIES},
            field="respondents",
            code=errors.FIELD_INVALID,
        )
    respondent_rows = [
        _party_fields(r, field=f"respondents.{i}") for i, r in enumerate(respondents)
    ]
    if applicant is None:
        if source != DisputeSource.ONLINE:
            raise InvalidInput(
                _("请填写申请人。"), field="applicant.name", code=errors.FIELD_REQUIRED
            )
        profile = profile_of(actor)
        applicant = {
            "name": (profile.display_name if profile else "")
            or actor.get_full_name()
            or actor.username,
            "is_person": True,
            "phone": getattr(profile, "phone", "") if profile else "",
        }
    applicant_row = _party_fields(applicant, field="applicant")
    now = timezone.now()
    dispute = Dispute.objects.create(
        number=dispute_number(organisation, timezone.localdate().year),
        title=title,
        source=source,
        organisation=organisation,
        region=region,
        right_kind=right_kind,
        industry=_text(industry, field="industry", label=_("行业"), limit=64, required=False),
        rights_text=_text(
            rights_text, field="rights_text", label=_("权利说明"), limit=500, required=False
        ),
        facts=facts,
        claims=rows,
        claim_amount=total,
        case=case,
        court=court,
        court_reference=_text(
            court_reference,
            field="court_reference",
            label=_("法院诉前调解案号"),
            limit=64,
            required=False,
        ),
        mediation_first=mediation_first,
        created_by=actor,
        applied_at=now,
    )
    applicant_user = (
        actor if source == DisputeSource.ONLINE else _account_for(applicant_row["phone"])
    )
    if source == DisputeSource.COMPLAINT and case is not None and case.submitted_by_id:
        applicant_user = case.submitted_by
    Party.objects.create(
        dispute=dispute, side=Side.APPLICANT, user=applicant_user, consented=True, **applicant_row
    )
    for row in respondent_rows:
        user = _account_for(row["phone"])
        if user is not None and user.pk == getattr(applicant_user, "pk", None):
            user = None
        Party.objects.create(dispute=dispute, side=Side.RESPONDENT, user=user, **row)
    if attachments:
        dispute.attachments.add(*attachments)
    record.append(dispute, "apply", actor=actor, source=source, attachments=len(attachments))
    _tell(_org_people(dispute), "dispute.applied", dispute)
    return dispute


@transaction.atomic
def dispute_accept(*, actor: Any, dispute: Dispute, today: dt.date | None = None) -> Dispute:
    """The organisation accepts the application. The limit: a complaint mediated by the
    bureau itself (administrative mediation) keeps the complaint's own 45 working days from its
    acceptance (投诉举报办法第二十一条第（五）项; one clock, the case's); any other mediation runs
    the organisation's limit from today (在线调解规则第二十四条第二款)."""
    dispute = _take(actor, dispute, Action.ACCEPT)
    today = today or timezone.localdate()
    dispute.accepted_at = timezone.now()
    complaint_limit = None
    if (
        dispute.source == DisputeSource.COMPLAINT
        and dispute.case is not None
        and dispute.organisation.kind == OrganisationKind.ADMINISTRATIVE
    ):
        complaint_limit = dispute.case.deadlines.filter(
            key="complaint_mediation", met_at__isnull=True
        ).first()
    if complaint_limit is not None:
        due = complaint_limit.due_on
        deadlines.open_limit(dispute, deadlines.COMPLAINT_MEDIATION, starts_on=today, due_on=due)
    else:
        due = today + dt.timedelta(days=dispute.organisation.limit_days)
        deadlines.open_limit(dispute, deadlines.MEDIATION, starts_on=today, due_on=due)
    dispute.due_on = due
    _move(dispute, Action.ACCEPT, actor=actor, due_on=due.isoformat())
    _tell(_users(dispute, Side.APPLICANT), "dispute.accepted", dispute)
    _tell(_users(dispute, Side.RESPONDENT), "dispute.consent_asked", dispute)
    return dispute


@transaction.atomic
def dispute_decline(*, actor: Any, dispute: Dispute, reason: str) -> Dispute:
    dispute = _take(actor, dispute, Action.DECLINE)
    reason = _text(reason, field="reason", label=_("不予受理的理由"), limit=1000)
    dispute.outcome_reason = reason
    dispute.ended_at = timezone.now()
    _move(dispute, Action.DECLINE, actor=actor, reason=reason)
    _tell(_users(dispute, Side.APPLICANT), "dispute.declined", dispute, reason=reason)
    _complaint_ended(dispute, actor=actor)
    return dispute


@transaction.atomic
def dispute_consent(
    *, actor: Any, dispute: Dispute, consent: bool, party_id: int | None = None, reason: str = ""
) -> Dispute:
    """A respondent agrees to mediation or refuses it (mediation is voluntary, 人民调解法第十七
    条). The organisation may record the answer of a respondent without an account
    (``party_id``). The dispute moves on when every respondent agreed; one refusal ends it."""
    require_writer(actor)
    locked = _lock(dispute)
    sides = sides_of(actor, locked)
    if party_id is not None:
        party = locked.parties.filter(pk=party_id, side=Side.RESPONDENT).first()
        allowed = party is not None and (
            workflow.ORG in sides or party.user_id == getattr(actor, "pk", None)
        )
    else:
        party = locked.parties.filter(
            side=Side.RESPONDENT, user=actor, consented__isnull=True
        ).first()
        allowed = party is not None
    if party is None or not allowed:
        raise PermissionDenied(
            _("只有被申请人本人（或调解组织代为记录）可以表示是否同意调解。"),
            field="party_id",
            code=errors.NOT_YOURS,
        )
    action = Action.CONSENT if consent else Action.REFUSE
    if locked.status not in workflow.TRANSITIONS[action].sources:
        raise Conflict(
            _("纠纷目前为“%(status)s”，不能执行“%(action)s”。")
            % {"status": Status(locked.status).label, "action": Action(action).label},
            code=errors.NOT_ALLOWED,
        )
    party.consented = consent
    party.save(update_fields=["consented"])
    if not consent:
        reason = _text(reason, field="reason", label=_("理由"), limit=1000, required=False)
        locked.outcome_reason = reason
        locked.ended_at = timezone.now()
        deadlines.meet(locked, deadlines.MEDIATION, deadlines.COMPLAINT_MEDIATION)
        _move(locked, Action.REFUSE, actor=actor, party=party.pk, reason=reason)
        _tell([*_users(locked, Side.APPLICANT), *_org_people(locked)], "dispute.refused", locked)
        _complaint_ended(locked, actor=actor)
        return locked
    if locked.parties.filter(side=Side.RESPONDENT).exclude(consented=True).exists():
        record.append(locked, "consent_party", actor=actor, party=party.pk)
        return locked
    _move(locked, Action.CONSENT, actor=actor, party=party.pk)
    _tell([*_users(locked, Side.APPLICANT), *_org_people(locked)], "dispute.consented", locked)
    return locked


@transaction.atomic
def party_contact_set(*, actor: Any, dispute: Dispute, party_id: int, phone: str) -> Party:
    """The organisation records a party's phone (a respondent named in a complaint, reached by
    telephone): a platform account with that phone then acts for the party online — it is
    asked to consent while that is pending, and it signs with its own codes."""
    require_writer(actor)
    locked = _lock(dispute)
    if workflow.ORG not in sides_of(actor, locked):
        raise PermissionDenied(
            _("只有调解组织可以登记当事人的联系方式。"), field="party_id", code=errors.NOT_YOURS
        )
    if locked.status not in workflow.OPEN:
        raise Conflict(
            _("纠纷目前为“%(status)s”，不能修改当事人。") % {"status": Status(locked.status).label},
            field="party_id",
            code=errors.NOT_ALLOWED,
        )
    party = locked.parties.filter(pk=party_id).first()
    if party is None:
        raise InvalidInput(_("请选择当事人。"), field="party_id", code=errors.FIELD_REQUIRED)
    phone = _text(phone, field="phone", label=_("联系电话"), limit=32)
    user = _account_for(phone)
    others = {p.user_id for p in locked.parties.all() if p.pk != party.pk and p.user_id}
    if user is not None and user.pk in others:
        raise InvalidInput(
            _("这个号码的账号已是本纠纷的另一方当事人。"), field="phone", code=errors.FIELD_INVALID
        )
    party.phone = phone
    linked = party.user_id is None and user is not None
    if linked:
        party.user = user
    party.save(update_fields=["phone", "user"])
    record.append(locked, "party_contact", actor=actor, party=party.pk, linked=linked)
    if linked and locked.status == Status.ACCEPTED and party.side == Side.RESPONDENT:
        _tell([user], "dispute.consent_asked", locked)
    return party


def conflicts_with(mediator: Mediator, dispute: Dispute) -> list[str]:
    """The names of ``dispute``'s parties ``mediator`` declared a conflict with."""
    parties = list(dispute.parties.all())
    names = {p.name_normalized for p in parties}
    entities = {p.entity_id for p in parties if p.entity_id}
    found = []
    for conflict in mediator.conflicts.all():
        if conflict.name_normalized in names or (
            conflict.entity_id and conflict.entity_id in entities
        ):
            found.append(conflict.name)
    return found


def recused(dispute: Dispute) -> set[int]:
    """The mediators a party refused on ``dispute`` (never proposed or assigned again)."""
    return {
        e.params.get("mediator")
        for e in dispute.events.filter(verb=Action.RECUSE)
        if e.params.get("mediator")
    }


@transaction.atomic
def dispute_assign(*, actor: Any, dispute: Dispute, mediator: Mediator) -> Dispute:
    """Assign a mediator of the organisation: available, not refused by a party, and with no
    declared conflict of interest with a party."""
    dispute = _take(actor, dispute, Action.ASSIGN)
    if mediator.organisation_id != dispute.organisation_id:
        raise InvalidInput(
            _("只能指派本调解组织的调解员。"),
            field="mediator",
            code=errors.MEDIATOR_OTHER_ORGANISATION,
        )
    conflicts = conflicts_with(mediator, dispute)
    if conflicts:
        raise InvalidInput(
            _("调解员%(name)s申报了与当事人“%(party)s”的利害关系，应当回避。")
            % {"name": mediator.name, "party": "、".join(conflicts)},
            field="mediator",
            code=errors.MEDIATOR_CONFLICT,
        )
    if mediator.pk in recused(dispute):
        raise InvalidInput(
            _("当事人已申请调解员%(name)s回避。") % {"name": mediator.name},
            field="mediator",
            code=errors.MEDIATOR_CONFLICT,
        )
    if not mediator.available or not mediator.user.is_active:
        raise InvalidInput(
            _("调解员%(name)s目前不接受指派。") % {"name": mediator.name},
            field="mediator",
            code=errors.MEDIATOR_UNAVAILABLE,
        )
    dispute.mediator = mediator
    _mediator_counts(mediator, active=1)
    _move(dispute, Action.ASSIGN, actor=actor, mediator=mediator.pk, name=mediator.name)
    _tell([mediator.user], "dispute.assigned", dispute)
    _tell(_users(dispute), "dispute.mediator", dispute, mediator=mediator.name)
    return dispute


@transaction.atomic
def dispute_recuse(*, actor: Any, dispute: Dispute, reason: str) -> Dispute:
    """A party refuses the mediator (人民调解法第二十三条第一项): the organisation assigns
    another, never the same one again on this dispute."""
    dispute = _take(actor, dispute, Action.RECUSE)
    reason = _text(reason, field="reason", label=_("申请回避的理由"), limit=1000)
    mediator = dispute.mediator
    assert mediator is not None  # MEDIATING always has one
    dispute.mediator = None
    _mediator_counts(mediator, active=-1)
    _move(
        dispute, Action.RECUSE, actor=actor, mediator=mediator.pk, name=mediator.name, reason=reason
    )
    _tell(_org_people(dispute), "dispute.recused", dispute)
    _tell([mediator.user], "dispute.recused", dispute)
    return dispute


def _end(dispute: Dispute, action: str, *, actor: Any, reason: str) -> Dispute:
    dispute.outcome_reason = reason
    dispute.ended_at = timezone.now()
    mediator = dispute.mediator
    deadlines.meet(dispute, deadlines.MEDIATION, deadlines.COMPLAINT_MEDIATION)
    _move(dispute, action, actor=actor, reason=reason)
    if mediator is not None:
        _mediator_counts(mediator, active=-1, closed=1)
    _tell(
        _users(dispute), "dispute.ended", dispute, label=source_text(Status(dispute.status).label)
    )
    _complaint_ended(dispute, actor=actor)
    return dispute


@transaction.atomic
def dispute_fail(*, actor: Any, dispute: Dispute, reason: str) -> Dispute:
    """Mediation ends without an agreement (人民调解法第二十六条): the parties are told they may
    go to arbitration, administrative handling or court."""
    dispute = _take(actor, dispute, Action.FAIL)
    reason = _text(reason, field="reason", label=_("调解不成的原因"), limit=1000)
    return _end(dispute, Action.FAIL, actor=actor, reason=reason)


@transaction.atomic
def dispute_withdraw(*, actor: Any, dispute: Dispute, reason: str = "") -> Dispute:
    dispute = _take(actor, dispute, Action.WITHDRAW)
    reason = _text(reason, field="reason", label=_("理由"), limit=1000, required=False)
    return _end(dispute, Action.WITHDRAW, actor=actor, reason=reason)


@transaction.atomic
def dispute_extend(*, actor: Any, dispute: Dispute, until: Any, parties_agree: bool) -> Dispute:
    """Extend the mediation limit with every party's consent (在线调解规则第二十四条第一款).
    The 45 working days of a complaint's mediation cannot be extended."""
    dispute = _take(actor, dispute, Action.EXTEND)
    if not parties_agree:
        raise InvalidInput(
            _("延长调解期限须经各方当事人同意。"), field="parties_agree", code=errors.FIELD_REQUIRED
        )
    limit = deadlines.running(dispute, deadlines.MEDIATION)
    if limit is None:
        raise Conflict(
            _("投诉调解期限不能延长（《市场监督管理投诉举报处理暂行办法》第二十一条）。"),
            field="until",
            code=errors.NOT_ALLOWED,
        )
    until = _date(until, field="until", label=_("延长至"))
    if until <= limit.due_on:
        raise InvalidInput(
            _("延长后的期限应晚于原期限 %(due)s。") % {"due": limit.due_on.isoformat()},
            field="until",
            code=errors.FIELD_INVALID,
        )
    before = limit.due_on
    limit.due_on, limit.extended, limit.last_reminded_on = until, True, None
    limit.save(update_fields=["due_on", "extended", "last_reminded_on"])
    dispute.due_on, dispute.extended = until, True
    _move(
        dispute, Action.EXTEND, actor=actor, before_due=before.isoformat(), due_on=until.isoformat()
    )
    _tell(_users(dispute), "dispute.extended", dispute, due=until.isoformat())
    return dispute


def agreement_took_effect(dispute: Dispute, *, actor: Any, today: dt.date | None = None) -> Dispute:
    """Called by ``signing`` in the transaction of the last signature: the agreement is in
    force (人民调解法第二十九条), the 30 days for judicial confirmation start."""
    dispute = _lock(dispute)
    if dispute.status not in workflow.TRANSITIONS[Action.AGREE].sources:
        raise Conflict(
            _("纠纷目前为“%(status)s”，不能执行“%(action)s”。")
            % {"status": Status(dispute.status).label, "action": Action(Action.AGREE).label},
            code=errors.NOT_ALLOWED,
        )
    today = today or timezone.localdate()
    dispute.agreement_effective_on = today
    dispute.ended_at = timezone.now()
    agreement = dispute.agreement
    dispute.performance_due_on = agreement.performance_due_on
    deadlines.meet(dispute, deadlines.MEDIATION, deadlines.COMPLAINT_MEDIATION)
    if confirmable(dispute):
        deadlines.open_limit(dispute, deadlines.CONFIRMATION_APPLY, starts_on=today)
    if agreement.performance_due_on:
        deadlines.open_limit(
            dispute, deadlines.PERFORMANCE, starts_on=today, due_on=agreement.performance_due_on
        )
    _move(dispute, Action.AGREE, actor=actor, version=agreement.version, sha256=agreement.sha256)
    _mediator_counts(dispute.mediator, active=-1, closed=1, agreed=1)
    _tell([*_users(dispute), *_org_people(dispute)], "dispute.agreed", dispute)
    _complaint_ended(dispute, actor=actor)
    return dispute


def confirmable(dispute: Dispute) -> bool:
    """Whether the agreement can go to judicial confirmation: one reached by a mediation
    organisation (民事诉讼法第二百零五条), not an administrative mediation of a complaint."""
    return dispute.organisation.kind in (
        OrganisationKind.PEOPLES,
        OrganisationKind.INDUSTRY,
        OrganisationKind.CENTRE,
    )


# --- judicial confirmation --------------------------------------------------------------------


def _is_court(unit: Any) -> bool:
    return isinstance(unit, Unit) and unit.kind == UnitKind.COURT


@transaction.atomic
def confirmation_apply(
    *,
    actor: Any,
    dispute: Dispute,
    court: Unit | None = None,
    concerns_ownership: bool = False,
    today: dt.date | None = None,
) -> Confirmation:
    """A party applies for judicial confirmation; the application is joint (第二百零五条), so it
    goes to the court once every party has joined. Refused after the 30 days, for agreements
    deciding who owns an IP right or whether it is valid (民诉法解释第三百五十五条第（五）项),
    and for agreements that were not reached by a mediation organisation."""
    require_writer(actor)
    today = today or timezone.localdate()
    locked = _lock(dispute)
    sides = sides_of(actor, locked)
    if workflow.PARTY not in sides:
        raise PermissionDenied(_("只有当事人可以申请司法确认。"), code=errors.NOT_YOURS)
    party = next(p for p in locked.parties.all() if p.user_id == actor.pk)
    existing = Confirmation.objects.filter(dispute=locked).first()
    if existing is not None and locked.status == Status.CONFIRMING:
        if existing.complete_on is not None or party.pk in existing.joined:
            raise Conflict(_("您已申请过司法确认。"), code=errors.NOT_ALLOWED)
        return _join(locked, existing, party, actor=actor, today=today)
    if locked.status not in workflow.TRANSITIONS[Action.APPLY_CONFIRMATION].sources:
        raise Conflict(
            _("纠纷目前为“%(status)s”，不能执行“%(action)s”。")
            % {
                "status": Status(locked.status).label,
                "action": Action(Action.APPLY_CONFIRMATION).label,
            },
            code=errors.NOT_ALLOWED,
        )
    if not confirmable(locked):
        raise InvalidInput(
            _(
                "行政调解达成的协议不能申请司法确认；经调解组织调解达成的调解协议才可以（《民事诉讼法》第二百零五条）。"
            ),
            field="dispute",
            code=errors.CONFIRMATION_EXCLUDED,
        )
    if concerns_ownership:
        raise InvalidInput(
            _(
                "调解协议内容涉及知识产权确权的，不能申请司法确认（《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第三百五十五条）。"
            ),
            field="concerns_ownership",
            code=errors.CONFIRMATION_EXCLUDED,
        )
    effective = locked.agreement_effective_on
    assert effective is not None  # AGREED always has it
    last_day = effective + dt.timedelta(days=30)
    if today > last_day:
        raise InvalidInput(
            _(
                "调解协议于 %(effective)s 生效，申请司法确认的期限已于 %(last)s 届满"
                "（《民事诉讼法》第二百零五条：三十日内）。"
            )
            % {"effective": effective.isoformat(), "last": last_day.isoformat()},
            field="applied_on",
            code=errors.CONFIRMATION_LATE,
        )
    court = court or locked.court
    if court is None or not _is_court(court):
        raise InvalidInput(_("请选择受理申请的人民法院。"), field="court", code=errors.NOT_A_COURT)
    from ipshield.disputes.signing import confirmation_application_text

    confirmation = Confirmation.objects.create(
        dispute=locked,
        court=court,
        applied_on=today,
        application_text=confirmation_application_text(locked, court),
        joined=[party.pk],
    )
    _move(locked, Action.APPLY_CONFIRMATION, actor=actor, court=court.pk, party=party.pk)
    others = [p.user for p in locked.parties.all() if p.user_id and p.pk != party.pk]
    _tell(others, "dispute.confirmation_join", locked)
    return _maybe_complete(locked, confirmation, actor=actor, today=today)


def _join(
    dispute: Dispute, confirmation: Confirmation, party: Party, *, actor: Any, today: dt.date
) -> Confirmation:
    confirmation.joined = [*confirmation.joined, party.pk]
    confirmation.save(update_fields=["joined"])
    record.append(dispute, "confirmation_join", actor=actor, party=party.pk)
    return _maybe_complete(dispute, confirmation, actor=actor, today=today)


def _maybe_complete(
    dispute: Dispute, confirmation: Confirmation, *, actor: Any, today: dt.date
) -> Confirmation:
    """Send the application to the court when every party with an account has joined (a party
    without one joins in person at the court)."""
    waiting = [p for p in dispute.parties.all() if p.user_id and p.pk not in confirmation.joined]
    if waiting:
        return confirmation
    confirmation.complete_on = today
    confirmation.save(update_fields=["complete_on"])
    deadlines.meet(dispute, deadlines.CONFIRMATION_APPLY)
    deadlines.open_limit(dispute, deadlines.COURT_ACCEPT, starts_on=today)
    record.append(dispute, "confirmation_sent", actor=actor, court=confirmation.court_id)
    _tell(
        people(unit_id=confirmation.court_id, roles=COURT_ROLES),
        "dispute.confirmation_applied",
        dispute,
    )
    return confirmation


def _court_take(actor: Any, dispute: Dispute, action: str) -> tuple[Dispute, Confirmation]:
    dispute = _take(actor, dispute, action)
    confirmation = dispute.confirmation
    if confirmation.complete_on is None:
        raise Conflict(
            _("各方当事人尚未全部提出申请（司法确认须共同申请）。"), code=errors.NOT_ALLOWED
        )
    return dispute, confirmation


@transaction.atomic
def confirmation_accept(
    *, actor: Any, dispute: Dispute, today: dt.date | None = None
) -> Confirmation:
    """The court accepts the application (within 3 days); 15 days to decide start."""
    dispute, confirmation = _court_take(actor, dispute, Action.ACCEPT_CONFIRMATION)
    if confirmation.status != ConfirmationStatus.APPLIED:
        raise Conflict(_("该申请已经受理。"), code=errors.NOT_ALLOWED)
    today = today or timezone.localdate()
    confirmation.status, confirmation.accepted_on = ConfirmationStatus.ACCEPTED, today
    confirmation.save(update_fields=["status", "accepted_on"])
    deadlines.meet(dispute, deadlines.COURT_ACCEPT)
    deadlines.open_limit(dispute, deadlines.COURT_DECIDE, starts_on=today)
    _move(dispute, Action.ACCEPT_CONFIRMATION, actor=actor)
    _tell(_users(dispute), "dispute.confirmation_accepted", dispute)
    return confirmation


@transaction.atomic
def confirmation_extend(*, actor: Any, dispute: Dispute, approval: str) -> Confirmation:
    """Ten more days, once, with the court president's approval (第五条)."""
    dispute, confirmation = _court_take(actor, dispute, Action.EXTEND_CONFIRMATION)
    approval = _text(approval, field="approval", label=_("院长批准情况"), limit=500)
    limit = deadlines.running(dispute, deadlines.COURT_DECIDE)
    if confirmation.extended or limit is None:
        raise Conflict(
            _("审查期限只能延长一次（十日）。"), field="approval", code=errors.EXTENSION_DONE
        )
    limit.due_on += dt.timedelta(days=deadlines.COURT_EXTENSION_DAYS)
    limit.extended, limit.last_reminded_on = True, None
    limit.save(update_fields=["due_on", "extended", "last_reminded_on"])
    confirmation.extended = True
    confirmation.save(update_fields=["extended"])
    _move(
        dispute,
        Action.EXTEND_CONFIRMATION,
        actor=actor,
        approval=approval,
        due_on=limit.due_on.isoformat(),
    )
    return confirmation


@transaction.atomic
def confirmation_decide(
    *,
    actor: Any,
    dispute: Dispute,
    confirmed: bool,
    ruling_number: str,
    ruling_text: str,
    today: dt.date | None = None,
) -> Confirmation:
    """The court's ruling (确认裁定): the agreement is valid, or the application is rejected
    (民事诉讼法第二百零六条)."""
    action = Action.CONFIRM if confirmed else Action.REJECT_CONFIRMATION
    dispute, confirmation = _court_take(actor, dispute, action)
    if confirmation.status != ConfirmationStatus.ACCEPTED:
        raise Conflict(_("请先受理申请，再作出裁定。"), code=errors.NOT_ALLOWED)
    confirmation.ruling_number = _text(
        ruling_number, field="ruling_number", label=_("裁定书案号"), limit=64
    )
    confirmation.ruling_text = _text(
        ruling_text, field="ruling_text", label=_("裁定内容"), limit=TEXT_LIMIT
    )
    confirmation.decided_on = today or timezone.localdate()
    confirmation.status = ConfirmationStatus.CONFIRMED if confirmed else ConfirmationStatus.REJECTED
    confirmation.save()
    deadlines.meet(dispute, deadlines.COURT_DECIDE)
    if not confirmed:
        deadlines.meet(dispute, deadlines.PERFORMANCE)
    _move(dispute, action, actor=actor, ruling_number=confirmation.ruling_number)
    _tell(
        [*_users(dispute), *_org_people(dispute)],
        "dispute.confirmation_decided",
        dispute,
        label=source_text(Status(dispute.status).label),
    )
    return confirmation


# --- arbitration ------------------------------------------------------------------------------


@transaction.atomic
def arbitration_refer(
    *,
    actor: Any,
    dispute: Dispute,
    commission: Organisation,
    clause: str,
    today: dt.date | None = None,
) -> Arbitration:
    """Refer the dispute to an arbitration commission with the parties' arbitration agreement
    or clause (仲裁法第二十七条)."""
    dispute = _take(actor, dispute, Action.REFER_ARBITRATION)
    if commission.kind != OrganisationKind.ARBITRATION:
        raise InvalidInput(
            _("请选择仲裁委员会。"), field="commission", code=errors.NOT_A_COMMISSION
        )
    clause = _text(clause, field="clause", label=_("仲裁协议或仲裁条款"), limit=TEXT_LIMIT)
    arbitration = Arbitration.objects.create(
        dispute=dispute,
        commission=commission,
        clause=clause,
        referred_on=today or timezone.localdate(),
    )
    was_mediating = dispute.status == Status.MEDIATING
    mediator = dispute.mediator
    if was_mediating:
        dispute.ended_at = timezone.now()
        deadlines.meet(dispute, deadlines.MEDIATION, deadlines.COMPLAINT_MEDIATION)
    dispute = Dispute.objects.select_related("arbitration__commission").get(pk=dispute.pk)
    _move(dispute, Action.REFER_ARBITRATION, actor=actor, commission=commission.pk)
    if was_mediating and mediator is not None:
        _mediator_counts(mediator, active=-1, closed=1)
    _tell(
        people(unit_id=commission.unit_id, roles=ORG_ROLES | COURT_ROLES),
        "dispute.arbitration",
        dispute,
    )
    _tell(_users(dispute), "dispute.arbitration", dispute)
    return arbitration


@transaction.atomic
def arbitration_award(
    *, actor: Any, dispute: Dispute, award_number: str, award_summary: str, award_on: Any
) -> Arbitration:
    dispute = _take(actor, dispute, Action.RECORD_AWARD)
    arbitration = dispute.arbitration
    arbitration.award_number = _text(
        award_number, field="award_number", label=_("裁决书编号"), limit=64
    )
    arbitration.award_summary = _text(
        award_summary, field="award_summary", label=_("裁决结果"), limit=TEXT_LIMIT
    )
    arbitration.award_on = _date(award_on, field="award_on", label=_("裁决日期"))
    if (
        arbitration.award_on > timezone.localdate()
        or arbitration.award_on < arbitration.referred_on
    ):
        raise InvalidInput(
            _("裁决日期应在移交日期之后、今天之前。"), field="award_on", code=errors.FIELD_INVALID
        )
    arbitration.save()
    _move(dispute, Action.RECORD_AWARD, actor=actor, award_number=arbitration.award_number)
    _tell(_users(dispute), "dispute.award", dispute)
    return arbitration


# --- performance ------------------------------------------------------------------------------


@transaction.atomic
def performance_record(*, actor: Any, dispute: Dispute, performed: bool, note: str = "") -> Dispute:
    """Whether the agreement was performed (人民调解法第三十一条: the organisation supervises
    performance). Not performed: a credit record of the source 不履行调解协议 is made for each
    respondent, by the organisation."""
    action = Action.PERFORMED if performed else Action.NOT_PERFORMED
    dispute = _take(actor, dispute, action)
    note = _text(note, field="note", label=_("说明"), limit=1000, required=not performed)
    if not performed and not (sides_of(actor, dispute) & {workflow.ORG, workflow.MEDIATOR}):
        raise PermissionDenied(_("未履行由调解组织核实后记录。"), code=errors.NOT_YOURS)
    deadlines.meet(dispute, deadlines.PERFORMANCE, deadlines.CONFIRMATION_APPLY)
    if not performed:
        dispute.credit_record = _credit_record(actor, dispute, note)
    _move(
        dispute,
        action,
        actor=actor,
        note=note,
        credit_record=dispute.credit_record_id if not performed else None,
    )
    _tell(
        [*_users(dispute), *_org_people(dispute)],
        "dispute.performance",
        dispute,
        label=source_text(Status(dispute.status).label),
    )
    return dispute


def _credit_record(actor: Any, dispute: Dispute, note: str) -> Any:
    from ipshield.credit.models import CreditRecord, RecordSource
    from ipshield.credit.records import record_enter

    confirmation = Confirmation.objects.filter(dispute=dispute).select_related("court").first()
    confirmed = confirmation is not None and confirmation.status == ConfirmationStatus.CONFIRMED
    authority = confirmation.court.name if confirmation and confirmed else None
    number = confirmation.ruling_number if confirmation and confirmed else dispute.number
    first = None
    for party in dispute.parties.filter(side=Side.RESPONDENT):
        data = {
            "source": RecordSource.MEDIATION_BREACH,
            "subject_name": party.name,
            "subject_uscc": party.entity.uscc if party.entity and party.entity.uscc else "",
            "subject_is_person": party.is_person,
            "subject_address": party.address,
            "issuing_authority": authority or dispute.organisation.unit.name,
            "document_number": number,
            "decided_on": timezone.localdate().isoformat(),
            "legal_basis": "《人民调解法》第三十一条"
            + ("、《民事诉讼法》第二百零六条" if confirmed else ""),
            "summary": f"未履行调解协议（{dispute.number}）：{note}",
        }
        existing = CreditRecord.objects.filter(
            source=RecordSource.MEDIATION_BREACH,
            document_number=data["document_number"],
            subject_name=party.name,
        ).first()
        created = existing or record_enter(actor=actor, **data)
        first = first or created
    return first


# --- complaints -------------------------------------------------------------------------------


def _complaint_ended(dispute: Dispute, *, actor: Any) -> None:
    """A complaint's mediation is over: its 45 working days are met and the complaint's record
    says how it ended; the complaint goes on as administrative handling."""
    case = dispute.case
    if case is None:
        return
    from ipshield.cases import deadlines as case_deadlines
    from ipshield.cases import record as case_record

    case_deadlines.meet(case, case_deadlines.COMPLAINT_MEDIATION)
    case_record.step_recorded(
        case=case,
        actor=actor,
        step="mediation_ended",
        details={
            "dispute": dispute.number,
            "mediation_outcome": source_text(Status(dispute.status).label),
        },
    )


# --- reminders --------------------------------------------------------------------------------

DUE_SOON_DAYS = 3
OVERDUE_EVERY_DAYS = 7


def _deadline_people(deadline: Any) -> list[Any]:
    dispute = deadline.dispute
    key = deadline.key
    if key in (deadlines.COURT_ACCEPT, deadlines.COURT_DECIDE):
        court_id = Confirmation.objects.filter(dispute=dispute).values_list("court_id", flat=True)
        return list(people(unit_id=court_id.first(), roles=COURT_ROLES))
    if key == deadlines.CONFIRMATION_APPLY:
        return _users(dispute)
    found = _org_people(dispute)
    if dispute.mediator_id:
        found.append(dispute.mediator.user)
    return found


@transaction.atomic
def reminders_send(*, today: dt.date | None = None) -> int:
    """The daily run: each open limit due within three days is reminded once; an overdue one
    the day after it fell due and then weekly. Returns how many limits were reminded."""
    from ipshield.disputes.models import DisputeDeadline

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    due = (
        DisputeDeadline.objects.select_for_update(of=("self",))
        .filter(met_at__isnull=True, due_on__lte=horizon)
        .select_related("dispute__organisation", "dispute__mediator__user")
    )
    count = 0
    for deadline in due:
        last = deadline.last_reminded_on
        if deadline.due_on >= today:
            if last is not None and last >= deadline.due_on - dt.timedelta(days=DUE_SOON_DAYS):
                continue
            kind = "dispute.deadline_soon"
        else:
            if (
                last is not None
                and last > deadline.due_on
                and (today - last).days < OVERDUE_EVERY_DAYS
            ):
                continue
            kind = "dispute.deadline_overdue"
        limit = deadlines.LIMITS.get(deadline.key)
        _tell(
            _deadline_people(deadline),
            kind,
            deadline.dispute,
            label=source_text(limit.label) if limit else deadline.key,
            due=deadline.due_on.isoformat(),
        )
        deadline.last_reminded_on = today
        deadline.save(update_fields=["last_reminded_on"])
        count += 1
    return count
