"""Fixtures for the entity-resolution tests: a synthetic register of 20,000 entities with the
synthetic country's divisions, and 2,000 records about them (and about entities not in it)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ipshield.engines.entities import EntityIndex, synthetic

SIZE = 20_000
RECORDS = 2_000
SEED = 20260601


@dataclass(frozen=True)
class Register:
    entities: list[synthetic.Entity]
    records: list[synthetic.Variant]
    index: EntityIndex


@pytest.fixture(scope="session")
def register() -> Register:
    places = synthetic.gazetteer()
    entities = synthetic.entities(SIZE, seed=SEED, places=places)
    records = synthetic.variants(entities, RECORDS, seed=SEED + 1, places=places, codes=0.0)
    index = EntityIndex.build(((e.id, e.record) for e in entities), regions=places.regions())
    return Register(entities, records, index)
