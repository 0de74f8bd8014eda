"""Fixtures for the mark-search tests.

``big_index``: a few thousand generated distractor marks around the well-known originals
(quick, for behaviour tests). ``registry_index``: the development set's originals hidden
among 50,000 marks of the synthetic registry (for quality tests). The development set is
``tests/data/marks/pairs.csv`` (knock-off → original) and ``negatives.csv``.
"""

from __future__ import annotations

import csv
import random
import string
from pathlib import Path

import pytest

from ipshield.engines.marks import MarkIndex, normalize_mark, synthetic

DATA = Path(__file__).parents[2] / "data" / "marks"
REGISTRY_SIZE = 50_000

ORIGINALS = [
    "康师傅",
    "雪碧",
    "奥利奥",
    "大白兔",
    "六个核桃",
    "洽洽",
    "adidas",
    "microsoft",
    "google",
    "apple",
    "nokia",
    "samsung",
    "娃哈哈",
    "旺仔",
]
# Common characters, including those of the originals, so distractors share characters
# and sounds with them.
_POOL = (
    "康师傅雪碧奥利大白兔六个核桃洽娃哈旺仔天地人和美好中华金龙凤山水花月星光明"
    "宝乐福源泉香味鲜家佳嘉康健力士达通安泰丰盛隆昌兴发富贵新世纪东方西南北"
    "红绿青蓝黄黑紫小老王李张刘陈杨赵周吴郑一二三四五七八九十百千万食品饮料"
)


def _distractors(seed: int = 20261123) -> list[str]:
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < 3000:
        names.add("".join(rng.choice(_POOL) for _ in range(rng.randint(2, 4))))
    while len(names) < 4000:
        names.add("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9))))
    taken = {normalize_mark(name) for name in ORIGINALS}
    return sorted(name for name in names if normalize_mark(name) not in taken)


DISTRACTORS = _distractors()


def pairs() -> list[dict[str, str]]:
    with (DATA / "pairs.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def negatives() -> list[dict[str, str]]:
    with (DATA / "negatives.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def pair_classes(row: dict[str, str]) -> list[int]:
    return [int(c) for c in row["classes"].split()]


@pytest.fixture(scope="session")
def big_index() -> MarkIndex:
    names = DISTRACTORS + ORIGINALS
    # Originals in Nice classes 30 (food) and 32 (drinks); distractors spread over 1-45.
    classes = [{1 + i % 45} for i in range(len(DISTRACTORS))] + [{30, 32}] * len(ORIGINALS)
    return MarkIndex.build(names, ids=[f"m{i}" for i in range(len(names))], classes=classes)


@pytest.fixture(scope="session")
def registry() -> synthetic.Registry:
    rows = pairs()
    originals = list(dict.fromkeys(row["original"] for row in rows))
    classes = {row["original"]: pair_classes(row) for row in rows}
    return synthetic.registry(
        REGISTRY_SIZE,
        originals=originals,
        original_classes=[classes[o] for o in originals],
        avoid=[row["knockoff"] for row in rows] + [row["name"] for row in negatives()],
    )


@pytest.fixture(scope="session")
def registry_index(registry: synthetic.Registry) -> MarkIndex:
    return MarkIndex.build(registry.names, classes=registry.classes)
