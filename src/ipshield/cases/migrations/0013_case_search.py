"""The case search's text and its index.

``Case.search_text`` holds the party names, title and description normalised
(``cases.models.search_document``); ``Case.save`` keeps it. Existing rows are filled here in
batches of 1,000 (by id, with one ``executemany`` per batch).

The index is the credit app's (credit migration 0009), for the same "contains" search:
SQLite: an FTS5 table with the trigram tokenizer over ``search_text`` (external content, kept in
step by triggers); PostgreSQL: a ``pg_trgm`` GIN index on the column, which ``LIKE '%…%'`` uses.
Both answer substrings of three characters or more from the index; shorter terms scan the
unit's cases. Where FTS5's trigram tokenizer is missing (SQLite before 3.34) nothing is created
and the search scans.
"""

from django.db import migrations, models

from ipshield.engines.text import normalize_name

BATCH = 1000

SQLITE = [
    "CREATE VIRTUAL TABLE cases_case_search USING fts5(search_text, "
    "content='cases_case', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER cases_case_search_ai AFTER INSERT ON cases_case BEGIN "
    "INSERT INTO cases_case_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER cases_case_search_ad AFTER DELETE ON cases_case BEGIN "
    "INSERT INTO cases_case_search(cases_case_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER cases_case_search_au AFTER UPDATE OF search_text ON cases_case BEGIN "
    "INSERT INTO cases_case_search(cases_case_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO cases_case_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO cases_case_search(cases_case_search) VALUES ('rebuild')",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS cases_case_search_trgm ON cases_case "
    "USING gin (search_text gin_trgm_ops)",
]


def _document(title, description, parties):
    # cases.models.search_document as of this migration (a migration keeps its own copy).
    parts = []
    for text in [*parties, title, description]:
        normalized = normalize_name(text or "")
        if normalized and normalized not in parts:
            parts.append(normalized)
    return "\n".join(parts)


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    rows = Case.objects.using(schema_editor.connection.alias).order_by("pk")
    columns = ("pk", "title", "description", "infringer_name", "infringer__name")
    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            batch = list(
                rows.filter(pk__gt=last).values_list(*columns, "rights_holder__name")[:BATCH]
            )
            if not batch:
                break
            cursor.executemany(
                "UPDATE cases_case SET search_text = %s WHERE id = %s",
                [
                    (_document(title, description, [name, entity, holder]), pk)
                    for pk, title, description, name, entity, holder in batch
                ],
            )
            last = batch[-1][0]


def _sqlite_has_trigram(cursor) -> bool:
    try:
        cursor.execute("CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')")
    except Exception:
        return False
    cursor.execute("DROP TABLE temp.trigram_probe")
    return True


def index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and _sqlite_has_trigram(cursor):
            for sql in SQLITE:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in POSTGRES:
                cursor.execute(sql)


def unindex(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in ("ai", "ad", "au"):
                cursor.execute("DROP TRIGGER IF EXISTS cases_case_search_" + trigger)
            cursor.execute("DROP TABLE IF EXISTS cases_case_search")
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS cases_case_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_procedure_limits")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(index, unindex),
    ]
