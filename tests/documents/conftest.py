"""Cases driven through the real procedure to the stage each document needs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ipshield.cases import procedure, services, walkthrough
from ipshield.cases.models import Hearing, PriorNotice, Service, Track
from ipshield.cases.workflow import Status
from ipshield.engines import workdays
from tests.cases.factories import receive
from tests.evidence.factories import preserve

ADDRESS = "保德县东关镇滨河路 8 号"


def heard_case(world):
    """A major case from intake to closing, with collective discussion and a hearing: every
    document has its data. Only time is moved: the hearing is recorded as held days ago (a
    notice seven working days ahead cannot be followed by a hearing on the same day). One
    piece of evidence is preserved during the investigation."""
    people = {"officer": world.officer, "leader": world.leader}
    case = receive(world, track=Track.MAJOR, infringer_address=ADDRESS, amount_involved=86000)
    case = walkthrough.open_case(case, **people)
    today = timezone.localdate()
    record = {
        "held_on": today,
        "place": "县城东街 8 号门店",
        "officers": "王明、李强",
        "person": "张三",
        "content": "问：涉案红枣从何处进货？答：从外地批发市场购进。",
    }
    procedure.run_step(procedure.RECORD_INQUIRY, world.officer, case, record)
    procedure.run_step(
        procedure.RECORD_INSPECTION,
        world.officer,
        case,
        {**record, "content": "店内货架陈列印有“黄河古渡”商标的红枣礼盒 200 盒。"},
    )
    # Evidence preserved during the investigation (the evidence list and the report's list).
    preserve(world.officer, b"invoice 2026-01-05", name="进货单.txt", case=case)
    procedure.run_step(
        procedure.IMPOSE_MEASURE,
        world.leader,
        case,
        {"kind": "seize", "decided_on": today, "items": "红枣礼盒 200 盒"},
    )
    case = walkthrough.propose(case, officer=world.officer, amount=50000, kinds=["fine", "licence"])
    case = walkthrough.approve(case, reviewer=world.reviewer, leader=world.leader)
    assert case.status == Status.NOTICE
    walkthrough.serve(case, procedure.SERVE_NOTICE, officer=world.officer)
    served = timezone.localdate() - dt.timedelta(days=30)
    notice = procedure.latest_notice(case)
    Service.objects.filter(pk=notice.service_id).update(sent_on=served, served_on=served)
    PriorNotice.objects.filter(pk=notice.pk).update(
        statement_ends_on=procedure._limit_end(procedure.STATEMENT_PERIOD, served, 5)
    )
    case = services.case_request_hearing(actor=world.officer, case=case, requested_on=served)
    held = workdays.add_working_days(served, 8)
    procedure.run_step(
        procedure.SCHEDULE_HEARING,
        world.officer,
        case,
        {"notified_on": served, "held_on": held, "place": "县局三楼听证室", "host": "王主持"},
    )
    Hearing.objects.filter(case=case).update(held_on=min(held, timezone.localdate()))
    case = services.case_record_hearing(
        actor=world.officer,
        case=case,
        record_text="当事人到场陈述申辩，称系初次违法。",
        report="建议维持拟处理意见。",
    )
    case = services.case_approve_review(actor=world.reviewer, case=case)
    case = walkthrough.notify_and_decide(case, **people)
    assert case.status == Status.DECIDED and case.decision_number
    case = services.case_publish(actor=world.officer, case=case)
    procedure.run_step(
        procedure.RELEASE_MEASURE,
        world.officer,
        case,
        {"released_on": today, "reason": "依法没收"},
    )
    return walkthrough.close(case, **people)


@pytest.fixture
def data_dir(settings, tmp_path):
    """Uploads, the ledger and the administrator's layouts in a directory of the test's own."""
    from ipshield.evidence import ledger

    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.IPSHIELD_DOCUMENT_TEMPLATES_DIR = tmp_path / "document-templates"
    yield tmp_path
    ledger.close_all()
