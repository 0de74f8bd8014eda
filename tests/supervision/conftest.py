"""Supervision tests: a data directory of their own (report attachments go into the ledger),
the county plan's text, and a plan imported from it by the market bureau's officer."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipshield.evidence import ledger

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    settings.DATA_DIR = directory
    settings.MEDIA_ROOT = directory / "uploads"
    yield directory
    ledger.close_all()


@pytest.fixture
def county_text() -> str:
    from ipshield.supervision.demo import COUNTY_PLAN

    return COUNTY_PLAN.read_text(encoding="utf-8")


@pytest.fixture
def opinion_text() -> str:
    return (PLANS / "heilongjiang-opinion-2020.txt").read_text(encoding="utf-8")
