"""Every UI string has an English translation, and the compiled catalogue matches the source."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "ipshield" / "locale" / "en" / "LC_MESSAGES"


def _po_entries() -> list[tuple[str, list[str], bool, str | None]]:
    """(msgid, msgstrs, fuzzy, msgctxt) for each entry of the English .po file."""
    entries, msgid, strs, fuzzy, current, context = [], None, [], False, None, None
    for line in [*(LOCALE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if msgid is not None:
                entries.append((msgid, strs, fuzzy, context))
            msgid, strs, fuzzy, current, context = None, [], False, None, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            context = ast.literal_eval(line[8:])
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
    untranslated = [m for m, strs, fuzzy, _ctx in entries if fuzzy or not all(strs)]
    assert untranslated == []


def test_compiled_catalogue_is_up_to_date():
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)

    def compiled_text(msgid: str, context: str | None) -> str:
        return compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)

    stale = [
        m
        for m, strs, _, context in _po_entries()
        if len(strs) == 1 and compiled_text(m, context) != strs[0]
    ]
    assert stale == []


@pytest.mark.parametrize(("language", "word"), [("zh-hans", "工作台"), ("en", "Workbench")])
def test_workbench_in_both_languages(world, login, language, word):
    client: Client = login(world.officer)
    client.post("/i18n/setlang/", {"language": language, "next": "/workbench/"})
    assert word in client.get("/workbench/").content.decode()
