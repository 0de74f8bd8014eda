"""Evaluation tests: a data directory of their own (attachments go into the ledger) and the
county's leading group, whose office is the market bureau (``world.officer`` works there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipshield.accounts.models import LeadingGroup
from ipshield.evidence import ledger


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    settings.DATA_DIR = directory
    settings.MEDIA_ROOT = directory / "uploads"
    yield directory
    ledger.close_all()


@pytest.fixture
def group(world) -> LeadingGroup:
    return LeadingGroup.objects.create(
        name="保德县知识产权保护工作领导组", region=world.county, office_unit=world.market
    )
