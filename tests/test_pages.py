"""First-use defects of the pages: no asset from another host (intranets have no internet), the
API docs served locally, styled and translated error pages, the favicon, page titles without
markup, headings and the sign-in landing."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path

from ipshield.config import urls as product_urls

HOST = "testserver"
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.IGNORECASE)
# Attributes that make a browser fetch something, or navigate somewhere.
URL_ATTRIBUTES = {"src", "href", "action", "poster", "data", "formaction", "background"}
MAX_PAGES_PER_VISITOR = 70
NOT_CRAWLED = ("/api/", "/i18n/", "/static/", "/media/", "/logout/")


class _Page(HTMLParser):
    """What a page references: URLs by tag, inline CSS, its title and links to follow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[tuple[str, str]] = []  # (tag, url)
        self.styles: list[str] = []
        self.links: list[str] = []
        self.title = ""
        self._in_title = False
        self._in_style = False
        self.title_tags = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._in_title:
            self.title_tags += 1
        if tag == "title":
            self._in_title = True
        if tag == "style":
            self._in_style = True
        if attrs.get("style"):
            self.styles.append(attrs["style"])
        for name in URL_ATTRIBUTES:
            value = (attrs.get(name) or "").strip()
            if not value:
                continue
            # A listing's or a shop's own address, shown as data in a table, is a link out on
            # purpose (rel="nofollow"); anything fetched or any navigation of ours must stay here.
            if tag == "a" and "nofollow" in (attrs.get("rel") or ""):
                continue
            self.references.append((tag, value))
        if attrs.get("srcset"):
            for candidate in attrs["srcset"].split(","):
                self.references.append((tag, candidate.strip().split(" ")[0]))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_style:
            self.styles.append(data)


def _foreign(url: str, base: str) -> str | None:
    """The other host ``url`` points to (resolved against ``base``), or None if it stays here."""
    if url.startswith(("data:", "#", "javascript:", "mailto:", "tel:", "blob:")):
        return None
    parts = urlsplit(urljoin(base, url))
    if parts.scheme in ("http", "https") and parts.hostname != HOST:
        return parts.hostname
    if parts.scheme not in ("", "http", "https"):
        return f"{parts.scheme}:"
    return None


def _css_references(css: str) -> list[str]:
    return [m.group(2) for m in CSS_URL.finditer(css)] + [
        m.group(2) for m in CSS_IMPORT.finditer(css)
    ]


