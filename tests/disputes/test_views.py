"""Dispute pages: who reads which page, the online application with its rows and attachments,
each action as a small form on the dispute page, refusals next to the field with what was typed
kept (never a 500), and guidance when a dispute ends without an agreement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ipshield.disputes import errors, services
from ipshield.disputes.models import Conflict, Dispute
from ipshield.disputes.workflow import Status
from tests.accounts.factories import make_person
from tests.disputes.conftest import apply
from tests.supervision.factories import upload


def _client(user, lang: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    if lang != "zh-hans":
        client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    return client


def _text(response) -> str:
    return response.content.decode()


def _accepted(bodies, world) -> Dispute:
    dispute = apply(bodies, world)
    return services.dispute_accept(actor=world.mediator, dispute=dispute)


def _mediating(bodies, world) -> Dispute:
    dispute = _accepted(bodies, world)
    services.dispute_consent(actor=bodies.respondent, dispute=dispute, consent=True)
    return services.dispute_assign(actor=world.mediator, dispute=dispute, mediator=bodies.mediator)


def _form(bodies, **overrides):
    data = {
        "organisation": bodies.committee.pk,
        "right_kind": "trademark",
        "region": "",
        "title": "“晋保”商标侵权纠纷",
        "facts": "被申请人销售假冒商品。",
        "industry": "",
        "rights_text": "",
        "claim_text": ["停止侵权", "赔偿损失", ""],
        "claim_amount": ["", "50000", ""],
        "respondent_name": ["保德县某商贸有限公司", ""],
        "respondent_phone": ["13900000002", ""],
        "respondent_address": ["保德县东关街", ""],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_party_pages_render_in_both_languages(bodies, world, lang):
    dispute = _accepted(bodies, world)
    applicant = _client(bodies.applicant, lang)
    for path in ("/disputes/", "/disputes/apply/", f"/disputes/{dispute.pk}/"):
        response = applicant.get(path)
        assert response.status_code == 200, path
    assert 'data-testid="nav-disputes"' in _text(applicant.get("/"))  # a party's menu
    outsider = _client(make_person("public", username="outsider"), lang)
    home = _text(outsider.get("/"))
    assert 'data-testid="nav-disputes"' not in home and 'data-testid="dispute-apply-link"' in home
    respondent = _client(bodies.respondent, lang)
    page = _text(respondent.get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="action-consent"' in page
    assert 'data-testid="action-refuse"' in page
    assert 'data-testid="action-withdraw"' in page
    if lang == "en":
        assert "Consent to mediation" in page or "consent" in page.lower()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_staff_pages_render_for_their_roles(bodies, world, lang):
    dispute = _mediating(bodies, world)
    for user in (world.mediator, bodies.mediator2.user, world.admin, world.auditor):
        client = _client(user, lang)
        assert client.get(f"/disputes/{dispute.pk}/").status_code == 200
        listing = client.get("/workbench/disputes/")
        assert listing.status_code == 200
        assert dispute.number in _text(listing)
    page = _text(_client(world.mediator, lang).get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="action-fail"' in page
    assert 'data-testid="action-extend"' in page
    assert 'data-testid="action-refer_arbitration"' in page
    assert 'data-testid="nav-disputes"' in _text(_client(world.mediator, lang).get("/workbench/"))


def test_others_get_404_and_a_party_acting_out_of_turn_a_coded_403(bodies, world):
    dispute = _accepted(bodies, world)
    stranger = make_person("public", username="stranger")
    client = _client(stranger)
    assert client.get(f"/disputes/{dispute.pk}/").status_code == 404
    assert client.post(f"/disputes/{dispute.pk}/act/consent/", {}).status_code == 404
    assert _client(world.officer_other).get(f"/disputes/{dispute.pk}/").status_code == 404
    assert Client().get(f"/disputes/{dispute.pk}/").status_code == 302  # to the sign-in
    # the applicant may not answer for the respondent
    response = _client(bodies.applicant).post(f"/disputes/{dispute.pk}/act/consent/", {})
    assert response.status_code == 403
    assert errors.NOT_YOURS in _text(response)
    # nor accept the application for the organisation
    response = _client(bodies.applicant).post(f"/disputes/{dispute.pk}/act/accept/", {})
    assert response.status_code == 403
    dispute.refresh_from_db()
    assert dispute.status == Status.ACCEPTED
    # an unknown action or a hand-edited id
    assert _client(bodies.applicant).post(f"/disputes/{dispute.pk}/act/nope/").status_code == 404
    assert _client(bodies.applicant).get("/disputes/99999999999999999999/").status_code == 404


def test_apply_online_with_claims_respondents_and_an_attachment(bodies, world):
    client = _client(bodies.applicant)
    data = _form(bodies)
    data["attachments"] = [upload("invoice.png")]
    response = client.post("/disputes/apply/", data)
    assert response.status_code == 302, _text(response)[:2000]
    dispute = Dispute.objects.get()
    assert response["Location"] == f"/disputes/{dispute.pk}/"
    assert dispute.claims == [
        {"text": "停止侵权", "amount": ""},
        {"text": "赔偿损失", "amount": "50000.00"},
    ]
    assert dispute.region == bodies.committee.unit.region
    respondent = dispute.parties.get(side="respondent")
    assert respondent.user == bodies.respondent and respondent.address == "保德县东关街"
    item = dispute.attachments.get()
    assert item.original_name == "invoice.png" and item.sha256
    page = _text(client.get(f"/disputes/{dispute.pk}/"))
    assert "invoice.png" in page and 'data-testid="record-row"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "kept"),
    [
        ({"title": ""}, "title", "被申请人销售假冒商品。"),
        ({"organisation": "99999999"}, "organisation", "停止侵权"),
        ({"organisation": "x' OR 1=1"}, "organisation", "停止侵权"),
        ({"right_kind": "nuclear"}, "right_kind", "停止侵权"),
        ({"claim_amount": ["", "五万", ""]}, "claims_1_amount", "五万"),
        ({"claim_amount": ["", "1e400", ""]}, "claims_1_amount", "1e400"),
        ({"claim_text": ["", "", ""], "claim_amount": ["", "", ""]}, "claims", "13900000002"),
        ({"claim_text": ["", "赔偿", ""], "claim_amount": ["10", "", ""]}, "claims_0_text", "赔偿"),
        ({"respondent_name": ["", ""], "respondent_phone": ["", ""]}, "respondents", "停止侵权"),
        ({"facts": "x" * 6000}, "facts", "停止侵权"),
    ],
)
def test_apply_refuses_bad_input_naming_the_field(bodies, world, overrides, field, kept):
    client = _client(bodies.applicant)
    response = client.post("/disputes/apply/", _form(bodies, **overrides))
    assert response.status_code == 400
    page = _text(response)
    assert f'data-field="{field}"' in page or f'data-field="{field}_0_name"' in page, page[-3000:]
    assert kept in page
    assert not Dispute.objects.exists()


def test_apply_refuses_an_organisation_closed_to_online_applications(bodies, world):
    bodies.committee.accepts_online = False
    bodies.committee.save()
    response = _client(bodies.applicant).post("/disputes/apply/", _form(bodies))
    assert response.status_code == 400
    assert 'data-field="organisation"' in _text(response)


def test_the_path_through_the_pages_to_failure_with_guidance(bodies, world):
    dispute = apply(bodies, world)
    org = _client(world.mediator)
    # decline needs its reason; the form keeps the page
    response = org.post(f"/disputes/{dispute.pk}/act/decline/", {"reason": ""})
    assert response.status_code == 400 and 'data-field="reason"' in _text(response)
    assert org.post(f"/disputes/{dispute.pk}/act/accept/", {}).status_code == 302
    respondent = _client(bodies.respondent)
    assert respondent.post(f"/disputes/{dispute.pk}/act/consent/", {}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Status.CONSENTED
    # a mediator with a declared conflict is refused next to the select
    Conflict.objects.create(mediator=bodies.mediator2, name="保德县某商贸有限公司", reason="亲属")
    response = org.post(f"/disputes/{dispute.pk}/act/assign/", {"mediator": bodies.mediator2.pk})
    assert response.status_code == 400
    page = _text(response)
    assert 'data-field="mediator"' in page
    response = org.post(f"/disputes/{dispute.pk}/act/assign/", {"mediator": "abc"})
    assert response.status_code == 400 and 'data-field="mediator"' in _text(response)
    chosen = {"mediator": bodies.mediator.pk}
    assert org.post(f"/disputes/{dispute.pk}/act/assign/", chosen).status_code == 302
    # recusal asks for a reason
    applicant = _client(bodies.applicant)
    response = applicant.post(f"/disputes/{dispute.pk}/act/recuse/", {"reason": ""})
    assert response.status_code == 400 and 'data-field="reason"' in _text(response)
    # extension: a date after the current one and every party's consent
    response = org.post(f"/disputes/{dispute.pk}/act/extend/", {"until": "2026-13-45"})
    assert response.status_code == 400 and 'data-field="until"' in _text(response)
    later = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = org.post(f"/disputes/{dispute.pk}/act/extend/", {"until": later})
    assert response.status_code == 400 and 'data-field="parties_agree"' in _text(response)
    assert later in _text(response)  # what was typed is kept
    response = org.post(
        f"/disputes/{dispute.pk}/act/extend/", {"until": later, "parties_agree": "on"}
    )
    assert response.status_code == 302
    response = org.post(f"/disputes/{dispute.pk}/act/fail/", {"reason": "双方分歧较大"})
    assert response.status_code == 302
    page = _text(applicant.get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="dispute-guidance"' in page
    assert "双方分歧较大" in page
    assert 'data-testid="guidance-complaint"' not in page
    english = _text(_client(bodies.applicant, "en").get(f"/disputes/{dispute.pk}/"))
    assert "Litigation" in english


def test_refusal_ends_with_guidance_and_the_organisation_records_an_answer(bodies, world):
    dispute = apply(
        bodies,
        world,
        respondents=[
            {"name": "保德县某商贸有限公司", "phone": "13900000002"},
            {"name": "张某", "phone": ""},
        ],
    )
    services.dispute_accept(actor=world.mediator, dispute=dispute)
    offline = dispute.parties.get(name="张某")
    org = _client(world.mediator)
    page = _text(org.get(f"/disputes/{dispute.pk}/"))
    assert 'name="party_id"' in page
    response = org.post(f"/disputes/{dispute.pk}/act/consent/", {"party_id": offline.pk})
    assert response.status_code == 302
    offline.refresh_from_db()
    assert offline.consented is True
    # a party id of another dispute's party, or nonsense, is refused naming the field
    response = org.post(f"/disputes/{dispute.pk}/act/consent/", {"party_id": "99999"})
    assert response.status_code == 403
    response = org.post(f"/disputes/{dispute.pk}/act/consent/", {"party_id": "abc"})
    assert response.status_code == 400 and 'data-field="party_id"' in _text(response)
    response = _client(bodies.respondent).post(
        f"/disputes/{dispute.pk}/act/refuse/", {"reason": "不愿调解"}
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Status.REFUSED
    page = _text(_client(bodies.applicant).get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="dispute-guidance"' in page


def test_arbitration_referral_and_award(bodies, world):
    dispute = _mediating(bodies, world)
    org = _client(world.mediator)
    response = org.post(
        f"/disputes/{dispute.pk}/act/refer_arbitration/",
        {"commission": bodies.commission.pk, "clause": ""},
    )
    assert response.status_code == 400 and 'data-field="clause"' in _text(response)
    response = org.post(
        f"/disputes/{dispute.pk}/act/refer_arbitration/",
        {"commission": bodies.commission.pk, "clause": "合同第十条仲裁条款"},
    )
    assert response.status_code == 302
    arbitrator = _client(bodies.arbitrator)
    page = _text(arbitrator.get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="action-record_award"' in page
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = arbitrator.post(
        f"/disputes/{dispute.pk}/act/record_award/",
        {"award_number": "忻仲裁字〔2026〕1号", "award_summary": "赔偿三万元", "award_on": future},
    )
    assert response.status_code == 400 and 'data-field="award_on"' in _text(response)
    assert "忻仲裁字〔2026〕1号" in _text(response)
    response = arbitrator.post(
        f"/disputes/{dispute.pk}/act/record_award/",
        {
            "award_number": "忻仲裁字〔2026〕1号",
            "award_summary": "赔偿三万元",
            "award_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Status.AWARDED


def test_the_record_shows_each_step_with_its_ledger_proof(bodies, world):
    dispute = _mediating(bodies, world)
    page = _text(_client(bodies.applicant).get(f"/disputes/{dispute.pk}/"))
    assert page.count('data-testid="record-row"') == dispute.events.count()
    assert 'data-testid="record-check" data-ok="1"' in page
    # anchored after commit: every step has its leaf (or is shown as pending)
    assert 'data-testid="leaf"' in page or "待存证" in page


def test_workbench_list_filters(bodies, world):
    first = _mediating(bodies, world)
    second = apply(bodies, world, title="专利纠纷")
    client = _client(world.mediator)
    page = _text(client.get("/workbench/disputes/?status=applied"))
    assert second.number in page and first.number not in page
    page = _text(client.get("/workbench/disputes/?inbox=accept"))
    assert second.number in page and first.number not in page
    page = _text(client.get(f"/workbench/disputes/?mediator={bodies.mediator.pk}"))
    assert first.number in page and second.number not in page
    page = _text(client.get("/workbench/disputes/?source=online&overdue=1"))
    assert first.number not in page
    Dispute.objects.filter(pk=first.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    first.deadlines.update(due_on=timezone.localdate() - dt.timedelta(days=1))
    page = _text(client.get("/workbench/disputes/?overdue=1"))
    assert first.number in page and second.number not in page
    # hostile filters are ignored, never a 500
    for query in ("status=x", "mediator=-1", "inbox=../../", "page=999", "mediator=1e99"):
        assert client.get(f"/workbench/disputes/?{query}").status_code == 200
    # parties are sent to their own list
    assert _client(bodies.applicant).get("/workbench/disputes/").status_code == 403
    assert client.get("/disputes/").status_code == 302


def _confirming(bodies, world) -> Dispute:
    """A dispute whose complete confirmation application waits at the court (made directly:
    the application itself needs the agreement, from ``signing``)."""
    from ipshield.disputes.models import Confirmation

    dispute = apply(bodies, world)
    Dispute.objects.filter(pk=dispute.pk).update(status=Status.CONFIRMING)
    today = timezone.localdate()
    Confirmation.objects.create(
        dispute=dispute,
        court=bodies.court_unit,
        applied_on=today,
        complete_on=today,
        application_text="申请书",
    )
    from ipshield.disputes import deadlines

    deadlines.open_limit(dispute, deadlines.COURT_ACCEPT, starts_on=today)
    return Dispute.objects.get(pk=dispute.pk)


def test_the_court_accepts_extends_and_is_refused_without_a_ruling_number(bodies, world):
    dispute = _confirming(bodies, world)
    judge = _client(bodies.judge)
    page = _text(judge.get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="action-accept_confirmation"' in page
    assert 'data-testid="action-confirm"' not in page
    # the parties see where it stands but cannot rule
    response = _client(bodies.applicant).post(f"/disputes/{dispute.pk}/act/confirm/", {})
    assert response.status_code == 403
    assert judge.post(f"/disputes/{dispute.pk}/act/accept_confirmation/").status_code == 302
    response = judge.post(f"/disputes/{dispute.pk}/act/extend_confirmation/", {"approval": ""})
    assert response.status_code == 400 and 'data-field="approval"' in _text(response)
    response = judge.post(
        f"/disputes/{dispute.pk}/act/extend_confirmation/", {"approval": "院长批准"}
    )
    assert response.status_code == 302
    page = _text(judge.get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="action-extend_confirmation"' not in page
    response = judge.post(
        f"/disputes/{dispute.pk}/act/confirm/", {"ruling_number": "", "ruling_text": "有效"}
    )
    assert response.status_code == 400 and 'data-field="ruling_number"' in _text(response)
    assert "有效" in _text(response)


def test_the_court_confirms_with_its_ruling(bodies, world):
    dispute = _confirming(bodies, world)
    judge = _client(bodies.judge)
    judge.post(f"/disputes/{dispute.pk}/act/accept_confirmation/")
    response = judge.post(
        f"/disputes/{dispute.pk}/act/confirm/",
        {"ruling_number": "（2026）晋0931民特1号", "ruling_text": "调解协议有效。"},
    )
    assert response.status_code == 302
    page = _text(_client(bodies.applicant).get(f"/disputes/{dispute.pk}/"))
    assert "（2026）晋0931民特1号" in page
    assert 'data-testid="action-performed"' in page


def test_a_party_applies_for_confirmation_and_is_refused_by_field(bodies, world):
    dispute = apply(bodies, world)
    effective = timezone.localdate() - dt.timedelta(days=5)
    Dispute.objects.filter(pk=dispute.pk).update(
        status=Status.AGREED, agreement_effective_on=effective
    )
    applicant = _client(bodies.applicant)
    page = _text(applicant.get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="action-apply_confirmation"' in page
    assert 'name="court"' in page and 'name="concerns_ownership"' in page
    url = f"/disputes/{dispute.pk}/act/apply_confirmation/"
    response = applicant.post(url, {"court": bodies.court_unit.pk, "concerns_ownership": "on"})
    assert response.status_code == 400
    assert 'data-field="concerns_ownership"' in _text(response)
    response = applicant.post(url, {"court": "12345678"})
    assert response.status_code == 400 and 'data-field="court"' in _text(response)
    # after the 30 days: refused with the dates, at the top of the form
    Dispute.objects.filter(pk=dispute.pk).update(
        agreement_effective_on=timezone.localdate() - dt.timedelta(days=31)
    )
    response = applicant.post(url, {"court": bodies.court_unit.pk})
    assert response.status_code == 400
    assert 'class="error-box"' in _text(response)
    dispute.refresh_from_db()
    assert dispute.status == Status.AGREED
    # the respondent may not record that it was not performed; the organisation is offered it
    assert 'data-testid="action-not_performed"' not in page
    org_page = _text(_client(world.mediator).get(f"/disputes/{dispute.pk}/"))
    assert 'data-testid="action-not_performed"' in org_page
