"""``ipshield credit_resolve``: link credit records to market entities (entity resolution).

    ipshield credit_resolve          # records not yet resolved and those with no entity found
    ipshield credit_resolve --all    # every record an officer has not decided (after a bulk
                                     # load of entities, or a change of the parsing rules)

Records linked by code, by their case or by an officer are never changed. Progress is printed
as it goes; the summary counts records by outcome.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ipshield.credit import resolution
from ipshield.credit.models import CreditRecord, MatchState


class Command(BaseCommand):
    help = "Link credit records to market entities by code, name, address and legal representative."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="also re-resolve records linked automatically"
        )

    def handle(self, *args, **options):
        states = (
            resolution.OPEN_STATES if options["all"] else (MatchState.UNRESOLVED, MatchState.NEW)
        )
        started = time.perf_counter()
        self.stdout.write("正在建立主体索引 …")
        resolution.reset_index()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            self.stdout.write(f"  {done}/{total}（每秒 {rate:.0f} 条）")

        counts = resolution.resolve_pending(
            CreditRecord.objects.filter(match_state__in=states), progress=progress
        )
        labels = dict(MatchState.choices)
        summary = "，".join(f"{labels[state]} {n}" for state, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"完成：{summary or '没有需要识别的记录'}"))
