"""Engines: USCC validation and name normalisation throughput.

Baseline: a naive implementation written the obvious way (dict lookup per character inside a
loop; a fresh OpenCC converter per call), to show what the engine's choices buy.
"""

from __future__ import annotations

import random
import time

from ipshield.engines import text, uscc

WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def _naive_is_valid(code: str) -> bool:
    if len(code) != 18:
        return False
    values = {c: i for i, c in enumerate(uscc.ALPHABET)}
    try:
        total = sum(values[c] * w for c, w in zip(code[:17], WEIGHTS, strict=True))
    except KeyError:
        return False
    return uscc.ALPHABET[(31 - total % 31) % 31] == code[17]


def _naive_normalize(name: str) -> str:
    import unicodedata

    import opencc

    return " ".join(
        unicodedata.normalize("NFKC", opencc.OpenCC("t2s").convert(name)).lower().split()
    )


def _throughput(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    rng = random.Random(1)
    codes = []
    for _ in range(100_000):
        body = "91" + "".join(rng.choice(uscc.ALPHABET) for _ in range(15))
        codes.append(body + uscc.check_digit(body))
    names = [f"保德縣{rng.randint(1, 9999)} ＡＢＣ 食品有限公司" for _ in range(5_000)]
    rows = []
    ours = _throughput(uscc.is_valid, codes)
    naive = _throughput(_naive_is_valid, codes)
    rows.append(
        {
            "what": "uscc.is_valid",
            "ours_per_s": int(ours),
            "baseline_per_s": int(naive),
            "ratio": round(ours / naive, 2),
        }
    )
    ours = _throughput(text.normalize_name, names)
    naive = _throughput(_naive_normalize, names[:500])
    rows.append(
        {
            "what": "text.normalize_name",
            "ours_per_s": int(ours),
            "baseline_per_s": int(naive),
            "ratio": round(ours / naive, 2),
        }
    )
    from benchmarks._common import report

    report("engines", rows)


if __name__ == "__main__":
    main()
