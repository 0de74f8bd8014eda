"""Settings come from the environment; production refuses unsafe configurations."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# A key as the documented command makes it (secrets.token_urlsafe(50)).
STRONG_KEY = "q8L1v0Zr4m2VbTz7Xc9Nw5Ek3Hs6Jd0Pf-Ug1Ya8Ri2Ot4Il7Qe_Wx"
PRODUCTION = {"IPSHIELD_ENV": "production", "SECRET_KEY": STRONG_KEY}


def _environment(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    full = {
        k: v
        for k, v in os.environ.items()
        # The browser tests' conftest allows sync database calls from Playwright's event loop
        # in this process; a deployment never sets it (check --deploy refuses it).
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not k.startswith("IPSHIELD_")
    }
    return {**full, "IPSHIELD_DATA_DIR": str(tmp_path), **env}


def _check(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own command line
        [sys.executable, "-m", "ipshield.cli", "check", *args],
        env=_environment(env, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _check({"IPSHIELD_ENV": "production"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = _check({**PRODUCTION, "DEBUG": "1"}, tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_starts_with_a_key(tmp_path):
    result = _check(PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("secret", "too short (6 characters; at least 50"),
        ("k" * 60, "too little entropy (1 different characters; at least 5"),
        ("abcd" * 20, "too little entropy (4 different characters"),
        ("django-insecure-" + STRONG_KEY, "'django-insecure-' development placeholder"),
    ],
)
def test_production_refuses_a_weak_key_and_says_how_to_make_one(tmp_path, key, reason):
    result = _check({**PRODUCTION, "SECRET_KEY": key}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and reason in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_development_accepts_any_key(tmp_path):
    assert _check({"IPSHIELD_ENV": "development", "SECRET_KEY": "secret"}, tmp_path).returncode == 0


def test_the_documented_production_configuration_passes_check_deploy(tmp_path):
    result = _check({**PRODUCTION, "ALLOWED_HOSTS": "ip.example.gov.cn"}, tmp_path, "--deploy")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "setting", "check"),
    [
        ("IPSHIELD_SSL_REDIRECT", "SECURE_SSL_REDIRECT", "security.W008"),
        ("IPSHIELD_HSTS_SUBDOMAINS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "security.W005"),
        ("IPSHIELD_HSTS_PRELOAD", "SECURE_HSTS_PRELOAD", "security.W021"),
    ],
)
def test_behind_a_proxy_each_https_setting_can_be_turned_off(tmp_path, variable, setting, check):
    # The operator chose it (the proxy redirects, subdomains serve plain HTTP): Django's
    # reminder is silenced, the other two stay on.
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_HSTS_SECONDS, s.SILENCED_SYSTEM_CHECKS)"
    )
    env = {**PRODUCTION, "ALLOWED_HOSTS": "ip.example.gov.cn", variable: "0"}
    result = _check(env, tmp_path, "--deploy")
    assert result.returncode == 0 and "no issues" in result.stdout, result.stderr
    shown = _shell(env, tmp_path, script)
    flags = dict(
        zip(
            ["SECURE_SSL_REDIRECT", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"],
            shown.split()[:3],
            strict=True,
        )
    )
    assert flags.pop(setting) == "False" and set(flags.values()) == {"True"}
    assert f"['{check}']" in shown and "31536000" in shown


def test_plain_http_intranet_turns_every_https_setting_off(tmp_path):
    env = {**PRODUCTION, "IPSHIELD_HTTPS": "0"}
    shown = _shell(
        env,
        tmp_path,
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD)",
    )
    assert shown.split() == ["False", "False", "0", "False"]


def _shell(env: dict[str, str], tmp_path: Path, script: str) -> str:
    result = subprocess.run(  # noqa: S603 -- our own command line
        [sys.executable, "-m", "ipshield.cli", "shell", "-c", script],
        env=_environment(env, tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]  # after the shell's own notices


def test_development_generates_and_keeps_a_key(tmp_path):
    assert _check({"IPSHIELD_ENV": "development"}, tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert _check({"IPSHIELD_ENV": "development"}, tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_defaults(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"


def test_database_is_the_one_database_url_names(db):
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


_READS = re.compile(
    r"""(?:os\.environ\.get\(|os\.environ\[|_env_bool\(|_env_list\(|\bsetting\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def test_operations_guide_lists_every_setting_the_code_reads():
    root = Path(__file__).resolve().parent.parent
    read = {
        name
        for source in (root / "src" / "ipshield").rglob("*.py")
        for name in _READS.findall(source.read_text(encoding="utf-8"))
    }
    assert {"SECRET_KEY", "IPSHIELD_SSL_REDIRECT", "IPSHIELD_FEED_TIMEOUT"} <= read
    guide = (root / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = sorted(name for name in read if f"`{name}`" not in guide)
    assert not missing, f"docs/operations.md does not list {missing}"
