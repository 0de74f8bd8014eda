"""Database upkeep: fresh planner statistics keep the unit-scoped lists on their indexes.

SQLite's planner has no statistics until ANALYZE runs; without them it may pick a single-column
index and scan every unit's rows (measured in benchmarks/cases.py: 10x slower lists at 200,000
cases). The worker runs this daily; ``ipshield demo`` runs it after loading.
"""

from __future__ import annotations

from django.db import connection

from ipshield.common.tasks import task


def database_optimize() -> str:
    """Refresh the query planner's statistics; on PostgreSQL, outside a transaction, also
    vacuum (the visibility map lets index-only scans skip the table after bulk loads, and the
    work is done at the quiet hour instead of by autovacuum in the middle of the day). Returns
    what was run."""
    statement = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        statement = "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return f"{statement} ({connection.vendor})"


@task()
def optimize_database() -> str:
    """Daily: refresh planner statistics."""
    from ipshield.common.schedule import ensure_daily

    done = database_optimize()
    ensure_daily()
    return done
