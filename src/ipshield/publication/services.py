"""Every change of state in publication, typical cases, file review and reporter rewards.

Each service is keyword-only, runs in one transaction and writes its audit event
(:mod:`ipshield.publication.events`) in it. Text that reaches the public is masked here, once,
before it is stored (:mod:`ipshield.engines.masking`).

Figures and their sources:

* Publication period — 《市场监督管理行政处罚信息公示规定》（2021 年总局令第 45 号）第十三条:
  information on penalties consisting only of 通报批评 or a 较低数额罚款 stops being published
  three months after publication, all other penalty information after three years; the
  较低数额 is set by provincial market regulators. Defaults follow the figure Guizhou (2023)
  and Fujian (闽市监规〔2024〕3号) adopted: a fine below 5,000 yuan for a natural person, below
  50,000 yuan for a legal person or other organisation (不含本数). Set
  ``IPSHIELD_SMALL_FINE_PERSON_BELOW`` / ``IPSHIELD_SMALL_FINE_ORGANISATION_BELOW`` for the
  province. Individual businesses count as natural persons (《民法典》第五十四条).
* Warning-only penalties are not published (same 规定，第二条第二款).
* Periods in months end on the corresponding day of the last month, or the month's last day
  when there is none; the first day is not counted (《民法典》第二百零一条、第二百零二条).
* Withdrawal: within three working days after the decision is revoked, changed or found
  unlawful (``WITHDRAW_WITHIN_WORKING_DAYS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshield.accounts.roles import Role
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.cases import deadlines
from ipshield.cases.models import Case, CaseEvent, CaseEventVerb, DecisionKind, Source
from ipshield.cases.selectors import case_visible_to
from ipshield.cases.workflow import Status
from ipshield.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from ipshield.engines import workdays
from ipshield.engines.masking import (
    is_probably_person_name,
    mask_person_name,
    mask_text,
    split_qualifier,
)
from ipshield.engines.text import normalize_name
from ipshield.engines.workdays import add_months
from ipshield.publication import errors, events, signals
from ipshield.publication.models import (
    FileReview,
    FileReviewScore,
    PenaltyKind,
    Publication,
    PublicationStatus,
    ReporterReward,
    ReviewChecklist,
    RewardStatus,
    TypicalCase,
    penalty_kind_labels,
)
from ipshield.publication.selectors import (
    publication_visible_to_staff,
    reward_visible_to_staff,
    typical_case_visible_to_staff,
)
from ipshield.registry.models import EntityKind, HolderKind

DEFAULT_SMALL_FINE_PERSON_BELOW = Decimal("5000")
DEFAULT_SMALL_FINE_ORGANISATION_BELOW = Decimal("50000")
SHORT_PERIOD_MONTHS = 3
LONG_PERIOD_MONTHS = 36
WITHDRAW_WITHIN_WORKING_DAYS = 3
PERIOD_SOURCE = gettext_lazy("《市场监督管理行政处罚信息公示规定》第十三条")

# Penalties that, alone or together, may still qualify for the short period.
_LIGHTER_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.CRITICISM, PenaltyKind.FINE})

OFFICERS = frozenset({Role.CASE_OFFICER, Role.UNIT_LEADER})
CURATORS = frozenset({Role.CASE_OFFICER, Role.UNIT_LEADER, Role.SYSADMIN})
REVIEWERS = frozenset({Role.LEGAL_REVIEWER, Role.UNIT_LEADER, Role.SYSADMIN})
LEADERS = frozenset({Role.UNIT_LEADER})
# A reward can be proposed once the penalty decision exists.
_DECIDED = frozenset({Status.DECIDED, Status.PUBLISHED, Status.CLOSED})


# -- Helpers --------------------------------------------------------------------------------------


def _roles(actor: Any) -> set[str]:
    profile = profile_of(actor)
    return set(profile.roles) if profile else set()


def _require_role(actor: Any, roles: Iterable[str], message: str) -> None:
    if not _roles(actor) & {str(r) for r in roles}:
        raise PermissionDenied(message, code=errors.ROLE_NOT_ALLOWED)


def _required(value: str | None, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("请填写%(label)s。") % {"label": label}, field=field)
    return value


def _decimal(value: Any, *, field: str, label: str) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput(_("请填写%(label)s。") % {"label": label}, field=field)
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise InvalidInput(_("%(label)s应为数字。") % {"label": label}, field=field) from None
    if not number.is_finite():
        raise InvalidInput(_("%(label)s应为数字。") % {"label": label}, field=field)
    return number


def small_fine_below(*, person: bool) -> Decimal:
    """The province's 较低数额罚款: fines below this amount (yuan) are published 3 months."""
    if person:
        value = getattr(
            settings, "IPSHIELD_SMALL_FINE_PERSON_BELOW", DEFAULT_SMALL_FINE_PERSON_BELOW
        )
    else:
        value = getattr(
            settings,
            "IPSHIELD_SMALL_FINE_ORGANISATION_BELOW",
            DEFAULT_SMALL_FINE_ORGANISATION_BELOW,
        )
    return Decimal(str(value))


