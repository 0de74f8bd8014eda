"""``ipshield backup DEST`` and ``ipshield restore SRC``: a consistent copy of everything that
cannot be rebuilt — the database, the evidence ledger, the uploaded files and the keys.

Order, and why: evidence rows and case-record anchors point at ledger leaves, and a leaf is
always durable before the row that points at it commits (``evidence.services``,
``cases.anchoring``); an evidence file is stored before its row commits too. So the backup takes

1. the database, as one snapshot: SQLite's online backup API (``sqlite3.Connection.backup``,
   one step, so one read transaction), or ``pg_dump`` of a snapshot exported by a repeatable-read
   transaction that also lists the evidence files of that very snapshot;
2. then the ledger, up to its last commit, read under the writers' lock (a commit boundary):
   it is at least as long as anything the snapshot points at — never behind it;
3. then the uploaded files (evidence files: those the snapshot's rows hold; files left by a
   killed upload are not copied), the signing keys and the development secret key;
4. then ``manifest.json`` (every file with its SHA-256 and size, counts, the ledger's size, the
   kind of database), written last; and finally it checks the whole backup (:func:`verify`).

A restore checks the backup first, refuses a target that holds data (unless ``force``, which
moves what was there aside, and empties the PostgreSQL schema), puts back keys, ledger and
files, then the database last (an interrupted restore never leaves rows pointing at a ledger
that is not there), migrates if the code is newer, then runs ``ipshield ledger audit`` and checks
the receipt of every evidence row against the restored ledger, files and key.

>>> result = backup(Path("/srv/backups/2026-12-07"))
>>> result.evidence_rows, result.tree_size
(1523, 4410)
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import gettext as _

__all__ = ["BackupError", "BackupResult", "RestoreResult", "backup", "restore", "verify"]

FORMAT = "ipshield-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
LEDGER_DIR = "ledger"
UPLOADS_DIR = "uploads"
KEYS_DIR = "keys"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)
_CHUNK = 1 << 20

Say = Callable[[str], None]
Step = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    database: str
    evidence_rows: int
    anchors: int
    tree_size: int
    heads: int
    files: int
    bytes: int
    seconds: float
    skipped_leftovers: int = 0


@dataclass
class RestoreResult:
    database: str
    evidence_rows: int
    anchors: int
    tree_size: int
    files: int
    receipts_checked: int
    migrated: bool
    audit: str
    seconds: float
    moved_aside: Path | None = None
    notes: list[str] = field(default_factory=list)


def _quiet(_message: str) -> None:
    pass


# -- paths and files --------------------------------------------------------------------------


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy(source: Path, target: Path, length: int | None = None) -> tuple[str, int]:
    """Copy ``source`` (its first ``length`` bytes) to ``target`` durably; its SHA-256 and size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, target.open("wb") as writer:
        while length is None or size < length:
            want = _CHUNK if length is None else min(_CHUNK, length - size)
            chunk = reader.read(want)
            if not chunk:
                break
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    if length is not None and size != length:
        raise BackupError(
            _("%(path)s 比预期短（%(size)s / %(length)s 字节）。")
            % {"path": source, "size": size, "length": length}
        )
    shutil.copystat(source, target)
    return digest.hexdigest(), size


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for directory, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            yield Path(directory) / name


# -- the database -----------------------------------------------------------------------------


def database_kind() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("不支持备份该数据库：%(vendor)s。") % {"vendor": vendor})
    return vendor


def _tables() -> dict[str, str]:
    from ipshield.cases.models import CaseEventAnchor
    from ipshield.evidence.models import EvidenceItem

    return {"evidence": EvidenceItem._meta.db_table, "anchor": CaseEventAnchor._meta.db_table}


