"""``ipshield ledger audit``: check the platform's ledgers from their leaves up.

For each ledger (today: the evidence ledger in ``DATA_DIR/ledger/evidence``) it runs the
engine's audit — every leaf hash, tree node, commit record and signed tree head re-derived from
the leaves and checked against the published key — and then compares the database with the
ledger: every evidence row must match its leaf byte for byte. It reports the first
inconsistency and exits 1; otherwise it prints a summary and exits 0. Leaves without a row
(an upload whose database write failed after the append) are harmless and only listed.

A ledger that is missing, or shorter than what the database points at (evidence rows, their
signed tree heads, case-record anchors), is an inconsistency: a restore that left the ledger out
loses every receipt. So is an evidence row whose stored file is gone. Stored files without a row
(left by a process killed mid-upload, ``evidence.leftovers``) are listed; ``--repair`` moves them
to ``DATA_DIR/quarantine/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshield.engines.ledger import Log, LogError, audit
from ipshield.engines.ledger.heads import PUBLIC_KEY_FILE
from ipshield.evidence import ledger


class Command(BaseCommand):
    help = (
        "The platform's Merkle ledgers. 'audit' re-derives every hash, commit and signed tree "
        "head from the leaves, checks the database rows against the leaves, and reports the "
        "first inconsistency (exit status 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = commands.add_parser(
            "audit",
            help="check the ledgers and their database rows",
            description="Re-derive every stored hash, commit and signed tree head of the "
            "platform's ledgers from their leaves; check each evidence row against its leaf.",
        )
        check.add_argument(
            "--public-key",
            type=Path,
            dest="public_key",
            help="PEM file of the published key to check heads with (default: the key dir's)",
        )
        check.add_argument(
            "--no-db",
            action="store_true",
            dest="no_db",
            help="only audit the ledger files, not the database rows",
        )
        check.add_argument(
            "--repair",
            action="store_true",
            help="move stored evidence files that have no row (left by a killed upload) to "
            "DATA_DIR/quarantine/",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key_path = options.get("public_key")
        public_key = key_path.read_bytes() if key_path else None
        check_db = not options.get("no_db")
        for path in ledger.ledger_paths():
            if not (path / "ledger.json").exists():
                rows, anchors = ledger.referenced_leaves() if check_db else (0, 0)
                if rows or anchors:
                    raise CommandError(
                        f"账本 {path} 缺失，但数据库中有 {rows} 条存证记录、{anchors} 条执法记录"
                        "锚定指向它：存证回执全部无法核验。请用 ipshield restore 从同一份备份"
                        f"恢复账本 / ledger {path} is missing, but the database has {rows} "
                        f"evidence rows and {anchors} case-record anchors pointing at it: no "
                        "receipt can be checked. Restore the ledger from the same backup "
                        "(ipshield restore)"
                    )
                self.stdout.write(
                    f"账本 {path}：尚未创建（还没有存证） / ledger {path}: not "
                    "created yet (nothing preserved)"
                )
                continue
            self._audit(path, public_key, check_db=check_db)
        if check_db:
            self._leftovers(repair=bool(options.get("repair")))

    def _leftovers(self, *, repair: bool) -> None:
        from ipshield.evidence import leftovers

        with leftovers.exclusive():  # no upload is half done while this is held
            names = leftovers.find_leftovers()
            moved = leftovers.quarantine(names) if repair else None
        if not names:
            return
        shown = "".join(f"\n    {name}" for name in names[:20])
        more = f"\n    … (+{len(names) - 20})" if len(names) > 20 else ""
        if moved is not None:
            self.stdout.write(
                f"  repaired: {len(names)} 个没有存证记录的存储文件已移至 {moved} / moved "
                f"{len(names)} stored files without an evidence row to {moved}{shown}{more}"
            )
        else:
            self.stdout.write(
                f"  note: {len(names)} 个存储文件没有存证记录（上传中途被终止的进程留下，无害；"
                f"--repair 将其移入隔离目录） / {len(names)} stored files have no evidence row "
                f"(left by uploads killed midway; harmless; --repair moves them to quarantine)"
                f"{shown}{more}"
            )

    def _check_behind(self, path: Path, size: int) -> None:
        """The ledger must hold every leaf and signed tree head the database points at."""
        from django.db.models import Max

        from ipshield.cases.models import CaseEventAnchor
        from ipshield.evidence.models import EvidenceItem

        rows = EvidenceItem.objects.aggregate(leaf=Max("leaf_index"), tree=Max("tree_size"))
        anchor = CaseEventAnchor.objects.aggregate(leaf=Max("leaf_index"))["leaf"]
        needed = max(
            (rows["leaf"] + 1) if rows["leaf"] is not None else 0,
            rows["tree"] or 0,
            (anchor + 1) if anchor is not None else 0,
        )
        if needed > size:
            raise CommandError(
                f"账本 {path} 比数据库短：只有 {size} 条，而存证记录或执法记录锚定指向第 "
                f"{needed} 条为止；账本来自更早的备份或被截断，相关回执无法核验。请从与数据库同一"
                f"份的备份恢复账本 / ledger {path} is behind the database: it holds {size} "
                f"leaves but evidence rows or case-record anchors need {needed}; it comes from "
                "an older backup or was cut short, and those receipts cannot be checked. "
                "Restore the ledger from the same backup as the database"
            )

    def _audit(self, path: Path, public_key: bytes | None, *, check_db: bool) -> None:
        key_dir = ledger.key_dir()
        if public_key is None and not (key_dir / PUBLIC_KEY_FILE).exists():
            raise CommandError(
                f"账本审计无法核验签名树头：{key_dir} 中没有公钥，请用 --public-key 指定 / "
                f"cannot check signed tree heads: no public key in {key_dir}; pass --public-key"
            )
        report = audit(path, key_dir=key_dir, public_key=public_key)
        self.stdout.write(str(report))
        if not report.ok:
            raise CommandError(
                f"账本 {path} 不一致：{report.problem} / ledger {path} is inconsistent: "
                f"{report.problem}"
            )
        rows = orphans = 0
        if check_db:
            self._check_behind(path, report.tree_size)
            rows, orphans = self._check_rows(path, report.tree_size)
            if orphans:
                self.stdout.write(
                    f"  note: {orphans} 条账本条目没有对应的存证记录（写入数据库失败的上传，"
                    f"无害） / {orphans} leaves have no evidence row (uploads whose database "
                    "write failed; harmless)"
                )
        entries = 0
        if check_db:
            entries = self._check_case_record(path, report.tree_size)
        checked = f"，{rows} 条存证记录、{entries} 条执法记录与账本一致" if check_db else ""
        checked_en = (
            f", {rows} evidence rows and {entries} case-record entries match their leaves"
            if check_db
            else ""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"通过：账本 {report.tree_size} 条，核验了 {report.heads_checked} 个签名树头"
                f"{checked} / OK: {report.tree_size} leaves, {report.heads_checked} signed "
                f"tree heads checked{checked_en}"
            )
        )

    def _check_rows(self, path: Path, size: int) -> tuple[int, int]:
        """Walk the leaves and the evidence rows together (both by index, memory stays flat).

        Every row must equal its leaf byte for byte and agree with it on hashes and size; an
        evidence leaf without a row is counted. Returns (rows checked, leaves without a row).
        """
        from ipshield.evidence.models import EvidenceItem

        rows = (
            EvidenceItem.objects.order_by("leaf_index")
            .values_list("pk", "leaf_index", "leaf", "sha256", "sm3", "size", "file")
            .iterator(chunk_size=2000)
        )
        media = Path(settings.MEDIA_ROOT)
        try:
            log = Log(path, create=False)
        except LogError as error:
            raise CommandError(str(error)) from error
        checked = orphans = 0
        row = next(rows, None)
        try:
            for index, data in enumerate(log.iter_leaves(0, size)):
                if row is not None and row[1] == index:
                    self._compare(row, data)
                    if not (media / row[6]).is_file():
                        raise CommandError(
                            f"存证记录 {row[0]}（账本第 {index} 条）的文件 {row[6]} 缺失 / the "
                            f"file {row[6]} of evidence row {row[0]} (leaf {index}) is missing"
                        )
                    checked += 1
                    row = next(rows, None)
                elif _is_evidence_leaf(data):
                    orphans += 1
        finally:
            log.close()
        if row is not None:
            raise CommandError(
                f"存证记录 {row[0]} 指向账本第 {row[1]} 条，但账本只有 {size} 条 / evidence "
                f"row {row[0]} points at leaf {row[1]}, beyond the ledger's {size} leaves"
            )
        return checked, orphans

    def _check_case_record(self, path: Path, size: int) -> int:
        """Every anchored case-record entry must equal its leaf; no anchored entry may be gone."""
        from ipshield.cases.anchoring import audit_case_record

        log = Log(path, create=False)
        try:
            checked, problem = audit_case_record(enumerate(log.iter_leaves(0, size)))
        finally:
            log.close()
        if problem:
            raise CommandError(problem)
        return checked

    def _compare(self, row: tuple[Any, ...], data: bytes) -> None:
        pk, index, leaf, sha256, sm3, size, _file = row
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = {}
        if (
            leaf.encode("utf-8") != data
            or parsed.get("sha256") != sha256
            or parsed.get("sm3") != sm3
            or parsed.get("size") != size
        ):
            raise CommandError(
                f"存证记录 {pk} 与账本第 {index} 条不符（数据库中的记录被改动过） / evidence "
                f"row {pk} differs from leaf {index} (the database row was altered)"
            )


def _is_evidence_leaf(data: bytes) -> bool:
    try:
        return str(json.loads(data).get("type", "")).startswith("evidence.")
    except (ValueError, AttributeError):
        return False