def publication_period(
    *, penalty_kinds: Collection[str], penalty_amount: Decimal | None, person: bool
) -> tuple[int, str]:
    """How many months a decision stays published, and why (for the record and the page).

    ``penalty_kinds`` empty means the case did not record them: a positive amount is then taken
    to be a fine and nothing else, and no amount at all counts as another penalty (three years),
    since a penalty without a fine is usually confiscation.
    """
    below = small_fine_below(person=person)
    amount = penalty_amount or Decimal(0)
    party = _("自然人") if person else _("法人或其他组织")
    kinds = set(penalty_kinds)
    heavier = sorted(kinds - _LIGHTER_KINDS)
    if heavier:
        labels = "、".join(penalty_kind_labels(heavier))
        return LONG_PERIOD_MONTHS, _("处罚含%(k)s，公示三年（%(src)s）") % {
            "k": labels,
            "src": PERIOD_SOURCE,
        }
    if not kinds:
        if penalty_amount is None or amount <= 0:
            return LONG_PERIOD_MONTHS, _(
                "未记录处罚种类，且没有罚款金额，按其他行政处罚公示三年（%(src)s）"
            ) % {"src": PERIOD_SOURCE}
        fined = True
    else:
        fined = PenaltyKind.FINE in kinds
    if fined and amount >= below:
        return LONG_PERIOD_MONTHS, _(
            "罚款%(a)s元，不属于较低数额（对%(p)s不足%(b)s元），公示三年（%(src)s）"
        ) % {"a": amount, "p": party, "b": below, "src": PERIOD_SOURCE}
    if fined:
        return SHORT_PERIOD_MONTHS, _(
            "较低数额罚款%(a)s元（对%(p)s不足%(b)s元），公示三个月（%(src)s）"
        ) % {"a": amount, "p": party, "b": below, "src": PERIOD_SOURCE}
    return SHORT_PERIOD_MONTHS, _("仅受到通报批评，公示三个月（%(src)s）") % {"src": PERIOD_SOURCE}


def withdrawal_deadline(revoked_on: dt.date) -> dt.date:
    """The last day to withdraw a publication whose decision was revoked on ``revoked_on``."""
    deadlines.load_calendar()  # the administrators' holiday overrides
    return workdays.add_working_days(revoked_on, WITHDRAW_WITHIN_WORKING_DAYS)


def _clean_kinds(penalty_kinds: Iterable[str] | None) -> list[str]:
    kinds = []
    for kind in penalty_kinds or ():
        if kind not in PenaltyKind.values:
            raise InvalidInput(_("未知的处罚种类：%(k)s") % {"k": kind}, field="penalty_kinds")
        if kind not in kinds:
            kinds.append(kind)
    return kinds


def case_person_names(case: Case) -> list[str]:
    """The natural persons a case is known to name, whose names are masked when published."""
    names = []
    entity = case.infringer
    if entity is not None and entity.kind in (EntityKind.PERSON, EntityKind.INDIVIDUAL_BUSINESS):
        names.append(entity.legal_representative)
        if entity.kind == EntityKind.PERSON or is_probably_person_name(entity.name):
            names.append(entity.name)
    if is_probably_person_name(case.infringer_name):
        names.append(case.infringer_name)
    holder = case.rights_holder
    if holder is not None and holder.kind == HolderKind.PERSON:
        names.append(holder.name)
    # A name is found in running text without its qualifier ("张三（个体经营者）" → "张三").
    return [split_qualifier(n)[0] for n in names if n and n.strip()]