def _crawl(client: Client, starts: list[str]) -> dict[str, list[str]]:
    """GET pages reachable from ``starts`` (same host, HTML only); returns the problems found
    per page: references to other hosts (HTML, inline and linked CSS) and titles with markup."""
    seen: set[str] = set()
    queue = list(starts)
    problems: dict[str, list[str]] = {}
    css_checked: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES_PER_VISITOR:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            location = urljoin(url, response["Location"])
            if urlsplit(location).hostname in (None, HOST):
                queue.append(urlsplit(location)._replace(scheme="", netloc="").geturl())
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        found: list[str] = []
        if not page.title.strip() or page.title_tags or "<" in page.title:
            found.append(f"title with markup or empty: {page.title!r}")
        base = f"http://{HOST}{url}"
        for tag, reference in page.references:
            if host := _foreign(reference, base):
                found.append(f"<{tag}> -> {reference} ({host})")
            if tag == "link" and reference.endswith(".css") and _foreign(reference, base) is None:
                css_path = urlsplit(urljoin(base, reference)).path
                if css_path not in css_checked:
                    css = b"".join(client.get(css_path).streaming_content).decode()
                    css_checked[css_path] = [
                        f"{css_path}: url({r})"
                        for r in _css_references(css)
                        if _foreign(r, f"http://{HOST}{css_path}")
                    ]
                found += css_checked[css_path]
        for style in page.styles:
            found += [f"style url({r})" for r in _css_references(style) if _foreign(r, base)]
        if found:
            problems[url] = found
        for link in page.links:
            target = urlsplit(urljoin(base, link))
            admin_inside = target.path.startswith("/admin/") and target.path != "/admin/"
            if (
                target.hostname == HOST
                and not target.path.startswith(NOT_CRAWLED)
                and not (admin_inside)
            ):
                queue.append(target.path)
    assert len(seen) > 5, f"the crawl reached only {sorted(seen)}"
    return problems, seen


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _some_records(world) -> None:
    """A report (a case for the unit, a submission for the public user) and a monitoring alert
    on a rights holder's mark, so that detail pages are crawled too."""
    from ipshield.cases import intake
    from ipshield.registry.models import RightKind, RightsHolder, RightStatus
    from tests.monitoring.factories import AlertFactory, ListingFactory, ListingImportFactory
    from tests.registry.factories import IPRightFactory

    intake.report_submit(
        actor=world.public_user,
        right_kind=RightKind.TRADEMARK,
        title="超市出售假冒饮料",
        description="县城某超市出售假冒的雪碧饮料。",
        region=world.county,
        anonymous=False,
        reporter_name="张三",
        reporter_phone="13800000000",
    )
    holder = RightsHolder.objects.create(
        name="晋德食品", kind="enterprise", region=world.county, user=world.holder_user
    )
    right = IPRightFactory(holder=holder, title="晋德枣园", status=RightStatus.VERIFIED)
    from ipshield.monitoring import services as monitoring_services

    mark = monitoring_services.protected_mark_register(actor=world.holder_user, right=right)
    listing = ListingFactory(source=ListingImportFactory(unit=world.market), title="晋德枣圆")
    AlertFactory(listing=listing, mark=mark, unit=world.market)
    from tests.supervision.factories import small_plan

    small_plan(world)  # a plan in force, so that the supervision pages are crawled too
    _a_dispute(world)


def _a_dispute(world) -> None:
    """An accepted mediation application of the rights holder, so that the dispute pages of
    the parties and of the mediation committee are crawled too."""
    from ipshield.accounts.models import Profile, Unit
    from ipshield.disputes import services as dispute_services
    from ipshield.disputes.models import Mediator, Organisation, OrganisationKind

    committee = Organisation.objects.create(
        unit=Unit.objects.get(name="保德县人民调解委员会"), kind=OrganisationKind.PEOPLES
    )
    Mediator.objects.create(
        user=world.mediator, organisation=committee, name="冀文秀", region=world.county
    )
    Profile.objects.filter(user=world.public_user).update(phone="13900000002")
    dispute = dispute_services.dispute_apply(
        actor=world.holder_user,
        organisation=committee,
        title="商标侵权纠纷",
        facts="被申请人销售假冒商品。",
        right_kind="trademark",
        region=world.county,
        claims=[{"text": "赔偿损失", "amount": "1000"}],
        respondents=[{"name": "某商店", "phone": "13900000002"}],
    )
    dispute_services.dispute_accept(actor=world.mediator, dispute=dispute)


def test_no_page_of_any_role_references_another_host(world):
    """Government intranets have no internet: every asset (scripts, styles, fonts, images,
    icons) is served by the product itself, for every role and on the API docs page."""
    _some_records(world)
    visitors = {
        "anonymous": Client(),
        "public": _signed_in(world.public_user),
        "holder": _signed_in(world.holder_user),
        "officer": _signed_in(world.officer),
        "leader": _signed_in(world.leader),
        "auditor": _signed_in(world.auditor),
        "admin": _signed_in(world.admin),
        "mediator": _signed_in(world.mediator),
    }
    starts = ["/", "/workbench/", "/monitoring/", "/monitoring/mine/", "/credit/check/"]
    problems = {}
    crawled = set()
    for name, client in visitors.items():
        found_here, seen = _crawl(client, [*starts, "/api/v1/docs", "/no-such-page/"])
        crawled |= {f"{name} {url}" for url in seen}
        problems.update({f"{name} {url}": found for url, found in found_here.items()})
    assert problems == {}
    # The detail pages were reached: an alert, a case, a submission's status.
    for expected in (
        r"officer /monitoring/alerts/\d+/",
        r"holder /monitoring/alerts/\d+/",
        r"officer /workbench/cases/\d+/",
        r"public /track/\w+/",
        r"officer /workbench/supervision/plans/\d+/",
        r"officer /workbench/supervision/measures/\d+/",
        r"holder /disputes/\d+/",
        r"public /disputes/\d+/",
        r"mediator /disputes/\d+/",
        r"mediator /workbench/disputes/",
    ):
        assert any(re.fullmatch(expected, page) for page in crawled), expected


