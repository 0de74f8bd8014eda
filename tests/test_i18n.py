"""Every UI string has an English translation, and the compiled catalogue matches the source."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "ipshield" / "locale" / "en" / "LC_MESSAGES"


def _po_entries() -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for each entry of the English .po file."""
    entries, msgid, strs, fuzzy, current = [], None, [], False, None
    for line in [*(LOCALE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if msgid is not None:
                entries.append((msgid, strs, fuzzy))
            msgid, strs, fuzzy, current = None, [], False, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, current = ast.literal_eval(line[6:]), "id"
        elif line.startswith("msgid_plural "):
            current = "plural"
        elif line.startswith("msgstr"):
            strs.append(ast.literal_eval(line.split(" ", 1)[1]))
            current = "str"
        elif line.startswith('"'):
            if current == "id":
                msgid += ast.literal_eval(line)
            elif current == "str":
                strs[-1] += ast.literal_eval(line)
    return [e for e in entries if e[0]]


def test_every_entry_is_translated_and_not_fuzzy():
    entries = _po_entries()
    assert len(entries) > 250
    untranslated = [m for m, strs, fuzzy in entries if fuzzy or not all(strs)]
    assert untranslated == []


def test_compiled_catalogue_is_up_to_date():
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [m for m, strs, _ in _po_entries() if compiled.gettext(m) != strs[0] and len(strs) == 1]
    assert stale == []


@pytest.mark.parametrize(("language", "word"), [("zh-hans", "工作台"), ("en", "Workbench")])
def test_workbench_in_both_languages(world, login, language, word):
    client: Client = login(world.officer)
    client.post("/i18n/setlang/", {"language": language, "next": "/workbench/"})
    assert word in client.get("/workbench/").content.decode()
