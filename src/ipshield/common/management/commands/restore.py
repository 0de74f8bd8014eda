"""``ipshield restore SRC``: put a backup back, then audit it and check every receipt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ipshield.common.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the backup in SRC (made by 'ipshield backup') into this installation's data "
        "directory and database: checks the backup's manifest, refuses a target that holds "
        "data unless --force, restores keys, ledger, files and then the database, migrates, "
        "runs 'ipshield ledger audit' and verifies the receipt of every evidence row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="the backup directory")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace existing data (moved to DATA_DIR/replaced-…; the PostgreSQL schema "
            "is emptied)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore(options["source"], force=options["force"], say=self.stdout.write)
        except BackupError as error:
            raise CommandError(_("恢复失败：%(error)s") % {"error": error}) from error
        self.stdout.write(result.audit)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "恢复完成：%(kind)s 数据库，%(rows)s 条存证记录，%(anchors)s 条执法记录锚定，"
                    "账本 %(size)s 条，%(files)s 个上传文件；审计通过，核验了 %(receipts)s 份回执，"
                    "用时 %(seconds).1f 秒"
                )
                % {
                    "kind": result.database,
                    "rows": result.evidence_rows,
                    "anchors": result.anchors,
                    "size": result.tree_size,
                    "files": result.files,
                    "receipts": result.receipts_checked,
                    "seconds": result.seconds,
                }
            )
        )