def test_api_docs_use_the_swagger_ui_shipped_with_the_product(db):
    page = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js"):
        response = Client().get(f"/static/ninja/{asset}")
        assert response.status_code == 200, asset


def _en(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_404_is_styled_translated_and_leads_back(world):
    response = Client().get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-page"' in page and "页面不存在" in page
    assert 'href="/"' in page and "site.css" in page
    english = _en(Client()).get("/no-such-page/").content.decode()
    assert "Page not found" in english and "Not Found" not in english
    assert "Back to the home page" in english
    staff = _signed_in(world.officer).get("/no-such-page/").content.decode()
    assert 'data-testid="back-workbench"' in staff and 'href="/workbench/"' in staff


def test_api_addresses_answer_404_in_the_api_shape(db):
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_403_is_styled_says_why_and_leads_back(world):
    response = _signed_in(world.public_user).get("/workbench/")
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-page"' in page and "无权访问" in page
    assert "工作台仅对单位工作人员开放。" in page
    assert 'data-testid="back-home"' in page and "site.css" in page
    english = _en(_signed_in(world.public_user)).get("/workbench/").content.decode()
    assert "Access denied" in english and "The Workbench is open only to unit staff." in english


def _boom(request):
    raise RuntimeError("a defect")


def _fine(request):
    return HttpResponse("fine")


urlpatterns = [
    path("boom/", _boom),
    path("fine/", _fine),
    *product_urls.urlpatterns,
]
handler500 = product_urls.handler500


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "系统出错"), ("en", "Server error")])
def test_500_is_styled_translated_and_leads_back(db, settings, language, heading):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    response = client.get("/boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert 'data-testid="error-page"' in page and heading in page
    assert 'href="/"' in page and "site.css" in page
    assert "a defect" not in page and "Traceback" not in page


def test_favicon_is_linked_on_every_page_and_served_at_the_root(db):
    page = Client().get("/").content.decode()
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert icons and all(Client().get(icon).status_code == 200 for icon in icons)
    response = Client().get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith("favicon.ico")


def test_credit_public_page_title_is_plain_text(db):
    page = Client().get("/credit/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and "信用查询" in title
    assert page.count("在线申请信用修复") == 1  # the hint is on the page, once


def test_credit_dates_never_wrap_inside_a_value():
    import datetime as dt

    html = render_to_string(
        "credit/_records.html",
        {"records": [{"decided_on": dt.date(2026, 1, 5), "public_until": dt.date(2029, 1, 5)}]},
    )
    assert '<td class="date">2026-01-05</td>' in html
    assert '<td class="date">2029-01-05</td>' in html
    css = b"".join(Client().get("/static/ipshield/site.css").streaming_content).decode()
    assert re.search(r"td\.date[^{]*\{[^}]*white-space:\s*nowrap", css)


def test_case_list_heading_is_plural_in_english(world):
    page = _en(_signed_in(world.officer)).get("/workbench/cases/").content.decode()
    assert re.search(r"<h1>\s*Cases\b", page)
    assert re.search(r"<title>\s*Cases ·", page)


def test_a_form_without_its_csrf_token_gets_the_styled_page_saying_what_to_do(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="error-page"' in page and "刷新后重新提交" in page
    assert "CSRF verification failed" not in page
    english = _en(Client(enforce_csrf_checks=True)).post("/login/", {}).content.decode()
    assert "refresh" in english and "CSRF verification failed" not in english
