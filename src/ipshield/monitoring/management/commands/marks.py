"""``ipshield marks``: build the trade-mark register index the officers' mark search uses.

    ipshield marks register FILE.csv     # columns: registration_number, name, classes
    ipshield marks search 康帅傅 [--classes 30]

The CSV (UTF-8, with a header) has one registered mark per row; ``classes`` holds its Nice
classes separated by ``;`` or ``,`` (empty: all). Rows with no name are skipped and counted. The
index is written next to the database (``DATA_DIR/marks/register.idx``) through a temporary file,
so searches keep using the old one until the new one is complete.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ipshield.engines.marks import MarkIndex
from ipshield.monitoring import register

ALL = tuple(range(1, 46))


def _classes(text: str, row: int) -> tuple[int, ...]:
    parts = [p for p in text.replace("；", ";").replace(",", ";").split(";") if p.strip()]
    try:
        numbers = tuple(sorted({int(p) for p in parts}))
    except ValueError as exc:
        raise CommandError(f"第 {row} 行 classes 应为 1–45 的数字：{text!r}") from exc
    if any(not 1 <= n <= 45 for n in numbers):
        raise CommandError(f"第 {row} 行 classes 应为 1–45 的数字：{text!r}")
    return numbers or ALL


class Command(BaseCommand):
    help = "Build the trade-mark register index for confusing-mark search, or search it."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("register", help="Build the register index from a CSV file.")
        build.add_argument("file", type=Path)
        find = sub.add_parser("search", help="Search the register and the platform's marks.")
        find.add_argument("query")
        find.add_argument("--classes", default="")
        find.add_argument("-k", type=int, default=10)

    def handle(self, *args, **options):
        if options["action"] == "register":
            self._register(options["file"])
        else:
            classes = list(_classes(options["classes"], 0)) if options["classes"] else None
            for hit in register.search(options["query"], k=options["k"], classes=classes):
                reasons = "；".join(hit.reasons)
                self.stdout.write(
                    f"{hit.score:.2f}  {hit.name}  [{hit.source_label} {hit.reference}]  {reasons}"
                )

    def _register(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        started = time.monotonic()
        names: list[str] = []
        ids: list[str] = []
        classes: list[tuple[int, ...]] = []
        skipped = 0
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"registration_number", "name"} - set(reader.fieldnames or ())
            if missing:
                raise CommandError(f"CSV 缺少列：{', '.join(sorted(missing))}")
            for row_number, row in enumerate(reader, start=2):
                name = (row.get("name") or "").strip()
                if not name:
                    skipped += 1
                    continue
                names.append(name)
                ids.append((row.get("registration_number") or "").strip())
                classes.append(_classes(row.get("classes") or "", row_number))
                if len(names) % 100_000 == 0:
                    self.stdout.write(f"  read 已读取 {len(names):,} marks")
        self.stdout.write(f"Building the index of 正在建立 {len(names):,} marks …")
        index = MarkIndex.build(names, ids=ids, classes=classes)
        target = register.register_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        index.save(partial)
        os.replace(partial, target)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Register index 注册簿索引: {len(names):,} marks, {skipped} rows skipped, "
                f"{target.stat().st_size / 1e6:.1f} MB, {elapsed:.1f} s → {target}"
            )
        )