def _snapshot_facts(cursor: Any) -> dict[str, Any]:
    """What a database snapshot points at: evidence files and the leaves it needs."""
    tables = _tables()
    cursor.execute(f"SELECT file, sha256 FROM {tables['evidence']}")  # noqa: S608 (model names)
    files = {name: sha for name, sha in cursor.fetchall()}
    cursor.execute(f"SELECT MAX(leaf_index), MAX(tree_size) FROM {tables['evidence']}")  # noqa: S608
    leaf, tree = cursor.fetchone()
    cursor.execute(f"SELECT COUNT(*), MAX(leaf_index) FROM {tables['anchor']}")  # noqa: S608
    anchors, anchor_leaf = cursor.fetchone()
    needed = max(
        (leaf + 1) if leaf is not None else 0,
        tree or 0,
        (anchor_leaf + 1) if anchor_leaf is not None else 0,
    )
    return {"files": files, "anchors": anchors, "leaves_needed": needed}


def _sqlite_snapshot(target: Path) -> dict[str, Any]:
    source_path = connection.settings_dict["NAME"]
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: the whole database in one step, one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(_("数据库快照完整性检查未通过：%(result)s") % {"result": result})
        facts = _snapshot_facts(copy.cursor())
    finally:
        copy.close()
        source.close()
    facts["server_version"] = sqlite3.sqlite_version
    return facts


