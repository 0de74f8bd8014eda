"""Each test gets its own data directory (ledger, keys, stored files) through Django's settings,
and the ledger opened for it is closed afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipshield.evidence import ledger


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    settings.DATA_DIR = directory
    settings.MEDIA_ROOT = directory / "uploads"
    settings.IPSHIELD_BASE_URL = "https://ipshield.example.gov.cn"
    yield directory
    ledger.close_all()


@pytest.fixture
def public_key_file(data_dir, tmp_path) -> Path:
    """The published public key, saved as someone who downloaded it from the portal would."""
    path = tmp_path / "downloaded" / "ipshield-ledger-public-key.pem"
    path.parent.mkdir()
    path.write_text(ledger.public_key_pem(), encoding="ascii")
    return path
