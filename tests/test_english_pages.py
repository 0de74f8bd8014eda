"""Every user-visible string is translated: the main pages rendered in English carry no Chinese
text except the user data shown on them, and Django's admin names third-party apps in Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("zh-hans", ["登录防护", "登录尝试", "后台任务", "任务结果"], ["Axes", "Tasks Database"]),
        ("en", ["Sign-in protection", "Access attempts", "Background tasks", "Task Results"], []),
    ],
)
def test_admin_names_third_party_apps_in_the_users_language(
    world, login, language, expected, absent
):
    client = login(world.admin)
    client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})
    response = client.get("/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    assert [name for name in expected if name not in page] == []
    assert [name for name in absent if name in page] == []


def test_offline_verification_example_is_in_the_users_language(db):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/verify/"})
    page = client.get("/verify/").content.decode()
    assert "ipshield evidence verify FILE receipt.json" in page
    assert "回执.json" not in page


# -- The main pages in English ------------------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
# Text attributes a reader sees or hears.
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

# User data: what people and units entered (names, titles, descriptions, addresses …), and the
# catalogues administrators keep (rule names, joint-punishment measures, checklists). Shown as
# entered in every language. Fields that hold text the system writes (deadline names and legal
# bases, prosecution thresholds, credit publication periods) are deliberately not listed here.
DATA_FIELDS: dict[str, tuple[str, ...]] = {
    "accounts.Region": ("name",),
    "accounts.Unit": ("name", "short_name"),
    "accounts.Profile": ("display_name", "title"),
    "accounts.LeadingGroup": ("name", "office_note"),
    "accounts.LeadingGroupMember": ("title",),
    "registry.Entity": ("name", "address", "legal_representative", "business_scope"),
    "registry.RightsHolder": ("name",),
    "registry.IPRight": ("title", "registration_number", "rejection_reason"),
    "cases.Case": (
        "title",
        "description",
        "infringer_name",
        "infringer_address",
        "place",
        "decision_summary",
        "facts",
        "legal_basis",
        "decision_number",
    ),
    "cases.CaseEvent": ("note",),
    "cases.Service": ("recipient", "note"),
    "cases.PriorNotice": ("summary", "statement"),
    "cases.Hearing": ("place", "host", "record", "report"),
    "cases.CollectiveDiscussion": ("attendees", "minutes", "conclusion"),
    "cases.Payment": ("note",),
    "cases.ConfiscatedGoods": (
        "description",
        "unit_of_measure",
        "note",
        "officers",
        "place",
        "recipient",
        "disposal_note",
    ),
    "cases.Remedy": ("body", "note", "changed_summary"),
    "cases.Archive": ("number", "note"),
    "cases.TriageRule": ("name",),
    "supervision.Plan": ("title", "source_name"),
    "supervision.Measure": (
        "number",
        "section",
        "title",
        "text",
        "deadline_printed",
        "done_note",
    ),
    "supervision.Assignment": ("printed_name",),
    "supervision.ProgressReport": ("period", "narrative", "milestones", "review_note"),
    "supervision.SupervisionNotice": ("number",),
    "supervision.Meeting": ("title", "place", "agenda", "minutes"),
    "supervision.IncidentReport": ("title", "description", "measures_taken", "acknowledgement"),
    "evidence.EvidenceItem": ("original_name",),
    "monitoring.ProtectedMark": ("name", "categories"),
    "monitoring.Listing": ("title", "platform", "shop", "seller_name", "category"),
    "monitoring.ListingImport": ("file_name",),
    "monitoring.Alert": ("matched",),
    "monitoring.CounterfeitTerm": ("term", "note"),
    "credit.CreditRecord": (
        "subject_name",
        "subject_address",
        "subject_legal_representative",
        "issuing_authority",
        "document_number",
        "summary",
    ),
    "credit.JointMeasure": ("title", "basis"),
    "credit.ListingRule": ("label", "legal_basis"),
    "publication.ReviewChecklist": ("name", "description"),
    "publication.ReviewItem": ("title", "criteria"),
    "publication.TypicalCase": ("title", "summary"),
    "disputes.Dispute": (
        "number",
        "title",
        "facts",
        "rights_text",
        "industry",
        "outcome_reason",
        "court_reference",
    ),
    "disputes.Party": ("name", "address", "representative"),
    "disputes.DisputeEvent": ("actor_name",),
    "disputes.Organisation": ("address",),
    "disputes.Mediator": ("name", "title"),
    "disputes.Confirmation": ("ruling_number", "ruling_text", "application_text"),
    "disputes.Arbitration": ("clause", "award_number", "award_summary"),
}
ROLES = ("officer", "reviewer", "leader", "auditor", "admin", "holder", "public")


class _Text(HTMLParser):
    """Visible text and text attributes of a page, without scripts, styles, the decorative
    logo glyph and the language menu (it names each language in that language)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.append(tag)
            return
        if (
            tag in ("script", "style")
            or found.get("data-testid") == "language"
            or "logo" in (found.get("class") or "").split()
        ):
            self._skip.append(tag)
            return
        self.parts.extend(v for k, v in attrs if k in ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _values(fields: dict[str, tuple[str, ...]]) -> set[str]:
    values: set[str] = set()
    for label, names in fields.items():
        model = apps.get_model(label)
        for name in names:
            values.update(v for v in model.objects.values_list(name, flat=True) if v)
    return values


def _longest_first(values: set[str]) -> list[str]:
    return sorted((v for v in values if CJK.search(v)), key=len, reverse=True)


def _user_data(query: str) -> list[str]:
    """Every value of the data fields, and the parameters of reasons (characters, names and
    readings taken from the data), longest first."""
    from ipshield.credit.models import EntityCandidate
    from ipshield.monitoring import register
    from ipshield.monitoring.imports import ALIASES
    from ipshield.monitoring.models import Alert

    # The column names an import file may use, Chinese ones included, are literal input.
    values: set[str] = {
        query,
        *_values(DATA_FIELDS),
        *(a for names in ALIASES.values() for a in names),
    }
    from ipshield.disputes.models import Dispute

    # a dispute's claims are a list of {text, amount}
    values.update(_strings(list(Dispute.objects.values_list("claims", flat=True))))
    reasons = [r for row in Alert.objects.values_list("reasons", flat=True) for r in row]
    reasons += [r for row in EntityCandidate.objects.values_list("reasons", flat=True) for r in row]
    reasons += [r.as_data() for hit in register.search(query) for r in hit.reasons]
    for reason in reasons:
        if isinstance(reason, dict):
            values.update(_strings(reason.get("params")))
    return _longest_first(values)


def _strip(text: str, values: list[str]) -> str:
    for value in values:
        if value in text:
            text = text.replace(value, " ")
    return text


def _leftovers(html: str, data: list[str]) -> list[str]:
    """Text with Chinese outside user data."""
    parser = _Text()
    parser.feed(html)
    return [part[:160] for part in parser.parts if CJK.search(_strip(part, data))]


def _pages(role: str) -> list[str]:
    from ipshield.cases.models import Case
    from ipshield.monitoring.models import Alert

    public = [
        "/",
        "/track/",
        "/publications/",
        "/publications/typical-cases/",
        "/verify/",
        "/credit/",
    ]
    if role == "public":
        return public
    if role == "holder":
        mine = Case.objects.filter(submitted_by__username="holder").order_by("pk").first()
        return [
            *public,
            "/monitoring/mine/",
            "/my/complaints/",
            "/my/rights/",
            "/disputes/",
            "/disputes/apply/",
            f"/track/{mine.number}/",
            "/notifications/",
            "/notifications/settings/",
        ]
    case = Case.objects.filter(deadlines__isnull=False, unit__name=MARKET).order_by("-pk").first()
    alert = Alert.objects.order_by("-risk").first()
    return [
        "/workbench/",
        "/workbench/inbox/",
        "/notifications/",
        "/notifications/settings/",
        "/workbench/cases/",
        f"/workbench/cases/{case.pk}/",
        "/monitoring/",
        f"/monitoring/alerts/{alert.pk}/",
        f"/monitoring/search/?q={QUERY}",
        "/credit/",
        "/credit/matches/",
        "/publications/",
        "/publications/staff/",
        "/verify/",
        "/evidence/",
        *(
            [
                "/monitoring/watch/",
                "/monitoring/imports/",
                *(
                    f"/workbench/cases/{pk}/"
                    for pk in Case.objects.filter(unit__name=MARKET).values_list("pk", flat=True)
                ),
                *(f"/monitoring/alerts/{pk}/" for pk in Alert.objects.values_list("pk", flat=True)),
            ]
            if role == "officer"
            else []
        ),
    ]


MARKET = "保德县市场监督管理局"
QUERY = "康帅傅"


def test_main_pages_in_english_show_no_chinese_outside_user_data(db):
    from ipshield import demo

    demo.load()
    data = _user_data(QUERY)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    found: list[str] = []
    rendered = 0
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        for path in _pages(role):
            response = client.get(path)
            if role == "officer" or path in ("/", "/verify/"):
                assert response.status_code == 200, (role, path, response.status_code)
            if response.status_code != 200:
                continue
            rendered += 1
            failures = _leftovers(response.content.decode(), data)
            found += [f"{role} {path}: {text!r}" for text in failures]
    assert rendered > 50
    assert found == [], "Chinese outside user data:\n" + "\n".join(dict.fromkeys(found))
