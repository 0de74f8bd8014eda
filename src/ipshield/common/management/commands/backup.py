"""``ipshield backup DEST``: a consistent, verified backup (database, ledger, files, keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ipshield.common.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up everything that cannot be rebuilt into the new directory DEST: a database "
        "snapshot (SQLite online backup or pg_dump), then the evidence ledger at a commit "
        "boundary (never behind the snapshot), the uploaded files and the keys, with a "
        "manifest of SHA-256 hashes; the backup is verified before the command exits 0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path, help="a new (or empty) directory for the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        dest = options["dest"]
        try:
            result = backup(dest, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(_("备份失败：%(error)s") % {"error": error}) from error
        if result.skipped_leftovers:
            self.stdout.write(
                _("    未复制 %(count)s 个没有存证记录的存证文件（上传中途终止留下或快照后才上传）")
                % {"count": result.skipped_leftovers}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "备份完成并已校验：%(dest)s — %(kind)s 数据库，%(rows)s 条存证记录，"
                    "%(anchors)s 条执法记录锚定，账本 %(size)s 条（%(heads)s 个签名树头），"
                    "%(files)s 个文件共 %(mb).1f MB，用时 %(seconds).1f 秒"
                )
                % {
                    "dest": result.path,
                    "kind": result.database,
                    "rows": result.evidence_rows,
                    "anchors": result.anchors,
                    "size": result.tree_size,
                    "heads": result.heads,
                    "files": result.files,
                    "mb": result.bytes / 1048576,
                    "seconds": result.seconds,
                }
            )
        )