def _party(case: Case, names: list[str], *, fallback: str = "") -> tuple[str, bool, str]:
    """The party's public name, whether it is a natural person's, and its credit code.
    ``fallback`` is the name to use when the case recorded none."""
    entity = case.infringer
    if entity is not None:
        name = entity.name.strip()
        if entity.kind == EntityKind.PERSON:
            return mask_person_name(name), True, ""
        is_person = entity.kind == EntityKind.INDIVIDUAL_BUSINESS
        if is_person and (
            name == entity.legal_representative.strip() or is_probably_person_name(name)
        ):
            return mask_person_name(name), True, entity.uscc or ""
        return mask_text(name, person_names=names), is_person, entity.uscc or ""
    name = case.infringer_name.strip() or fallback
    if is_probably_person_name(name):
        return mask_person_name(name), True, ""
    return mask_text(name, person_names=names), False, ""


# -- Publication ----------------------------------------------------------------------------------


@transaction.atomic
def publication_create_for(
    *,
    case: Case,
    actor: Any,
    decision_number: str = "",
    penalty_kinds: Iterable[str] | None = None,
    person_names: Iterable[str] = (),
    infringer_name: str = "",
    summary: str | None = None,
    amount: Decimal | None = None,
    anew: bool = False,
) -> Publication:
    """Publish ``case``'s penalty decision, masked, for its statutory period.

    ``anew`` publishes a decision changed on reconsideration or by a court (its ``summary``,
    ``amount`` and ``penalty_kinds``) after the earlier publication was withdrawn; a case has
    one publication on the portal at a time.

    Call it from ``cases.services.case_publish`` in the same transaction. The party's name is
    masked when it is a natural person's (or an individual business trading under the
    operator's own name); the title and the summary are masked for every person the case names
    and for ``person_names``. ``infringer_name`` names the party when the case recorded none
    (a decision is not published without its party).
    """
    require_writer(actor)
    if case.decision_kind != DecisionKind.PENALTY:
        raise Conflict(_("只有行政处罚决定需要公示。"), code=errors.NOT_A_PENALTY)
    # a changed decision may be published anew after the case was closed
    if case.status not in (Status.DECIDED, Status.PUBLISHED, *((Status.CLOSED,) if anew else ())):
        raise Conflict(
            _("案件尚未作出行政处罚决定，不能公示。"), code=errors.NOT_A_PENALTY, field="case"
        )
    if not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该案件，或您无权办理。"))
    kinds = _clean_kinds(penalty_kinds)
    if kinds and set(kinds) <= {PenaltyKind.WARNING}:
        raise Conflict(
            _("仅受到警告的行政处罚不予公示（《市场监督管理行政处罚信息公示规定》第二条）。"),
            code=errors.WARNING_ONLY,
            field="penalty_kinds",
        )
    earlier = Publication.objects.filter(case=case)
    if anew:
        earlier = earlier.filter(status=PublicationStatus.PUBLISHED)
    if earlier.exists():
        raise Conflict(_("该决定已经公示。"), code=errors.ALREADY_PUBLISHED)
    party_name = infringer_name.strip()
    names = [*case_person_names(case), *(n for n in person_names if n)]
    if is_probably_person_name(party_name):
        names.append(party_name)
    display_name, is_person, uscc = _party(case, names, fallback=party_name)
    if not display_name:
        raise InvalidInput(
            _("公示前须填写当事人名称。"), field="infringer_name", code=errors.NO_PARTY
        )
    published_at = timezone.now() if anew else case.published_at or timezone.now()
    amount = case.penalty_amount if amount is None else amount
    months, basis = publication_period(penalty_kinds=kinds, penalty_amount=amount, person=is_person)
    decided_at = case.decided_at or published_at
    publication = Publication.objects.create(
        case=case,
        unit=case.unit,
        decision_number=decision_number.strip(),
        title=mask_text(case.title, person_names=names),
        summary=mask_text(summary or case.decision_summary or case.title, person_names=names),
        infringer_name=display_name,
        infringer_name_normalized=normalize_name(display_name),
        infringer_is_person=is_person,
        infringer_uscc=uscc,
        penalty_kinds=kinds,
        penalty_amount=amount,
        decided_on=timezone.localdate(decided_at),
        published_at=published_at,
        published_by=actor if getattr(actor, "pk", None) else None,
        period_months=months,
        period_ends_on=add_months(timezone.localdate(published_at), months),
        period_basis=basis,
    )
    events.publication_created(actor=actor, publication=publication)
    signals.publication_published.send(Publication, publication=publication, actor=actor)
    return publication


