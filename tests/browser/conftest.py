"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API.

The browser talks to pytest-django's ``live_server`` (a real HTTP server in a thread), so the
database has to be committed for it to see anything: browser tests use ``live_world``, which
builds the shared world on ``transactional_db``.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import World, build_world

# Playwright's sync API keeps an asyncio event loop running in this thread; Django's ORM refuses
# to run synchronous queries there unless told that it is safe (it is: nothing awaits the ORM).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 768}
# ``expect(...)`` retries until its condition holds; its own default gives up after 5 s, a
# budget a busy machine can miss. The bound below only ends a wait that would never succeed.
WAIT_LIMIT_MS = 60_000
expect.set_options(timeout=WAIT_LIMIT_MS)
LOCALE = "zh-CN"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    # CI installs Chromium; a missing browser must not quietly turn the journeys into skips.
    if not Path(CHROMIUM).is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Browser tests need Chromium at {CHROMIUM} (Debian package 'chromium'); "
            "it is missing or not executable. Install it with: apt-get install chromium",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_world(transactional_db, live_server) -> World:
    """The shared world, committed so the live server's thread can read it."""
    return build_world()


# The data migrations that seed defaults the product needs at run time: statutory time limits and
# triage rules (cases 0003, 0012), prosecution thresholds (cooperation 0002), counterfeit slang
# (monitoring 0002), joint-punishment measures and list rules (credit 0002, 0004, 0005).
SEED_MIGRATIONS = (
    ("ipshield.cases.migrations.0003_default_limits_and_rules", "load"),
    ("ipshield.cooperation.migrations.0002_default_thresholds", "seed"),
    ("ipshield.monitoring.migrations.0002_default_terms", "seed"),
    ("ipshield.cases.migrations.0009_repeat_infringer_rule", "seed"),
    ("ipshield.cases.migrations.0012_procedure_limits", "add"),
    ("ipshield.credit.migrations.0002_default_measures", "seed"),
    ("ipshield.credit.migrations.0004_default_rules", "seed"),
    ("ipshield.credit.migrations.0005_listed_measures", "seed"),
)


@pytest.fixture
def seeded_defaults(live_world) -> None:
    """Put back the defaults the data migrations seed (all idempotent).

    A transactional test ends with a flush, which empties every table, migration data included;
    serialized rollback cannot bring it back here, because the browser's event loop gives the
    test a different database connection object from the one the test database was set up
    (and serialized) with. Journeys that need time limits or thresholds ask for this fixture.
    """
    from django.apps import apps

    for module, function in SEED_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[[], object]]:
    """``new_page()`` opens a page in a fresh browser context (its own cookies: a second person)."""
    contexts = []

    def _new_page():
        context = browser.new_context(viewport=VIEWPORT, locale=LOCALE, base_url=live_server.url)
        # Playwright waits for events (an element, a navigation); this only bounds a wait that
        # would never end, generously: a loaded machine must not turn a pass into a failure.
        context.set_default_timeout(WAIT_LIMIT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def shot(request) -> Callable[[object, str], Path]:
    """``shot(page, step)`` saves test-artifacts/screenshots/<test-name>-<step>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def _shot(page, step: str) -> Path:
        path = SCREENSHOTS / f"{test_name}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