def _pg_env() -> dict[str, str]:
    params = connection.settings_dict
    env = {**os.environ}
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if params.get(key):
            env[name] = str(params[key])
    return env


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _client_major(path: Path) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 (a PostgreSQL client found by pg_tool)
            [str(path), "--version"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def pg_tool(name: str) -> Path:
    """``pg_dump``/``pg_restore``/``psql`` of the server's major version (or a newer one).

    ``IPSHIELD_PG_BINDIR`` if set; else Debian's ``/usr/lib/postgresql/<major>/bin``; else the
    one on ``PATH`` if it is new enough. An older client cannot dump a newer server."""
    major = _server_major()
    candidates: list[Path] = []
    configured = os.environ.get("IPSHIELD_PG_BINDIR") or getattr(settings, "IPSHIELD_PG_BINDIR", "")
    if configured:
        candidates.append(Path(configured) / name)
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted(
            int(p.name) for p in debian.iterdir() if p.name.isdigit() and int(p.name) >= major
        )
        candidates += [debian / str(v) / "bin" / name for v in versions]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file():
            client = _client_major(candidate)
            if client is not None and client >= major:
                return candidate
    raise BackupError(
        _(
            "找不到与 PostgreSQL %(major)s 服务器匹配的 %(name)s："
            "请安装 postgresql-client-%(major)s，或用 IPSHIELD_PG_BINDIR 指定其所在目录。"
        )
        % {"name": name, "major": major}
    )


def _scalar(conn: Any, sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _pg_snapshot(target: Path) -> dict[str, Any]:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    env = _pg_env()
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        autocommit=True,
    ) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = _scalar(conn, "SELECT pg_export_snapshot()")
        # pg_dump reads the very snapshot this transaction holds; the facts come from it too.
        dump = subprocess.run(  # noqa: S603 (pg_dump found by pg_tool, fixed arguments)
            [
                str(pg_dump),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if dump.returncode != 0:
            raise BackupError(_("pg_dump 失败：%(error)s") % {"error": dump.stderr.strip()})
        with conn.cursor() as cursor:
            facts = _snapshot_facts(cursor)
        conn.execute("COMMIT")
        facts["server_version"] = _scalar(conn, "SHOW server_version")
    return facts


# -- the ledger -------------------------------------------------------------------------------


def _ledger_extent(path: Path) -> dict[str, int]:
    """Lengths of the ledger's files at its last commit, read under the writers' lock."""
    from ipshield.engines.ledger.log import (
        COMMIT_RECORD_SIZE,
        COMMITS_FILE,
        HEAD_RECORD_SIZE,
        HEADS_FILE,
        LOCK_FILE,
        META_FILE,
        Commit,
        decode_head,
        expected_lengths,
    )

    meta = json.loads((path / META_FILE).read_text())
    fd = os.open(path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # no append or signature is half done while held
        raw = (path / COMMITS_FILE).read_bytes()
        records = len(raw) // COMMIT_RECORD_SIZE
        commit = None
        while records and commit is None:
            start = (records - 1) * COMMIT_RECORD_SIZE
            commit = Commit.decode(raw[start : start + COMMIT_RECORD_SIZE])
            if commit is None:
                records -= 1
        heads_raw = (path / HEADS_FILE).read_bytes()
        heads = len(heads_raw) // HEAD_RECORD_SIZE
        while heads:
            start = (heads - 1) * HEAD_RECORD_SIZE
            record = heads_raw[start : start + HEAD_RECORD_SIZE]
            if decode_head(record, meta["origin"], meta["algorithm"]) is not None:
                break
            heads -= 1
    finally:
        os.close(fd)
    size, data_end = (commit.size, commit.data_end) if commit else (0, 0)
    return {
        META_FILE: -1,  # whole file
        COMMITS_FILE: records * COMMIT_RECORD_SIZE,
        HEADS_FILE: heads * HEAD_RECORD_SIZE,
        **expected_lengths(size, data_end),
        "_size": size,
        "_heads": heads,
    }


def _audit_ledger(path: Path, public_key: bytes) -> Any:
    from ipshield.engines.ledger import audit

    report = audit(path, public_key=public_key)
    if not report.ok:
        raise BackupError(_("备份中的账本未通过审计：%(problem)s") % {"problem": report.problem})
    return report


# -- backup -----------------------------------------------------------------------------------


def _check_destination(dest: Path) -> None:
    dest = dest.resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(
            _("备份目录 %(dest)s 已存在且不为空：请指定一个新的目录。") % {"dest": dest}
        )
    for inside in (media_root(), data_dir() / LEDGER_DIR, data_dir() / KEYS_DIR):
        if dest.is_relative_to(inside.resolve()):
            raise BackupError(_("备份目录不能位于 %(inside)s 之内。") % {"inside": inside})


def backup(dest: Path, *, say: Say = _quiet, step: Step | None = None) -> BackupResult:
    """Write a consistent, verified backup of this installation into the new directory ``dest``.

    ``say`` receives progress messages for people; ``step`` (if given) is called with
    ``"database"``, ``"ledger"``, ``"uploads"``, ``"keys"`` and ``"manifest"`` as each part is
    done. Raises :class:`BackupError`; a failed backup leaves ``dest`` incomplete (without a
    manifest, so it can never be restored by mistake).
    """
    from ipshield.evidence import ledger

    started = time.monotonic()
    dest = Path(dest)
    _check_destination(dest)
    kind = database_kind()
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    files: dict[str, dict[str, Any]] = {}

    def record(name: str, sha: str, size: int) -> None:
        files[name] = {"sha256": sha, "size": size}

    # 1. The database snapshot.
    say(_("1/5 数据库（%(kind)s）快照……") % {"kind": kind})
    db_file = SQLITE_FILE if kind == "sqlite" else PG_FILE
    facts = _sqlite_snapshot(dest / db_file) if kind == "sqlite" else _pg_snapshot(dest / db_file)
    record(db_file, sha256_file(dest / db_file), (dest / db_file).stat().st_size)
    say(
        _("    %(rows)s 条存证记录、%(anchors)s 条执法记录锚定，需要账本前 %(needed)s 条")
        % {
            "rows": len(facts["files"]),
            "anchors": facts["anchors"],
            "needed": facts["leaves_needed"],
        }
    )
    if step:
        step("database")

    # 2. The ledger, at a commit boundary, after the snapshot: never behind it.
    say(_("2/5 存证账本……"))
    tree_size = heads = 0
    for path in ledger.ledger_paths():
        relative = path.relative_to(data_dir()).as_posix()
        if not (path / "ledger.json").exists():
            if facts["leaves_needed"]:
                raise BackupError(
                    _("账本 %(path)s 缺失，但数据库指向其中 %(needed)s 条：无法做出一致的备份。")
                    % {"path": path, "needed": facts["leaves_needed"]}
                )
            continue
        extent = _ledger_extent(path)
        tree_size, heads = extent.pop("_size"), extent.pop("_heads")
        for name, length in extent.items():
            sha, size = _copy(path / name, dest / relative / name, None if length < 0 else length)
            record(f"{relative}/{name}", sha, size)
        if tree_size < facts["leaves_needed"]:
            raise BackupError(
                _("账本只有 %(size)s 条，但数据库快照指向前 %(needed)s 条。")
                % {"size": tree_size, "needed": facts["leaves_needed"]}
            )
        say(_("    %(size)s 条，%(heads)s 个签名树头") % {"size": tree_size, "heads": heads})
    if step:
        step("ledger")

    # 3. Uploaded files: every file but evidence files the snapshot holds no row for.
    say(_("3/5 上传的文件……"))
    media = media_root()
    evidence_prefix = "evidence/"
    skipped = count = 0
    total = 0
    for path in _walk(media):
        name = path.relative_to(media).as_posix()
        if name.startswith(evidence_prefix) and name not in facts["files"]:
            skipped += 1  # left by a killed upload, or an upload after the snapshot
            continue
        sha, size = _copy(path, dest / UPLOADS_DIR / name)
        if name in facts["files"] and facts["files"][name] != sha:
            raise BackupError(_("存证文件 %(name)s 的 SHA-256 与其存证记录不符。") % {"name": name})
        record(f"{UPLOADS_DIR}/{name}", sha, size)
        count += 1
        total += size
    missing = [name for name in facts["files"] if f"{UPLOADS_DIR}/{name}" not in files]
    if missing:
        raise BackupError(
            _("%(count)s 个存证文件缺失，例如 %(name)s。")
            % {"count": len(missing), "name": missing[0]}
        )
    say(
        _("    %(count)s 个文件（%(mb).1f MB），其中存证文件 %(evidence)s 个")
        % {"count": count, "mb": total / 1048576, "evidence": len(facts["files"])}
    )
    if step:
        step("uploads")

    # 4. Keys: the ledger's signing key pair and the development secret key.
    say(_("4/5 密钥……"))
    for path in _walk(data_dir() / KEYS_DIR):
        name = f"{KEYS_DIR}/{path.relative_to(data_dir() / KEYS_DIR).as_posix()}"
        record(name, *_copy(path, dest / name))
    if (data_dir() / SECRET_KEY_FILE).is_file():
        record(SECRET_KEY_FILE, *_copy(data_dir() / SECRET_KEY_FILE, dest / SECRET_KEY_FILE))
    if step:
        step("keys")

    # 5. The manifest, last, then the check of the whole backup.
    say(_("5/5 清单与校验……"))
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {
            "kind": kind,
            "file": db_file,
            "server_version": facts["server_version"],
            "evidence_rows": len(facts["files"]),
            "case_record_anchors": facts["anchors"],
            "leaves_needed": facts["leaves_needed"],
        },
        "ledger": {"tree_size": tree_size, "signed_tree_heads": heads},
        "files": files,
    }
    _write_manifest(dest, manifest)
    if step:
        step("manifest")
    verify(dest)
    result = BackupResult(
        path=dest,
        database=kind,
        evidence_rows=len(facts["files"]),
        anchors=facts["anchors"],
        tree_size=tree_size,
        heads=heads,
        files=len(files),
        bytes=sum(entry["size"] for entry in files.values()),
        seconds=time.monotonic() - started,
        skipped_leftovers=skipped,
    )
    return result


def _write_manifest(dest: Path, manifest: dict[str, Any]) -> None:
    temporary = dest / f".{MANIFEST}.tmp"
    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    with temporary.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, dest / MANIFEST)
    _sync_dir(dest)


def read_manifest(source: Path) -> dict[str, Any]:
    path = Path(source) / MANIFEST
    if not path.is_file():
        raise BackupError(
            _("%(source)s 不是完整的备份：没有 %(manifest)s（备份未完成或目录有误）。")
            % {"source": source, "manifest": MANIFEST}
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(_("备份清单无法读取：%(error)s") % {"error": error}) from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(
            _("%(source)s 不是本平台第 %(version)s 版的备份。")
            % {"source": source, "version": VERSION}
        )
    return manifest


def verify(source: Path) -> dict[str, Any]:
    """Check a backup: every file of the manifest is there with its SHA-256 and size, the ledger
    passes the engine's audit with the backup's own public key and holds every leaf the
    database needs. Returns the manifest; raises :class:`BackupError` naming the first problem."""
    from ipshield.engines.ledger.heads import PUBLIC_KEY_FILE

    source = Path(source)
    manifest = read_manifest(source)
    for name, entry in sorted(manifest["files"].items()):
        path = source / name
        if not path.is_file():
            raise BackupError(_("备份缺少文件 %(name)s。") % {"name": name})
        if path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            raise BackupError(_("备份中的文件 %(name)s 已损坏（SHA-256 不符）。") % {"name": name})
    ledger_meta = source / LEDGER_DIR / "evidence" / "ledger.json"
    needed = manifest["database"]["leaves_needed"]
    if ledger_meta.exists():
        key = source / KEYS_DIR / PUBLIC_KEY_FILE
        if not key.is_file():
            raise BackupError(
                _("备份缺少账本公钥 %(name)s。") % {"name": f"{KEYS_DIR}/{PUBLIC_KEY_FILE}"}
            )
        report = _audit_ledger(ledger_meta.parent, key.read_bytes())
        if report.tree_size != manifest["ledger"]["tree_size"]:
            raise BackupError(_("备份中的账本大小与清单不符。"))
        if report.tree_size < needed:
            raise BackupError(
                _("备份中的账本只有 %(size)s 条，落后于数据库（需要 %(needed)s 条）。")
                % {"size": report.tree_size, "needed": needed}
            )
    elif needed:
        raise BackupError(
            _("备份中没有账本，但其数据库指向账本前 %(needed)s 条。") % {"needed": needed}
        )
    return manifest


# -- restore ----------------------------------------------------------------------------------


def _sqlite_has_tables(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size == 0:
        return False
    check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return bool(
            check.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        )
    finally:
        check.close()


def _what_is_there(kind: str) -> list[str]:
    """What the target installation already holds (empty list: a fresh one)."""
    found = []
    if kind == "sqlite":
        if _sqlite_has_tables(Path(connection.settings_dict["NAME"])):
            found.append(str(connection.settings_dict["NAME"]))
    elif connection.introspection.table_names():
        found.append(_("PostgreSQL 数据库 %(name)s") % {"name": connection.settings_dict["NAME"]})
    for path in (data_dir() / LEDGER_DIR, data_dir() / KEYS_DIR, media_root()):
        if any(p.is_file() for p in _walk(path)):
            found.append(str(path))
    return found


def _move_aside(kind: str) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = data_dir() / f"replaced-{stamp}"
    aside.mkdir(mode=0o700)
    for path in (data_dir() / LEDGER_DIR, data_dir() / KEYS_DIR, media_root()):
        if path.exists():
            shutil.move(path, aside / path.name)
    if kind == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            extra = database.with_name(database.name + suffix)
            if extra.exists():
                shutil.move(extra, aside / extra.name)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    return aside


def _restore_files(source: Path, manifest: dict[str, Any], prefix: str, target: Path) -> int:
    count = 0
    for name in sorted(manifest["files"]):
        if name == prefix or name.startswith(prefix + "/"):
            relative = name[len(prefix) + 1 :] if name != prefix else ""
            destination = target / relative if relative else target
            _copy(source / name, destination)
            count += 1
    return count


def _restore_database(source: Path, manifest: dict[str, Any]) -> None:
    kind = manifest["database"]["kind"]
    file = source / manifest["database"]["file"]
    if kind == "sqlite":
        target = Path(connection.settings_dict["NAME"])
        connections.close_all()
        for suffix in ("-wal", "-shm", "-journal"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        temporary = target.with_name(f".{target.name}.restoring")
        _copy(file, temporary)
        os.replace(temporary, target)
        _sync_dir(target.parent)
        return
    pg_restore = pg_tool("pg_restore")
    result = subprocess.run(  # noqa: S603 (pg_restore found by pg_tool, fixed arguments)
        [
            str(pg_restore),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(file),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(_("pg_restore 失败：%(error)s") % {"error": result.stderr.strip()})
    connections.close_all()


def _unapplied_migrations() -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def check_receipts(say: Say = _quiet) -> int:
    """Rebuild the receipt of every evidence row and verify it as a recipient would: against the
    stored file's SHA-256, the published public key and the ledger. Returns how many."""
    from ipshield.evidence import ledger
    from ipshield.evidence.models import EvidenceItem
    from ipshield.evidence.receipts import parse_receipt, verify_receipt
    from ipshield.evidence.selectors import evidence_receipt

    ledger.close_all()
    public_key = ledger.published_public_key()
    log = ledger.evidence_log() if EvidenceItem.objects.exists() else None
    checked = 0
    for item in EvidenceItem.objects.order_by("leaf_index").iterator(chunk_size=500):
        receipt = parse_receipt(evidence_receipt(item))
        sha = sha256_file(media_root() / str(item.file.name))
        result = verify_receipt(receipt, sha256=sha, public_key=public_key, log=log)
        if not result.ok:
            raise BackupError(
                _("存证 #%(index)s 的回执核验未通过：%(verdict)s")
                % {"index": item.leaf_index, "verdict": result.verdict}
            )
        checked += 1
    return checked


def restore(source: Path, *, force: bool = False, say: Say = _quiet) -> RestoreResult:
    """Restore the backup in ``source`` into this installation (its data directory and
    database), then audit it and check every receipt. See the module's docstring."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from ipshield.evidence import ledger

    started = time.monotonic()
    source = Path(source)
    say(_("1/6 校验备份 %(source)s……") % {"source": source})
    manifest = verify(source)
    kind = manifest["database"]["kind"]
    here = database_kind()
    if kind != here:
        raise BackupError(
            _("这是 %(kind)s 数据库的备份，而本机配置的是 %(here)s：请设置相应的 DATABASE_URL。")
            % {"kind": kind, "here": here}
        )
    ledger.close_all()
    aside = None
    present = _what_is_there(kind)
    if present:
        if not force:
            raise BackupError(
                _(
                    "目标已有数据，未做任何改动：%(what)s。确认要替换时加 --force"
                    "（原有数据将移到数据目录下的 replaced-… 目录）。"
                )
                % {"what": "；".join(present)}
            )
        aside = _move_aside(kind)
        say(_("    原有数据已移到 %(aside)s") % {"aside": aside})
    say(_("2/6 密钥……"))
    _restore_files(source, manifest, KEYS_DIR, data_dir() / KEYS_DIR)
    if SECRET_KEY_FILE in manifest["files"]:
        _copy(source / SECRET_KEY_FILE, data_dir() / SECRET_KEY_FILE)
    say(_("3/6 存证账本……"))
    _restore_files(source, manifest, LEDGER_DIR, data_dir() / LEDGER_DIR)
    say(_("4/6 上传的文件……"))
    files = _restore_files(source, manifest, UPLOADS_DIR, media_root())
    say(_("5/6 数据库（%(kind)s）……") % {"kind": kind})
    _restore_database(source, manifest)
    migrated = _unapplied_migrations()
    if migrated:
        say(_("    数据库来自较早的版本，正在迁移……"))
        call_command("migrate", interactive=False, verbosity=0)
    say(_("6/6 审计账本并核验每一份回执……"))
    ledger.close_all()
    out = StringIO()
    try:
        call_command("ledger", "audit", stdout=out)
    except CommandError as error:
        raise BackupError(_("恢复后的审计未通过：%(error)s") % {"error": error}) from error
    receipts = check_receipts(say)
    return RestoreResult(
        database=kind,
        evidence_rows=manifest["database"]["evidence_rows"],
        anchors=manifest["database"]["case_record_anchors"],
        tree_size=manifest["ledger"]["tree_size"],
        files=files,
        receipts_checked=receipts,
        migrated=migrated,
        audit=out.getvalue().strip(),
        seconds=time.monotonic() - started,
        moved_aside=aside,
    )
