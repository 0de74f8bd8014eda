"""Records the indicators count, written straight into the tables with the dates a test needs."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from ipshield.cases.models import Case, CaseDeadline, Source
from tests.cases.factories import receive

TZ = dt.timezone(dt.timedelta(hours=8))
_n = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def case(world, *, unit=None, source=Source.REPORT) -> Case:
    return receive(world, unit=unit or world.market, source=source, title=f"案件{next(_n)}")


def limit(
    case: Case, key: str, *, due: dt.date, met: dt.date | None, hour: int = 10
) -> CaseDeadline:
    """``case``'s limit ``key``, due on ``due`` and met on ``met`` (or still open)."""
    CaseDeadline.objects.filter(case=case, key=key).delete()
    return CaseDeadline.objects.create(
        case=case,
        key=key,
        label=key,
        legal_source="test",
        starts_on=due - dt.timedelta(days=7),
        due_on=due,
        met_at=at(met, hour) if met else None,
    )


def _other(world, unit):
    return world.agriculture if unit != world.agriculture else world.market


def file_review(world, *, unit, points, maximum=Decimal(100), day=dt.date(2026, 6, 1)):
    from ipshield.publication.models import FileReview, ReviewChecklist

    checklist, _ = ReviewChecklist.objects.get_or_create(name="测试评查标准")
    return FileReview.objects.create(
        case=case(world, unit=unit),
        unit=unit,
        checklist=checklist,
        reviewer=world.admin,
        total_points=Decimal(points),
        max_points=maximum,
        percentage=Decimal(points) * 100 / maximum,
        reviewed_at=at(day),
    )


def assistance(world, *, to_unit, due: dt.date, answered: dt.date | None):
    from ipshield.cooperation.models import AssistanceRequest

    return AssistanceRequest.objects.create(
        case=case(world),
        from_unit=_other(world, to_unit),
        to_unit=to_unit,
        asked="请协助核查",
        due_on=due,
        status="replied" if answered else "sent",
        sent_at=at(due - dt.timedelta(days=10)),
        answered_at=at(answered) if answered else None,
    )


def transfer(world, *, to_unit, proposed: dt.date, answered: dt.date | None, status=None):
    from ipshield.cooperation.models import Transfer

    return Transfer.objects.create(
        case=case(world),
        from_unit=_other(world, to_unit),
        to_unit=to_unit,
        reason="不属于本单位管辖",
        status=status or ("accepted" if answered else "proposed"),
        proposed_at=at(proposed),
        answered_at=at(answered) if answered else None,
    )


def assignment(world, *, unit, due: dt.date, done: dt.date | None, plan_status="published"):
    from ipshield.supervision.models import Assignment, Measure, Plan

    plan = Plan.objects.create(
        title=f"实施方案{next(_n)}",
        office_unit=world.market,
        region=world.county,
        status=plan_status,
    )
    measure = Measure.objects.create(plan=plan, order=1, number="（一）", title="建立机制")
    return Assignment.objects.create(
        measure=measure, unit=unit, starts_on=dt.date(2026, 1, 1), due_on=due, done_on=done
    )


def alert(world, *, unit, created: dt.date, handled: dt.date | None, status=None):
    from ipshield.monitoring.models import Alert
    from tests.monitoring.factories import (
        AlertFactory,
        ListingFactory,
        ListingImportFactory,
        WatchMarkFactory,
    )

    mark = WatchMarkFactory(name="康师傅", unit=unit, added_by=world.officer)
    listing = ListingFactory(source=ListingImportFactory(unit=unit), title="康帅傅 牛肉面")
    item = AlertFactory(listing=listing, mark=mark)
    Alert.objects.filter(pk=item.pk).update(
        created_at=at(created),
        status=status or ("dismissed" if handled else "open"),
        handled_at=at(handled) if handled else None,
    )
    return item


def credit_record(world, *, unit, decided: dt.date, created: dt.date, status="public"):
    from ipshield.credit.models import CreditRecord

    n = next(_n)
    record = CreditRecord.objects.create(
        subject_name=f"保德县某商贸有限公司{n}",
        source="judgment",
        unit=unit,
        issuing_authority="保德县人民法院",
        document_number=f"（2026）晋0931民初{n}号",
        decided_on=decided,
        public_until=decided + dt.timedelta(days=1000),
        status=status,
        source_key=f"test:{n}",
    )
    CreditRecord.objects.filter(pk=record.pk).update(created_at=at(created))
    return record


def now_in(year: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, 6, 1, 10))
