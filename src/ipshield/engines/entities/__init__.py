"""Entity resolution (主体识别): linking records to the market entity they are about.

Credit records, penalty decisions and complaints name an infringer in many ways: with or
without its unified social credit code, in Traditional characters, with 有限责任公司 for
有限公司, without the county in front, as a branch (…东关分公司), with a former name in
brackets, with a typo, or by the operator's or legal representative's name only. This
package compares such records and finds the entity they belong to, with a score, a
decision and reasons in Chinese that an officer can check (each a
:class:`ipshield.engines.reasons.Reason` with a ``code`` and ``params`` that apps translate).

* :func:`parse_name` — the parts of a name (divisions, trade name, industry, form,
  branch, former names);
* :func:`match_score` — compare two :class:`Record` s: a :class:`Match` with ``score``,
  ``decision`` (:class:`Decision`: SAME ≥ 0.92, LIKELY ≥ 0.80, UNSURE ≥ 0.60, DIFFERENT),
  ``reasons`` and ``relation`` (branch / company);
* :class:`EntityIndex` — build over up to a million entities, :meth:`EntityIndex.resolve`
  a record into ranked :class:`Candidate` s; officers' decisions come back as
  :class:`Overrides` keyed by :func:`record_key`;
* :mod:`.synthetic` — a seeded generator of entities and record variants with ground truth
  (tests, benchmarks, demo data).

>>> from ipshield.engines.entities import EntityIndex, Record, match_score
>>> m = match_score(Record("保德县黄河食品有限公司（原名保德县黄河食品厂）"),
...                 Record("保德县黄河食品厂", legal_representative="张建国"))
>>> m.decision.value, m.reasons[0]
('same', '曾用名相同（保德县黄河食品厂）')
>>> index = EntityIndex.build([("a", Record("保德县黄河食品有限公司")),
...                            ("b", Record("保德县黄河建材有限公司"))])
>>> [(c.id, c.decision.value) for c in index.resolve(Record("黄河食品（保德）有限责任公司"))]
[('a', 'same'), ('b', 'different')]

How to use the decisions: SAME links the record; LIKELY links it and asks an officer to
confirm; UNSURE goes to the review queue unlinked; DIFFERENT is not a match. When no
candidate reaches UNSURE the record is about an entity not yet registered. Design, rules
and figures: ``docs/entities.md``.
"""

from __future__ import annotations

from .addresses import ParsedAddress, address_similarity, parse_address
from .index import (
    AMBIGUITY_MARGIN,
    RESCORE,
    SHORTLIST,
    Candidate,
    EntityId,
    EntityIndex,
    Overrides,
    record_key,
)
from .names import ParsedName, is_person_name, parse_name
from .regions import DEFAULT_REGIONS, Division, Regions
from .scoring import (
    BRANCH_OF,
    LIKELY_THRESHOLD,
    PARENT_OF,
    SAME_PARENT,
    SAME_THRESHOLD,
    UNSURE_THRESHOLD,
    Decision,
    Match,
    ParsedRecord,
    Record,
    compare,
    decide,
    match_score,
    prepare,
)

__all__ = [
    "AMBIGUITY_MARGIN",
    "BRANCH_OF",
    "DEFAULT_REGIONS",
    "LIKELY_THRESHOLD",
    "PARENT_OF",
    "RESCORE",
    "SAME_PARENT",
    "SAME_THRESHOLD",
    "SHORTLIST",
    "UNSURE_THRESHOLD",
    "Candidate",
    "Decision",
    "Division",
    "EntityId",
    "EntityIndex",
    "Match",
    "Overrides",
    "ParsedAddress",
    "ParsedName",
    "ParsedRecord",
    "Record",
    "Regions",
    "address_similarity",
    "compare",
    "decide",
    "is_person_name",
    "match_score",
    "parse_address",
    "parse_name",
    "prepare",
    "record_key",
]
