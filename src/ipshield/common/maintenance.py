"""Database upkeep: fresh planner statistics keep the unit-scoped lists on their indexes.

SQLite's planner has no statistics until ANALYZE runs; without them it may pick a single-column
index and scan every unit's rows (measured in benchmarks/cases.py: 10x slower lists at 200,000
cases). The worker runs this daily; ``ipshield demo`` runs it after loading.
"""

from __future__ import annotations

from django.db import connection

from ipshield.common.tasks import task


def database_optimize() -> str:
    """Refresh the query planner's statistics. Returns what was run."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return f"ANALYZE ({connection.vendor})"


@task()
def optimize_database() -> str:
    """Daily: refresh planner statistics."""
    from ipshield.common.schedule import ensure_daily

    done = database_optimize()
    ensure_daily()
    return done
