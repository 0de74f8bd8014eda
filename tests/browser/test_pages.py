"""Pages in a real browser: the API docs work with no internet (government intranets have none),
and the English navigation keeps to one line at 1366 px."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def _offline(page) -> list[str]:
    """Abort every request that would leave the machine; return the list of those attempted."""
    attempted: list[str] = []

    def route(route):
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOOPBACK:
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    page.context.route("**/*", route)
    return attempted


def test_api_docs_load_without_internet(page, live_world, shot):
    attempted = _offline(page)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto("/api/v1/docs")
    # Swagger UI has rendered the OpenAPI document: the title and the operations are there.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("IPShield API")
    expect(page.locator(".opblock").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    shot(page, "api-docs")
    assert attempted == []
    assert failed == []


def _nav_lines(page) -> int:
    """How many lines the top navigation takes (distinct tops of its links)."""
    return page.evaluate(
        """() => new Set([...document.querySelectorAll('header.topbar nav a')]
                  .map(a => Math.round(a.getBoundingClientRect().top))).size"""
    )


@pytest.mark.parametrize(
    ("username", "url"),
    [("admin", "/workbench/cases/"), ("holder", "/my/rights/")],
    ids=["staff-with-admin", "rights-holder"],
)
def test_english_navigation_is_one_line_at_1366(page, live_world, live_server, shot, username, url):
    sign_in(page, username)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    links = page.locator("header.topbar nav a")
    assert links.count() >= 11  # the longest menus: every item is there
    shot(page, "nav")
    assert page.viewport_size["width"] == 1366
    assert _nav_lines(page) == 1
