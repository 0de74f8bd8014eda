"""An index for the public credit query's "name contains" search.

SQLite: an FTS5 table with the trigram tokenizer over ``subject_name_normalized``
(external content, kept in step by triggers). PostgreSQL: a ``pg_trgm`` GIN index on the
column, which ``LIKE '%…%'`` uses. Both answer substrings of three characters or more from the
index; shorter queries scan. Where FTS5's trigram tokenizer is missing (SQLite before 3.34)
nothing is created and the query scans.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE credit_record_name USING fts5(subject_name_normalized, "
    "content='credit_creditrecord', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER credit_record_name_ai AFTER INSERT ON credit_creditrecord BEGIN "
    "INSERT INTO credit_record_name(rowid, subject_name_normalized) "
    "VALUES (new.id, new.subject_name_normalized); END",
    "CREATE TRIGGER credit_record_name_ad AFTER DELETE ON credit_creditrecord BEGIN "
    "INSERT INTO credit_record_name(credit_record_name, rowid, subject_name_normalized) "
    "VALUES ('delete', old.id, old.subject_name_normalized); END",
    "CREATE TRIGGER credit_record_name_au AFTER UPDATE OF subject_name_normalized "
    "ON credit_creditrecord BEGIN "
    "INSERT INTO credit_record_name(credit_record_name, rowid, subject_name_normalized) "
    "VALUES ('delete', old.id, old.subject_name_normalized); "
    "INSERT INTO credit_record_name(rowid, subject_name_normalized) "
    "VALUES (new.id, new.subject_name_normalized); END",
    "INSERT INTO credit_record_name(credit_record_name) VALUES ('rebuild')",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS credit_record_name_trgm ON credit_creditrecord "
    "USING gin (subject_name_normalized gin_trgm_ops)",
]


def _sqlite_has_trigram(cursor) -> bool:
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')")
    except Exception:
        return False
    cursor.execute("DROP TABLE temp.trigram_probe")
    return True


def forward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and _sqlite_has_trigram(cursor):
            for sql in SQLITE:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in POSTGRES:
                cursor.execute(sql)


def backward(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in ("ai", "ad", "au"):
                cursor.execute("DROP TRIGGER IF EXISTS credit_record_name_" + trigger)
            cursor.execute("DROP TABLE IF EXISTS credit_record_name")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS credit_record_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("credit", "0008_entity_resolution")]

    operations = [migrations.RunPython(forward, backward)]
