"""Make the cooperation history and the referral decisions append-only in the database too.

As for the case record (cases 0002): SQLite refuses updates by trigger (deletes are refused by
the ORM, because Django's test flush empties SQLite tables with DELETE); PostgreSQL refuses
updates and deletes by trigger (TRUNCATE, used to flush, is not affected).
"""

from django.db import migrations

TABLES = ["cooperation_cooperationevent", "cooperation_referraldecision"]

SQLITE_UP = [
    f"""CREATE TRIGGER {t}_no_update BEFORE UPDATE ON {t}
       BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END;"""
    for t in TABLES
]
SQLITE_DOWN = [f"DROP TRIGGER IF EXISTS {t}_no_update;" for t in TABLES]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION cooperation_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END;
       $$ LANGUAGE plpgsql;""",
    *[
        f"""CREATE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t}
           FOR EACH ROW EXECUTE FUNCTION cooperation_append_only();"""
        for t in TABLES
    ],
]
POSTGRES_DOWN = [
    *[f"DROP TRIGGER IF EXISTS {t}_no_change ON {t};" for t in TABLES],
    "DROP FUNCTION IF EXISTS cooperation_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0002_default_thresholds")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
