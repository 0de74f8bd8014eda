"""Make the case record append-only in the database itself, not only in the ORM.

SQLite: updates are refused by a trigger. Deletes are refused by the ORM (the model and
queryset), not by a trigger, because Django's test flush empties SQLite tables with DELETE.
PostgreSQL: updates and deletes are refused by triggers (TRUNCATE, used to flush, is not).
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER cases_caseevent_no_update BEFORE UPDATE ON cases_caseevent
       BEGIN SELECT RAISE(ABORT, 'the case record is append-only'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS cases_caseevent_no_update;"]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION cases_caseevent_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the case record is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER cases_caseevent_no_change BEFORE UPDATE OR DELETE ON cases_caseevent
       FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS cases_caseevent_no_change ON cases_caseevent;",
    "DROP FUNCTION IF EXISTS cases_caseevent_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
