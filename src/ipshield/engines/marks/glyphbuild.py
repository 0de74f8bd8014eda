"""Rebuild the look-alike character table (形近字表) shipped in ``data/glyph_table.txt``.

The table is generated, not hand-written: every character of the 通用规范汉字表
(``data/tongyong_8105.txt``, 8,105 characters) is rendered with a CJK font and
compared with every other one. Rebuild it after changing the method, the
parameters below, the curated groups (:data:`.glyphs.GLYPH_GROUPS`) or the font::

    .venv/bin/python -m ipshield.engines.marks.glyphbuild            # about half a minute
    .venv/bin/python -m ipshield.engines.marks.glyphbuild --only 帅雷己  # print three rows

Options: ``--font PATH`` (default: Debian's ``fonts-noto-cjk``,
:data:`DEFAULT_FONT`), ``--face NAME`` (the face of a collection, default
``Noto Sans CJK SC``: Simplified Chinese glyph shapes), ``--chars PATH``,
``--out PATH`` (default: the shipped table), ``--only CHARS`` (print the rows of
these characters instead of writing the table) and ``--chars-from-unihan FILE``
(first rewrite the character list from Unihan's ``Unihan_OtherMappings.txt``,
field ``kTGH``). The build needs numpy and Pillow (not needed at run time) and
prints its progress on standard error. It is deterministic: the same font,
Pillow and parameters give the same file byte for byte.

Method. Each character is drawn in white on a black 64×64 canvas on the font's
ideographic em box (so position and size within the square count, as they do for a
reader), reduced to 32×32 by averaging and blurred (Gaussian, radius 1.5 px) so that
strokes a pixel apart still overlap. The similarity of two characters is the
weighted Jaccard index of their bitmaps, ``Σ min(a, b) / Σ max(a, b)``, taken at the
best of the nine shifts of up to one pixel: 1 for identical drawings, 0.75-0.92 for
classic look-alikes (未末 0.92, 雷雪 0.89, 己已 0.83, 帅师 0.79, 拔拨 0.77). The
blurred squares of unrelated characters overlap a lot too (random pairs: median 0.61,
95th percentile 0.71), so the value ranks; it is no percentage. Because the bitmaps
are integers the sums are exact, so every value is reproducible. To avoid 65 million
such comparisons, the
:data:`CANDIDATES` characters with the highest cosine similarity (one matrix product
on exact integer values) are rescored for each character.

A pair is kept when its similarity is at least :data:`THRESHOLD` and each character
is among the other's :data:`TOP_K` most similar ones (mutual nearest neighbours):
rows stay short, the table is symmetric, and a character that resembles many others
(an enclosure like 囗) does not flood them. The groups of
:data:`.glyphs.GLYPH_GROUPS` are then merged in with their rendered similarity,
marked ``*`` where the rendering did not select them (some, like 犊/核, are knock-off
substitutions rather than look-alikes).

The same run writes a second, weaker table next to it, ``data/component_table.txt``:
pairs of the :data:`COMMON` (3,500 level-1) characters that share a large component,
the typical knock-off that keeps one part of a character and changes the other
(娃恰恰/娃哈哈: 合, 伊和/伊利: 禾, 盖达/益达: 皿). Each of four overlapping regions of
the bitmaps (:data:`REGIONS`: the left, right, upper and lower five eighths, large
enough to hold a character's larger part, so that a shared narrow radical such as 氵
or 亻 does not decide) is compared on its own, with the same measure; a pair is kept
when one character is among the other's :data:`COMPONENT_TOP_K` most similar in a
region and scores :data:`COMPONENT_THRESHOLD` there (one-sided: a family of characters
sharing 合 is larger than the top few, so mutual ranks would drop most pairs), and is
not already a look-alike pair. Scoring makes such a substitution cheaper than a plain
one but dearer than a look-alike or a homophone (``COSTS["component"]``).

>>> format_row("帅", [("师", 0.7066, False), ("呻", 0.65, True)])
'帅\\t师0.71 呻0.65*'
>>> format_row("一", [])
'一'
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .glyphs import COMMON, COMPONENT_FORMAT, FORMAT, GLYPH_GROUPS

__all__ = [
    "CANDIDATES",
    "COMMON",
    "COMPONENT_CANDIDATES",
    "COMPONENT_FILE",
    "COMPONENT_THRESHOLD",
    "COMPONENT_TOP_K",
    "DEFAULT_FACE",
    "DEFAULT_FONT",
    "REGIONS",
    "THRESHOLD",
    "TOP_K",
    "GlyphBuildError",
    "Glyphs",
    "build_component_rows",
    "build_rows",
    "chars_from_unihan",
    "comment_block",
    "format_row",
    "main",
    "open_face",
    "read_chars",
]

DATA = Path(__file__).with_name("data")
CHARS_FILE = DATA / "tongyong_8105.txt"
TABLE_FILE = DATA / "glyph_table.txt"
COMPONENT_FILE = DATA / "component_table.txt"
#: Debian's fonts-noto-cjk (installed by scripts/system-deps).
DEFAULT_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEFAULT_FACE = "Noto Sans CJK SC"

#: Canvas side in pixels (one em) and the ideographic baseline (Noto CJK: 0.88 em from the top).
RENDER_SIZE = 64
BASELINE = 56
#: Side of the compared bitmaps, blur radius and shift tolerance, in those bitmaps' pixels.
GRID = 32
BLUR = 1.5
SHIFT = 1
#: Characters rescored per character (by cosine similarity of the bitmaps).
CANDIDATES = 40
#: A pair is kept when each is among the other's TOP_K most similar and it scores THRESHOLD.
TOP_K = 6
THRESHOLD = 0.70
#: Component table: the regions compared (rows, columns of the GRID×GRID bitmap): the left,
#: right, upper and lower five eighths, each large enough to hold a character's larger part.
REGIONS = {
    "left": (slice(0, GRID), slice(0, 20)),
    "right": (slice(0, GRID), slice(12, GRID)),
    "top": (slice(0, 20), slice(0, GRID)),
    "bottom": (slice(12, GRID), slice(0, GRID)),
}
# Only the COMMON characters at the head of the list (通用规范汉字表 level 1) are paired:
# the characters a mark is written with; rare ones would crowd the rankings.
#: A pair shares a component when, in one region, one is among the other's COMPONENT_TOP_K
#: most similar there (of COMPONENT_CANDIDATES by cosine) and scores COMPONENT_THRESHOLD.
COMPONENT_TOP_K = 6
COMPONENT_CANDIDATES = 30
COMPONENT_THRESHOLD = 0.78
# Rows scored per matrix product in a full build (memory: BLOCK × 8,105 floats).
_BLOCK = 512
# A code point no CJK font draws: its picture is the font's "missing glyph" box.
_NO_GLYPH = "\U0010fffd"

Neighbour = tuple[str, float, bool]


class GlyphBuildError(Exception):
    """The inputs cannot produce a table (missing font, face, glyph or character)."""


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_chars(path: Path = CHARS_FILE) -> str:
    """Read a character list: ``number<TAB>character`` lines, ``#`` comments.

    >>> chars = read_chars()
    >>> len(chars), chars[:5], chars[-1]
    (8105, '一乙二十丁', '蠼')
    """
    chars: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or len(fields[1]) != 1:
            raise GlyphBuildError(f"{path}:{number}: expected 'number<TAB>character': {line!r}")
        chars.append(fields[1])
    if len(set(chars)) != len(chars):
        raise GlyphBuildError(f"{path}: a character is listed twice")
    return "".join(chars)


def chars_from_unihan(path: Path) -> list[tuple[int, str]]:
    """The 通用规范汉字表 from Unihan's ``kTGH`` field (``U+4E00<TAB>kTGH<TAB>2013:1``).

    Returns ``(number, character)`` in the table's order (1-3500 level 1, 3501-6500
    level 2, 6501-8105 level 3).
    """
    pattern = re.compile(r"U\+([0-9A-F]{4,6})\tkTGH\t2013:(\d+)")
    found = sorted(
        (int(m.group(2)), chr(int(m.group(1), 16)))
        for m in map(pattern.fullmatch, path.read_text(encoding="utf-8").splitlines())
        if m
    )
    if [number for number, _ in found] != list(range(1, len(found) + 1)) or not found:
        raise GlyphBuildError(f"{path}: kTGH numbers are not 1…n without gaps")
    return found


def _write_chars(path: Path, numbered: Sequence[tuple[int, str]], source: str) -> None:
    header = [
        "# 通用规范汉字表 (General Standard Chinese Characters, State Council 2013): "
        f"{len(numbered)} characters,",
        "# one per line as 'number<TAB>character' in the table's order",
        "# (1-3500 level 1, 3501-6500 level 2, 6501-8105 level 3).",
        f"# Extracted from the Unicode Han Database, field kTGH ({source}); see README.md here.",
    ]
    body = [f"{number}\t{ch}" for number, ch in numbered]
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")


def open_face(font: Path = DEFAULT_FONT, face: str = DEFAULT_FACE) -> ImageFont.FreeTypeFont:
    """Open the face named ``face`` of a font file or collection at the rendering size."""
    names = []
    for index in range(64):
        try:
            candidate = ImageFont.truetype(
                str(font), RENDER_SIZE, index=index, layout_engine=ImageFont.Layout.BASIC
            )
        except OSError as error:
            if index == 0:
                raise GlyphBuildError(
                    f"cannot open the font {font} ({error}); on Debian install fonts-noto-cjk "
                    "(scripts/system-deps) or pass --font"
                ) from error
            break
        family = candidate.getname()[0] or ""
        if family == face:
            return candidate
        names.append(family)
    raise GlyphBuildError(f"{font} has no face {face!r}; it has: {', '.join(names)}")


def _draw(ch: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    image = Image.new("L", (RENDER_SIZE, RENDER_SIZE), 0)
    ImageDraw.Draw(image).text((RENDER_SIZE // 2, BASELINE), ch, font=font, fill=255, anchor="ms")
    return image


class Glyphs:
    """Rendered bitmaps of a character list and the similarities between them."""

    def __init__(self, chars: str, font: ImageFont.FreeTypeFont, *, quiet: bool = False) -> None:
        self.chars = chars
        self.position = {ch: i for i, ch in enumerate(chars)}
        no_glyph = _draw(_NO_GLYPH, font).tobytes()
        bitmaps, missing = [], []
        for count, ch in enumerate(chars, 1):
            image = _draw(ch, font)
            if image.getbbox() is None or image.tobytes() == no_glyph:
                missing.append(ch)
            small = image.resize((GRID, GRID), Image.Resampling.BOX)
            small = small.filter(ImageFilter.GaussianBlur(BLUR))
            bitmaps.append(np.frombuffer(small.tobytes(), dtype=np.uint8))
            if not quiet and (count % 2000 == 0 or count == len(chars)):
                _progress(f"rendered {count}/{len(chars)}")
        if missing:
            raise GlyphBuildError(
                f"the font draws no glyph for {len(missing)} characters: {''.join(missing[:40])}"
            )
        stacked = np.stack(bitmaps)
        self._grids = stacked.reshape(len(chars), GRID, GRID).astype(np.int64)
        # Integers up to 255 over 1,024 pixels: every dot product is exact in float64,
        # whatever order BLAS adds in, so candidates do not depend on the machine.
        self._vectors = stacked.astype(np.float64)
        self._norms = np.sqrt((self._vectors * self._vectors).sum(axis=1))
        self._top: dict[int, dict[int, float]] = {}
        self._regions: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def scores(self, i: int, others: np.ndarray) -> np.ndarray:
        """Similarity of character ``i`` with each of ``others`` (positions)."""
        mine, theirs = self._grids[i], self._grids[others]
        best = np.zeros(len(others))
        for dy in range(-SHIFT, SHIFT + 1):
            for dx in range(-SHIFT, SHIFT + 1):
                # A circular shift keeps the measure exactly symmetric.
                shifted = np.roll(mine, (dy, dx), axis=(0, 1))
                low = np.minimum(shifted, theirs).sum(axis=(1, 2))
                high = np.maximum(shifted, theirs).sum(axis=(1, 2))
                best = np.maximum(best, low / high)
        return best

    def region_scores(self, i: int, others: np.ndarray, region: str) -> np.ndarray:
        """Similarity of one region (:data:`REGIONS`) of character ``i`` with each of ``others``."""
        rows, cols = REGIONS[region]
        mine, theirs = self._grids[i], self._grids[others][:, rows, cols]
        best = np.zeros(len(others))
        for dy in range(-SHIFT, SHIFT + 1):
            for dx in range(-SHIFT, SHIFT + 1):
                shifted = np.roll(mine, (dy, dx), axis=(0, 1))[rows, cols]
                low = np.minimum(shifted, theirs).sum(axis=(1, 2))
                high = np.maximum(shifted, theirs).sum(axis=(1, 2))
                best = np.maximum(best, low / high)
        return best

    def _region_vectors(self, region: str) -> tuple[np.ndarray, np.ndarray]:
        if region not in self._regions:
            rows, cols = REGIONS[region]
            common = min(COMMON, len(self.chars))
            vectors = self._grids[:common, rows, cols].reshape(common, -1).astype(np.float64)
            self._regions[region] = (vectors, np.sqrt((vectors * vectors).sum(axis=1)))
        return self._regions[region]

    def _component_rank(self, i: int, region: str, dots: np.ndarray) -> dict[int, float]:
        norms = self._region_vectors(region)[1]
        order = np.argsort(-(dots / (norms * norms[i])), kind="stable")
        candidates = order[order != i][:COMPONENT_CANDIDATES]
        scores = self.region_scores(i, candidates, region).tolist()
        scored = zip(candidates.tolist(), scores, strict=True)
        ranked = sorted(scored, key=lambda item: (-item[1], item[0]))[:COMPONENT_TOP_K]
        return {j: s for j, s in ranked if s >= COMPONENT_THRESHOLD}

    def component_top(self, i: int, region: str) -> dict[int, float]:
        """The common characters most like character ``i`` (< :data:`COMMON`) in one region."""
        vectors, _ = self._region_vectors(region)
        return self._component_rank(i, region, vectors @ vectors[i])

    def component_pairs(self, *, quiet: bool = False) -> dict[tuple[int, int], float]:
        """Pairs of common characters that share a large component: ``(i, j)`` → similarity.

        For each region of :data:`REGIONS`, each of the first :data:`COMMON` characters
        ranks the others by that region alone; a pair is kept when one of the two is among
        the other's :data:`COMPONENT_TOP_K` and scores :data:`COMPONENT_THRESHOLD` there
        (恰/哈 share 合 on the right, 和/利 禾 on the left, 盖/益 皿 below). The value is
        the best region's; ``i < j``.
        """
        common = min(COMMON, len(self.chars))
        pairs: dict[tuple[int, int], float] = {}
        started = time.monotonic()
        for region in REGIONS:
            vectors, _ = self._region_vectors(region)
            for start in range(0, common, _BLOCK):
                dots = vectors[start : start + _BLOCK] @ vectors.T
                for offset, row in enumerate(dots):
                    i = start + offset
                    for j, s in self._component_rank(i, region, row).items():
                        key = (min(i, j), max(i, j))
                        pairs[key] = max(pairs.get(key, 0.0), s)
            if not quiet:
                _progress(f"components: {region} ({time.monotonic() - started:.0f} s)")
        return pairs

    def similarity(self, a: str, b: str) -> float:
        """Similarity of two characters of the list.

        >>> glyphs = Glyphs("未末土", open_face(), quiet=True)
        >>> round(glyphs.similarity("未", "末"), 2), round(glyphs.similarity("未", "土"), 2)
        (0.92, 0.41)
        """
        return float(self.scores(self.position[a], np.array([self.position[b]]))[0])

    def _rank(self, i: int, dots: np.ndarray) -> dict[int, float]:
        order = np.argsort(-(dots / (self._norms * self._norms[i])), kind="stable")
        candidates = order[order != i][:CANDIDATES]
        scored = zip(candidates.tolist(), self.scores(i, candidates).tolist(), strict=True)
        ranked = sorted(scored, key=lambda item: (-item[1], item[0]))[:TOP_K]
        return {j: s for j, s in ranked if s >= THRESHOLD}

    def top(self, i: int) -> dict[int, float]:
        """The most similar characters of character ``i``: position → similarity."""
        if i not in self._top:
            self._top[i] = self._rank(i, self._vectors @ self._vectors[i])
        return self._top[i]

    def rank_all(self, *, quiet: bool = False) -> None:
        """Compute :meth:`top` for every character, a block of rows per matrix product."""
        total = len(self.chars)
        started = time.monotonic()
        for start in range(0, total, _BLOCK):
            dots = self._vectors[start : start + _BLOCK] @ self._vectors.T
            for offset, row in enumerate(dots):
                self._top.setdefault(start + offset, self._rank(start + offset, row))
            done = min(start + _BLOCK, total)
            if not quiet and (done % 2048 == 0 or done == total):
                _progress(f"compared {done}/{total} ({time.monotonic() - started:.0f} s)")


def build_rows(
    glyphs: Glyphs, only: Iterable[str] | None = None, groups: Iterable[str] = GLYPH_GROUPS
) -> dict[str, list[Neighbour]]:
    """Rows of the table: character → ``(look-alike, similarity, curated only)``, best first.

    With ``only``, just those characters' rows (the same rows a full build writes).
    Curated characters missing from the list are left out.
    """
    wanted = glyphs.chars if only is None else "".join(only)
    curated: dict[str, set[str]] = {}
    for group in groups:
        listed = [ch for ch in group if ch in glyphs.position]
        for ch in listed:
            curated.setdefault(ch, set()).update(other for other in listed if other != ch)
    rows: dict[str, list[Neighbour]] = {}
    for ch in wanted:
        if ch not in glyphs.position:
            raise GlyphBuildError(f"{ch} is not in the character list")
        i = glyphs.position[ch]
        found = {j: s for j, s in glyphs.top(i).items() if i in glyphs.top(j)}
        row = [(j, s, False) for j, s in found.items()]
        for other in sorted(curated.get(ch, ()), key=glyphs.position.__getitem__):
            j = glyphs.position[other]
            if j not in found:
                row.append((j, glyphs.similarity(ch, other), True))
        row.sort(key=lambda item: (-item[1], item[0]))
        rows[ch] = [(glyphs.chars[j], s, flag) for j, s, flag in row]
    return rows


def build_component_rows(
    glyphs: Glyphs, rows: dict[str, list[Neighbour]]
) -> dict[str, list[Neighbour]]:
    """Rows of the component table: pairs of :meth:`Glyphs.component_pairs` that the
    look-alike ``rows`` do not already hold, best first (characters without any left out)."""
    found: dict[str, list[Neighbour]] = {}
    for (i, j), s in glyphs.component_pairs().items():
        a, b = glyphs.chars[i], glyphs.chars[j]
        if any(other == b for other, _, _ in rows.get(a, ())):
            continue
        found.setdefault(a, []).append((b, s, False))
        found.setdefault(b, []).append((a, s, False))
    out: dict[str, list[Neighbour]] = {}
    for ch in sorted(found, key=glyphs.position.__getitem__):
        out[ch] = sorted(found[ch], key=lambda item: (-item[1], glyphs.position[item[0]]))
    return out


def format_row(ch: str, row: Sequence[Neighbour]) -> str:
    """One line of the table: the character, a tab, then ``字0.83`` tokens (``*`` curated)."""
    if not row:
        return ch
    return ch + "\t" + " ".join(f"{other}{s:.2f}{'*' if flag else ''}" for other, s, flag in row)


def comment_block(lines: Iterable[str]) -> str:
    """The header of a generated table: each line behind ``# ``."""
    return "".join(f"# {line}\n" for line in lines)


