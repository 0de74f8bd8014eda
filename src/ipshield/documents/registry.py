"""The document kinds (文书种类): one registry for every app that generates documents.

A kind is a code, a title, the layout file that lays it out, a function that builds the
layout's context from the thing the document is about (a case today), and the data the
document cannot do without. Adding a kind is one :func:`register` call plus one layout file in
a directory the registry searches (:func:`add_forms_dir`); an app registers its kinds from its
``AppConfig.ready``.

>>> register(DocumentKind(
...     code="inquiry_record", title=gettext_lazy("询问笔录"), template="inquiry_record.xml",
...     build=case_context, required=(Required("party.name", gettext_lazy("当事人名称")),)))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.functional import Promise

__all__ = [
    "DocumentKind",
    "Required",
    "add_forms_dir",
    "forms_dirs",
    "get",
    "kinds",
    "missing",
    "offered",
    "register",
]

# The shipped layouts of this app; other apps add their own folder with ``add_forms_dir``.
FORMS_DIR = Path(__file__).resolve().parent / "templates" / "documents" / "forms"


@dataclass(frozen=True)
class Required:
    """A piece of data a document needs: ``path`` is dotted into the built context (``party.
    address``); ``label`` names it for people."""

    path: str
    label: str | Promise

    def present(self, context: dict[str, Any]) -> bool:
        value: Any = context
        for part in self.path.split("."):
            if value is None:
                return False
            value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return False
        if isinstance(value, str):
            return bool(value.strip())
        if isinstance(value, (list, tuple, set, dict)):
            return bool(value)
        return True  # numbers (a fine of 0 included), dates, objects


@dataclass(frozen=True)
class DocumentKind:
    code: str
    title: str | Promise
    template: str  # a file name, looked up in the administrator's directory, then forms_dirs()
    build: Callable[[Any], dict[str, Any]]
    required: tuple[Required, ...] = ()
    # Which subject the kind is about: "case" for the case documents (the one subject today).
    subject: str = "case"
    order: int = 100
    # Whether the kind belongs to this subject at all (the on-the-spot decision only to a case
    # decided under the simple procedure); None: always. Unlike ``required`` this is not data
    # still to be filled in: a kind not offered is neither listed nor generated.
    offered_for: Callable[[Any], bool] | None = None


_KINDS: dict[str, DocumentKind] = {}
_FORMS_DIRS: list[Path] = [FORMS_DIR]


def register(*new: DocumentKind) -> None:
    """Add kinds (again with the same code replaces it: ``ready`` may run twice in tests)."""
    for kind in new:
        _KINDS[kind.code] = kind


def add_forms_dir(path: Path) -> None:
    if path not in _FORMS_DIRS:
        _FORMS_DIRS.append(path)


def forms_dirs() -> list[Path]:
    return list(_FORMS_DIRS)


def get(code: str) -> DocumentKind | None:
    return _KINDS.get(code)


def kinds(subject: str = "case") -> list[DocumentKind]:
    return sorted((k for k in _KINDS.values() if k.subject == subject), key=lambda k: k.order)


def offered(kind: DocumentKind, subject: Any) -> bool:
    """Whether ``kind`` applies to ``subject`` (see ``DocumentKind.offered_for``)."""
    return kind.offered_for is None or bool(kind.offered_for(subject))


def missing(kind: DocumentKind, context: dict[str, Any]) -> list[Required]:
    """The required data ``context`` lacks, in the kind's order."""
    return [r for r in kind.required if not r.present(context)]