@transaction.atomic
def publication_withdraw(
    *, actor: Any, publication: Publication, reason: str, revoked_on: dt.date | None
) -> Publication:
    """Take a publication down because its decision was revoked, changed or found unlawful.

    Records when and by whom, and the statutory deadline (three working days after
    ``revoked_on``); a late withdrawal is still done, and shows as late.
    """
    require_writer(actor)
    _require_role(actor, OFFICERS, _("只有办案人员或单位负责人可以撤回公示。"))
    if not publication_visible_to_staff(actor=actor, publication_id=publication.pk):
        raise NotFound(_("找不到该公示，或您无权办理。"))
    reason = _required(reason, field="reason", label=_("撤回理由"))
    if revoked_on is None:
        raise InvalidInput(_("请填写决定被撤销或变更的日期。"), field="revoked_on")
    if revoked_on > timezone.localdate():
        raise InvalidInput(_("决定被撤销的日期不能晚于今天。"), field="revoked_on")
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if revoked_on < publication.decided_on:
        raise InvalidInput(
            _("决定被撤销的日期不能早于决定日期 %(d)s。") % {"d": publication.decided_on},
            field="revoked_on",
        )
    if publication.status != PublicationStatus.PUBLISHED:
        raise Conflict(
            _("该公示当前状态为“%(s)s”，不能撤回。") % {"s": publication.get_status_display()},
            code=errors.NOT_PUBLISHED,
        )
    publication.revoked_on = revoked_on
    publication.withdrawal_due_on = withdrawal_deadline(revoked_on)
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = actor
    publication.withdrawal_reason = reason
    publication.status = PublicationStatus.WITHDRAWN
    publication.save(
        update_fields=[
            "revoked_on",
            "withdrawal_due_on",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
            "status",
            "updated_at",
        ]
    )
    events.publication_withdrawn(actor=actor, publication=publication)
    signals.publication_withdrawn.send(
        Publication, publication=publication, actor=actor, reason=reason
    )
    return publication