def _header(font: ImageFont.FreeTypeFont, font_path: Path, rows: dict[str, list[Neighbour]]) -> str:
    family, style = font.getname()
    pairs = sum(len(row) for row in rows.values()) // 2
    curated = sum(flag for row in rows.values() for _, _, flag in row) // 2
    with_neighbours = sum(1 for row in rows.values() if row)
    lines = [
        FORMAT,
        "Look-alike Chinese characters (形近字), generated: do not edit by hand. Rebuild with",
        "  python -m ipshield.engines.marks.glyphbuild   (method: that module's docstring)",
        f"Font: {family} {style} ({font_path.name}); {RENDER_SIZE} px em, {GRID}x{GRID} bitmaps,",
        f"blur {BLUR}, shift {SHIFT}; weighted Jaccard; mutual top {TOP_K}, threshold {THRESHOLD}.",
        "Each line: a character, then a tab and its look-alikes with their similarity, best first;",
        "a line with the character alone means it has no look-alike. '*' marks a curated pair",
        "(glyphs.GLYPH_GROUPS) that the rendering did not select.",
        f"{len(rows)} characters, {with_neighbours} with look-alikes, {pairs} pairs "
        f"({curated} curated only).",
    ]
    return comment_block(lines)


def _component_header(rows: dict[str, list[Neighbour]]) -> str:
    pairs = sum(len(row) for row in rows.values()) // 2
    regions = ", ".join(REGIONS)
    lines = [
        COMPONENT_FORMAT,
        "Characters sharing a large component (部件相同), generated: do not edit by hand.",
        "Rebuilt with the look-alike table: python -m ipshield.engines.marks.glyphbuild",
        f"The {COMMON} common characters compared by one region ({regions}, five eighths of",
        f"the bitmap): one among the other's top {COMPONENT_TOP_K} there, threshold "
        f"{COMPONENT_THRESHOLD}; pairs already in glyph_table.txt left out.",
        "Each line: a character, a tab, the characters sharing a component, best first.",
        f"{len(rows)} characters, {pairs} pairs.",
    ]
    return comment_block(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ipshield.engines.marks.glyphbuild",
        description="Rebuild the look-alike character table (形近字表) from rendered glyphs.",
    )
    parser.add_argument("--font", type=Path, default=DEFAULT_FONT, help="font file or collection")
    parser.add_argument("--face", default=DEFAULT_FACE, help="face (family) name in the font")
    parser.add_argument("--chars", type=Path, default=CHARS_FILE, help="character list")
    parser.add_argument("--out", type=Path, default=TABLE_FILE, help="table file to write")
    parser.add_argument("--only", help="print the rows of these characters instead of writing")
    parser.add_argument(
        "--chars-from-unihan",
        type=Path,
        metavar="FILE",
        help="first rewrite the character list from Unihan_OtherMappings.txt (field kTGH)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        if args.chars_from_unihan:
            numbered = chars_from_unihan(args.chars_from_unihan)
            _write_chars(args.chars, numbered, args.chars_from_unihan.name)
            _progress(f"wrote {len(numbered)} characters to {args.chars}")
        chars = read_chars(args.chars)
        font = open_face(args.font, args.face)
        glyphs = Glyphs(chars, font)
        if args.only:
            for ch, row in build_rows(glyphs, args.only).items():
                print(format_row(ch, row))
            return 0
        glyphs.rank_all()
        rows = build_rows(glyphs)
        components = build_component_rows(glyphs, rows)
    except GlyphBuildError as error:
        print(f"glyphbuild: {error}", file=sys.stderr)
        return 1
    body = "".join(format_row(ch, row) + "\n" for ch, row in rows.items())
    text = _header(font, args.font, rows) + body
    args.out.write_text(text, encoding="utf-8")
    component_file = args.out.with_name(COMPONENT_FILE.name)
    body = "".join(format_row(ch, row) + "\n" for ch, row in components.items())
    component_file.write_text(_component_header(components) + body, encoding="utf-8")
    _progress(f"wrote {component_file}")
    elapsed = time.monotonic() - started
    _progress(f"wrote {args.out} ({len(text.encode())} bytes) in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
