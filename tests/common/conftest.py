"""Each test gets its own data directory; ledgers opened for it are closed afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipshield.evidence import ledger


@pytest.fixture
def data_dir(settings, tmp_path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    settings.DATA_DIR = directory
    settings.MEDIA_ROOT = directory / "uploads"
    settings.IPSHIELD_BASE_URL = "https://ipshield.example.gov.cn"
    yield directory
    ledger.close_all()