@transaction.atomic
def publications_expire_due(*, today: dt.date | None = None) -> int:
    """Stop publishing every decision whose period ended before ``today``. Returns how many."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = Publication.objects.select_for_update().filter(
        status=PublicationStatus.PUBLISHED, period_ends_on__lt=today
    )
    count = 0
    for publication in due:
        publication.status = PublicationStatus.EXPIRED
        publication.expired_at = now
        publication.save(update_fields=["status", "expired_at", "updated_at"])
        events.publication_expired(publication=publication, today=today)
        count += 1
    return count


# -- Typical cases --------------------------------------------------------------------------------


def _order(order: Any) -> int:
    try:
        value = int(order)
    except (TypeError, ValueError):
        raise InvalidInput(_("排序应为不小于 0 的整数。"), field="order") from None
    if value < 0:
        raise InvalidInput(_("排序应为不小于 0 的整数。"), field="order")
    return value


@transaction.atomic
def typical_case_create(
    *,
    actor: Any,
    case: Case,
    title: str,
    summary: str,
    order: int = 0,
    person_names: Iterable[str] = (),
) -> TypicalCase:
    """Write up a closed case as a typical case (not yet published). Text is masked."""
    require_writer(actor)
    _require_role(actor, CURATORS, _("只有办案人员或单位负责人可以编写典型案例。"))
    if not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该案件，或您无权办理。"), field="case")
    title = _required(title, field="title", label=_("标题"))
    summary = _required(summary, field="summary", label=_("案情与意义"))
    order = _order(order)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.CLOSED:
        raise Conflict(
            _("只能从已结案的案件编写典型案例。"), code=errors.CASE_NOT_CLOSED, field="case"
        )
    if TypicalCase.objects.filter(case=case).exists():
        raise Conflict(_("该案件已编写为典型案例。"), code=errors.ALREADY_CURATED, field="case")
    names = [*case_person_names(case), *(n for n in person_names if n)]
    typical_case = TypicalCase.objects.create(
        case=case,
        unit=case.unit,
        title=mask_text(title, person_names=names),
        summary=mask_text(summary, person_names=names),
        order=order,
        created_by=actor,
    )
    events.typical_case_created(actor=actor, typical_case=typical_case)
    return typical_case


@transaction.atomic
def typical_case_update(
    *,
    actor: Any,
    typical_case: TypicalCase,
    title: str,
    summary: str,
    order: int,
    person_names: Iterable[str] = (),
) -> TypicalCase:
    require_writer(actor)
    _require_role(actor, CURATORS, _("只有办案人员或单位负责人可以修改典型案例。"))
    if not typical_case_visible_to_staff(actor=actor, typical_case_id=typical_case.pk):
        raise NotFound(_("找不到该典型案例，或您无权办理。"))
    title = _required(title, field="title", label=_("标题"))
    summary = _required(summary, field="summary", label=_("案情与意义"))
    order = _order(order)
    typical_case = TypicalCase.objects.select_for_update().get(pk=typical_case.pk)
    names = [*case_person_names(typical_case.case), *(n for n in person_names if n)]
    new = {
        "title": mask_text(title, person_names=names),
        "summary": mask_text(summary, person_names=names),
        "order": order,
    }
    changed = [field for field, value in new.items() if getattr(typical_case, field) != value]
    if changed:
        for field in changed:
            setattr(typical_case, field, new[field])
        typical_case.save(update_fields=[*changed, "updated_at"])
        events.typical_case_updated(actor=actor, typical_case=typical_case, changed=changed)
    return typical_case


@transaction.atomic
def typical_case_set_published(
    *, actor: Any, typical_case: TypicalCase, published: bool
) -> TypicalCase:
    require_writer(actor)
    _require_role(actor, CURATORS, _("只有办案人员或单位负责人可以发布典型案例。"))
    if not typical_case_visible_to_staff(actor=actor, typical_case_id=typical_case.pk):
        raise NotFound(_("找不到该典型案例，或您无权办理。"))
    typical_case = TypicalCase.objects.select_for_update().get(pk=typical_case.pk)
    if typical_case.published == published:
        return typical_case
    typical_case.published = published
    if published:
        typical_case.published_at = timezone.now()
    typical_case.save(update_fields=["published", "published_at", "updated_at"])
    if published:
        events.typical_case_published(actor=actor, typical_case=typical_case)
    else:
        events.typical_case_unpublished(actor=actor, typical_case=typical_case)
    return typical_case


# -- File review ----------------------------------------------------------------------------------


def score_field(item_id: int) -> str:
    """The field name a score is reported under (forms use the same name)."""
    return f"item_{item_id}"


def _handled_by(case: Case, actor: Any) -> bool:
    return CaseEvent.objects.filter(
        case=case, actor_id=getattr(actor, "pk", None), verb=CaseEventVerb.TRANSITION
    ).exists()


@transaction.atomic
def file_review_create(
    *,
    actor: Any,
    case: Case,
    checklist: ReviewChecklist,
    scores: Mapping[Any, Any],
    comment: str = "",
    notes: Mapping[Any, str] | None = None,
) -> FileReview:
    """Score a closed case's file: ``scores`` maps each checklist item's id to its points.

    Every item must be scored, from 0 to its maximum; a refusal names the item's field
    (``item_<id>``). Whoever handled the case (took any step in it) may not review it.
    """
    require_writer(actor)
    _require_role(actor, REVIEWERS, _("只有法制审核人员或单位负责人可以评查案卷。"))
    if not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该案件，或您无权评查。"), field="case")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.CLOSED:
        raise Conflict(_("只能评查已结案的案卷。"), code=errors.CASE_NOT_CLOSED, field="case")
    if not checklist.active:
        raise InvalidInput(_("该评查标准已停用。"), field="checklist")
    if _handled_by(case, actor):
        raise PermissionDenied(_("不能评查本人办理过的案件。"), code=errors.OWN_CASE)
    if FileReview.objects.filter(case=case, checklist=checklist).exists():
        raise Conflict(_("该案卷已按此标准评查过。"), code=errors.ALREADY_REVIEWED, field="case")
    items = list(checklist.items.order_by("order", "id"))
    if not items:
        raise InvalidInput(_("该评查标准还没有评查项目。"), field="checklist")
    given = {str(key): value for key, value in scores.items()}
    notes_by_item = {str(key): (value or "").strip() for key, value in (notes or {}).items()}
    unknown = set(given) - {str(item.pk) for item in items}
    if unknown:
        raise InvalidInput(
            _("评分中有不属于该标准的项目：%(ids)s") % {"ids": ", ".join(sorted(unknown))},
            field="scores",
        )
    rows = []
    for item in items:
        field = score_field(item.pk)
        raw = given.get(str(item.pk))
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise InvalidInput(
                _("请为“%(t)s”打分。") % {"t": item.title}, field=field, code=errors.SCORE_MISSING
            )
        points = _decimal(raw, field=field, label=_("“%(t)s”的得分") % {"t": item.title})
        if points < 0:
            raise InvalidInput(_("“%(t)s”的得分不能为负数。") % {"t": item.title}, field=field)
        if points > item.max_points:
            raise InvalidInput(
                _("“%(t)s”的得分 %(p)s 超过该项满分 %(m)s 分。")
                % {"t": item.title, "p": points, "m": item.max_points},
                field=field,
                code=errors.SCORE_ABOVE_MAX,
            )
        if points != points.quantize(Decimal("0.1")):
            raise InvalidInput(
                _("“%(t)s”的得分最多保留一位小数。") % {"t": item.title}, field=field
            )
        note = notes_by_item.get(str(item.pk), "")[:300]
        rows.append((item, points, note))
    total = sum((points for _item, points, _note in rows), Decimal(0))
    maximum = sum((item.max_points for item, _points, _note in rows), Decimal(0))
    review = FileReview.objects.create(
        case=case,
        unit=case.unit,
        checklist=checklist,
        reviewer=actor,
        total_points=total,
        max_points=maximum,
        percentage=(total * 100 / maximum).quantize(Decimal("0.01")),
        comment=(comment or "").strip(),
        reviewed_at=timezone.now(),
    )
    FileReviewScore.objects.bulk_create(
        FileReviewScore(
            review=review,
            item=item,
            title=item.title,
            max_points=item.max_points,
            points=points,
            note=note,
        )
        for item, points, note in rows
    )
    events.file_review_created(actor=actor, review=review)
    return review


# -- Reporter rewards -----------------------------------------------------------------------------


def _reward_for_leader(actor: Any, reward: ReporterReward) -> ReporterReward:
    """Lock ``reward`` for a decision by a leader of its own unit, not its proposer."""
    require_writer(actor)
    _require_role(actor, LEADERS, _("举报奖励须由单位负责人审批。"))
    profile = profile_of(actor)
    if profile is None or profile.unit_id != reward.unit_id:
        raise NotFound(_("找不到该举报奖励，或您无权审批。"))
    reward = ReporterReward.objects.select_for_update().get(pk=reward.pk)
    if reward.status != RewardStatus.PROPOSED:
        raise Conflict(
            _("该举报奖励当前状态为“%(s)s”，不能审批。") % {"s": reward.get_status_display()},
            code=errors.REWARD_STATE,
        )
    if reward.proposed_by_id == actor.pk:
        raise PermissionDenied(_("不能审批本人提出的举报奖励。"), code=errors.FOUR_EYES)
    return reward


@transaction.atomic
def reward_propose(*, actor: Any, case: Case, amount: Any, basis: str) -> ReporterReward:
    """Propose a reward for the reporter of a report-origin case that ended in a penalty.

    A refused proposal may be proposed again (the refusal stays in the audit trail).
    """
    require_writer(actor)
    _require_role(actor, OFFICERS, _("只有办案人员或单位负责人可以提出举报奖励。"))
    if not case_visible_to(actor=actor, case_id=case.pk):
        raise NotFound(_("找不到该案件，或您无权办理。"), field="case")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.source != Source.REPORT:
        raise Conflict(
            _("只有举报来源的案件才能给予举报奖励。"), code=errors.NOT_A_REPORT, field="case"
        )
    if case.decision_kind != DecisionKind.PENALTY or case.status not in _DECIDED:
        raise Conflict(
            _("案件须已作出行政处罚决定，才能给予举报奖励。"),
            code=errors.NOT_DECIDED,
            field="case",
        )
    amount = _decimal(amount, field="amount", label=_("奖励金额"))
    if amount <= 0:
        raise InvalidInput(_("奖励金额应大于 0 元。"), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(_("奖励金额最多保留两位小数（分）。"), field="amount")
    basis = _required(basis, field="basis", label=_("奖励依据"))
    now = timezone.now()
    reward = ReporterReward.objects.select_for_update().filter(case=case).first()
    if reward is not None and reward.status != RewardStatus.REFUSED:
        raise Conflict(
            _("该案件已有举报奖励（%(s)s）。") % {"s": reward.get_status_display()},
            code=errors.REWARD_EXISTS,
            field="case",
        )
    if reward is None:
        reward = ReporterReward(case=case, unit=case.unit)
    reward.amount, reward.basis, reward.status = amount, basis, RewardStatus.PROPOSED
    reward.proposed_by, reward.proposed_at = actor, now
    reward.decided_by, reward.decided_at, reward.decision_note = None, None, ""
    reward.save()
    events.reward_proposed(actor=actor, reward=reward)
    return reward


@transaction.atomic
def reward_approve(*, actor: Any, reward: ReporterReward, note: str = "") -> ReporterReward:
    """A unit leader (not the proposer) approves a proposed reward."""
    reward = _reward_for_leader(actor, reward)
    reward.status = RewardStatus.APPROVED
    reward.decided_by, reward.decided_at = actor, timezone.now()
    reward.decision_note = (note or "").strip()
    reward.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    events.reward_approved(actor=actor, reward=reward)
    return reward


@transaction.atomic
def reward_refuse(*, actor: Any, reward: ReporterReward, reason: str) -> ReporterReward:
    """A unit leader (not the proposer) refuses a proposed reward, with the reason."""
    reason = _required(reason, field="reason", label=_("不予奖励的理由"))
    reward = _reward_for_leader(actor, reward)
    reward.status = RewardStatus.REFUSED
    reward.decided_by, reward.decided_at, reward.decision_note = actor, timezone.now(), reason
    reward.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    events.reward_refused(actor=actor, reward=reward)
    return reward


@transaction.atomic
def reward_mark_paid(
    *, actor: Any, reward: ReporterReward, paid_on: dt.date | None, reference: str
) -> ReporterReward:
    """Record that an approved reward was paid: when, and the voucher's number."""
    require_writer(actor)
    _require_role(actor, OFFICERS, _("只有办案人员或单位负责人可以登记奖励发放。"))
    if not reward_visible_to_staff(actor=actor, reward_id=reward.pk):
        raise NotFound(_("找不到该举报奖励，或您无权办理。"))
    reference = _required(reference, field="reference", label=_("发放凭证号"))
    if paid_on is None:
        raise InvalidInput(_("请填写发放日期。"), field="paid_on")
    if paid_on > timezone.localdate():
        raise InvalidInput(_("发放日期不能晚于今天。"), field="paid_on")
    reward = ReporterReward.objects.select_for_update().get(pk=reward.pk)
    if reward.status != RewardStatus.APPROVED:
        raise Conflict(
            _("只有已批准的举报奖励才能登记发放（当前：%(s)s）。")
            % {"s": reward.get_status_display()},
            code=errors.REWARD_STATE,
        )
    if reward.decided_at is not None and paid_on < timezone.localdate(reward.decided_at):
        raise InvalidInput(_("发放日期不能早于批准日期。"), field="paid_on")
    reward.status = RewardStatus.PAID
    reward.paid_on, reward.payment_reference, reward.paid_recorded_by = paid_on, reference, actor
    reward.save(
        update_fields=["status", "paid_on", "payment_reference", "paid_recorded_by", "updated_at"]
    )
    events.reward_paid(actor=actor, reward=reward)
    return reward
