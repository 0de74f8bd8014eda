"""Entity resolution of credit records (主体识别): which market entity a record is about.

A record is linked by its unified social credit code first (``CODE``), by its case's party
when it comes from the platform's own penalty (``CASE``), and otherwise by the
``engines.entities`` index over the registered entities: name (Traditional/Simplified,
full/half width, 有限公司/有限责任公司, branches, former names), address and legal
representative. The engine's decision sets the record's ``match_state``:

* SAME → linked (``SAME``);
* LIKELY → linked, and an officer is asked to confirm (``LIKELY``, in the review queue);
* UNSURE → not linked, the candidates wait in the review queue (``UNSURE``);
* nothing close → ``NEW`` (an entity not registered on the platform).

An officer confirms a candidate or splits it off (``match_confirm`` / ``match_split``). The
decision is stored as a ``MatchDecision`` under the record's key (a hash of the engine's
``record_key``), recorded in the audit trail, and passed back to the engine as ``Overrides``:
every other record with the same key that no officer has decided is resolved again at once,
and later records with that key never ask again.

The index is built once per process from the ``Entity`` table (and the platform's regions) and
reused. Entities changed since the build (``updated_at``) are compared in full beside it; when
there are more than ``DELTA_LIMIT`` of them the index is rebuilt — in the calling thread for a
registry of up to ``SYNC_REBUILD_LIMIT`` entities (seconds), otherwise in a background thread
while the old index and the growing delta keep answering.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.accounts.models import Region, RegionLevel
from ipshield.accounts.selectors import profile_of, sees_all_units
from ipshield.accounts.services import require_writer
from ipshield.audit.events import record_event
from ipshield.audit.models import Verb
from ipshield.common.errors import DomainError, PermissionDenied
from ipshield.common.reasons import to_data
from ipshield.credit.models import CreditRecord, EntityCandidate, MatchDecision, MatchState
from ipshield.engines.entities import (
    Candidate,
    Decision,
    EntityIndex,
    Overrides,
    ParsedRecord,
    Record,
    Regions,
    prepare,
    record_key,
)
from ipshield.engines.entities.index import CONFIRMED
from ipshield.registry.models import Entity

log = logging.getLogger(__name__)

CANDIDATES = 3  # candidates kept for the review queue
DELTA_LIMIT = 300  # entities changed since the build compared in full before a rebuild
SYNC_REBUILD_LIMIT = 50_000  # above this many entities the rebuild runs in the background
BATCH = 2000  # entities read per query while building
REVIEW_STATES = (MatchState.LIKELY, MatchState.UNSURE)
LINK_FIELDS = ["entity", "match_state", "match_score", "match_key", "updated_at"]
# Records an officer's decision may still change (those decided by a person, by code or by
# the case are left alone).
OPEN_STATES = (
    MatchState.UNRESOLVED,
    MatchState.SAME,
    MatchState.LIKELY,
    MatchState.UNSURE,
    MatchState.NEW,
)


def entity_record(entity: Entity) -> Record:
    return Record(
        name=entity.name,
        uscc=entity.uscc or None,
        address=entity.address or None,
        legal_representative=entity.legal_representative or None,
    )


def platform_regions() -> Regions:
    """The platform's divisions for the parser: every name, and the parents of counties and
    cities (a town's county is not passed: the engine compares towns by name, and a town's
    parent would make two towns of one county look like the same place)."""
    rows = list(Region.objects.values_list("code", "name", "parent_id", "level"))
    names = {code: name for code, name, _, _ in rows}
    parents = {
        name: names[parent]
        for code, name, parent, level in rows
        if parent in names and level in (RegionLevel.COUNTY, RegionLevel.CITY)
    }
    return Regions(sorted(set(names.values())), parents=parents)


# -- the index, one per process -----------------------------------------------------------------


@dataclass
class _Built:
    index: EntityIndex
    built_at: datetime  # entities updated at or after this moment are in the delta
    parsed: dict[int, tuple[datetime, ParsedRecord]] = field(default_factory=dict)


_lock = threading.Lock()
_built: _Built | None = None
_rebuilding = False
_thread: threading.Thread | None = None


def _build() -> _Built:
    started = timezone.now()
    clock = time.perf_counter()
    regions = platform_regions()

    def rows() -> Iterable[tuple[int, Record]]:
        last = 0
        while True:
            batch = list(
                Entity.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "name", "uscc", "address", "legal_representative")[:BATCH]
            )
            if not batch:
                return
            for entity in batch:
                yield entity.pk, entity_record(entity)
            last = batch[-1].pk

    index = EntityIndex.build(rows(), regions=regions)
    log.info("entity index built: %d entities in %.1f s", len(index), time.perf_counter() - clock)
    return _Built(index, started)


def _rebuild_in_background() -> None:
    global _built, _rebuilding
    try:
        built = _build()
        with _lock:
            _built = built
    except Exception:  # pragma: no cover - logged, the old index keeps answering
        log.exception("entity index rebuild failed")
    finally:
        from django.db import connection

        connection.close()
        _rebuilding = False


def reset_index() -> None:
    """Forget this process's index (tests; after a bulk load of entities)."""
    global _built
    with _lock:
        _built = None


def _start_background_build() -> None:
    global _rebuilding, _thread
    if not _rebuilding:
        _rebuilding = True
        _thread = threading.Thread(target=_rebuild_in_background, daemon=True)
        _thread.start()


def _current(*, wait: bool = True) -> tuple[EntityIndex, list[tuple[int, ParsedRecord]]] | None:
    """The index and the entities changed since it was built (parsed, cached).

    Without an index yet, a registry of more than ``SYNC_REBUILD_LIMIT`` entities is indexed in
    a background thread unless ``wait``; meanwhile the answer is None."""
    global _built
    with _lock:
        built = _built
        if built is None:
            if not wait and Entity.objects.count() > SYNC_REBUILD_LIMIT:
                _start_background_build()
                return None
            built = _built = _build()
        changed = list(
            Entity.objects.filter(updated_at__gte=built.built_at)
            .order_by("pk")
            .only("pk", "name", "uscc", "address", "legal_representative", "updated_at")[
                : DELTA_LIMIT * 10 + 1
            ]
        )
        if len(changed) > DELTA_LIMIT:
            if len(built.index) <= SYNC_REBUILD_LIMIT:
                built = _built = _build()
                changed = list(Entity.objects.filter(updated_at__gte=built.built_at))
            else:
                _start_background_build()
        extra = []
        for entity in changed:
            cached = built.parsed.get(entity.pk)
            if cached is None or cached[0] != entity.updated_at:
                cached = (entity.updated_at, prepare(entity_record(entity), built.index.regions))
                built.parsed[entity.pk] = cached
            extra.append((entity.pk, cached[1]))
        return built.index, extra


# -- resolving ----------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class Resolution:
    """What resolution decided for one record (applied by :func:`apply`)."""

    state: MatchState
    entity_id: int | None = None
    score: float | None = None
    key: str = ""
    candidates: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True)
class Party:
    """A record's party as the record names it (``name`` unmasked)."""

    name: str
    uscc: str = ""
    address: str = ""
    legal_representative: str = ""


def _decided(top: Candidate) -> bool:
    first = top.reasons[0] if top.reasons else None
    return top.decision == Decision.SAME and getattr(first, "code", None) == CONFIRMED.code


def resolve_batch(parties: Sequence[Party], *, wait: bool = False) -> list[Resolution]:
    """Resolve many parties at once: one look at the index's delta, one query for the
    officers' decisions, one for the entities by code and one to drop deleted entities.

    In a request (``wait`` False) a large registry without an index yet leaves the parties
    without a code ``UNRESOLVED``; the periodic task resolves them once the index is there."""
    by_code = dict(
        Entity.objects.filter(uscc__in=[p.uscc for p in parties if p.uscc]).values_list(
            "uscc", "pk"
        )
    )
    out: list[Resolution | None] = [
        Resolution(MatchState.CODE, by_code[p.uscc], 1.0) if p.uscc in by_code else None
        for p in parties
    ]
    todo = [i for i, r in enumerate(out) if r is None]
    if not todo:
        return [r for r in out if r is not None]
    current = _current(wait=wait)
    if current is None:
        return [r if r is not None else Resolution(MatchState.UNRESOLVED) for r in out]
    index, extra = current
    parsed = {}
    keys = {}
    for i in todo:
        p = parties[i]
        record = Record(
            name=p.name,
            uscc=p.uscc or None,
            address=p.address or None,
            legal_representative=p.legal_representative or None,
        )
        parsed[i] = prepare(record, index.regions)
        keys[i] = record_key(parsed[i])
    hashed = {i: _hash(keys[i]) for i in todo}
    confirmed: dict[str, int] = {}
    split: dict[str, list[int]] = {}
    for key, entity_id, same in MatchDecision.objects.filter(
        key__in=set(hashed.values())
    ).values_list("key", "entity_id", "same"):
        if same:
            confirmed[key] = entity_id
        else:
            split.setdefault(key, []).append(entity_id)
    found: dict[int, list[Candidate]] = {}
    for i in todo:
        h = hashed[i]
        overrides = None
        if h in confirmed or h in split:
            overrides = Overrides(
                confirmed={keys[i]: confirmed[h]} if h in confirmed else {},
                split={keys[i]: split[h]} if h in split else {},
            )
        answer = index.resolve(parsed[i], k=CANDIDATES, overrides=overrides, extra=extra)
        found[i] = [c for c in answer if c.decision != Decision.DIFFERENT]
    ids = {c.id for candidates in found.values() for c in candidates}
    alive = set(Entity.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for i in todo:
        candidates = [c for c in found[i] if c.id in alive]  # entities deleted since the build
        key = hashed[i]
        if not candidates:
            out[i] = Resolution(MatchState.NEW, key=key)
            continue
        top = candidates[0]
        if _decided(top):
            out[i] = Resolution(MatchState.CONFIRMED, int(top.id), top.score, key)
        elif top.decision == Decision.SAME:
            out[i] = Resolution(MatchState.SAME, int(top.id), top.score, key)
        elif top.decision == Decision.LIKELY:
            out[i] = Resolution(MatchState.LIKELY, int(top.id), top.score, key, candidates)
        else:
            out[i] = Resolution(MatchState.UNSURE, None, top.score, key, candidates)
    return [r for r in out if r is not None]


def resolve(
    *, name: str, uscc: str = "", address: str = "", legal_representative: str = ""
) -> Resolution:
    """Resolve one record's party (``name`` unmasked) to a registered entity."""
    return resolve_batch([Party(name, uscc, address, legal_representative)])[0]


def apply(record: CreditRecord, resolution: Resolution) -> None:
    """Set the record's link from ``resolution`` (the record is saved by the caller, then
    :func:`save_candidates`)."""
    record.entity_id = resolution.entity_id
    record.match_state = resolution.state
    record.match_score = resolution.score
    record.match_key = resolution.key


def save_candidates(record: CreditRecord, resolution: Resolution) -> None:
    record.candidates.all().delete()
    EntityCandidate.objects.bulk_create(
        EntityCandidate(
            record=record,
            entity_id=int(c.id),
            rank=rank,
            score=round(c.score, 4),
            decision=c.decision.value,
            reasons=to_data(c.reasons),
        )
        for rank, c in enumerate(resolution.candidates)
    )


def save_new(record: CreditRecord) -> None:
    """Save a new record, resolved first unless already linked (a case's party) or a person's
    (the stored name is masked; :mod:`.records` resolves those before masking)."""
    found = None
    if record.entity_id is None and not record.subject_is_person:
        found = resolve(
            name=record.subject_name,
            uscc=record.subject_uscc,
            address=record.subject_address,
            legal_representative=record.subject_legal_representative,
        )
        apply(record, found)
    record.save()
    if found is not None:
        save_candidates(record, found)


def resolve_record(record: CreditRecord, *, name: str | None = None) -> Resolution:
    """Resolve and link a saved record (``name``: the unmasked party name of a person)."""
    party = _party(record)
    resolution = resolve_batch([party if name is None else replace(party, name=name)], wait=True)[0]
    apply(record, resolution)
    record.save(update_fields=LINK_FIELDS)
    save_candidates(record, resolution)
    return resolution


def _party(record: CreditRecord) -> Party:
    return Party(
        record.subject_name,
        record.subject_uscc,
        record.subject_address,
        record.subject_legal_representative,
    )


def resolve_pending(
    records: QuerySet[CreditRecord] | None = None, *, progress: Any = None, batch: int = 500
) -> dict[str, int]:
    """Resolve every record not yet resolved (``ipshield credit_resolve``) in batches of
    ``batch``; returns counts by state. Persons' records are left alone (their stored names
    are masked)."""
    records = (
        records
        if records is not None
        else CreditRecord.objects.filter(match_state=MatchState.UNRESOLVED)
    )
    ids = list(records.filter(subject_is_person=False).values_list("pk", flat=True))
    counts: dict[str, int] = {}
    for start in range(0, len(ids), batch):
        chunk = list(CreditRecord.objects.filter(pk__in=ids[start : start + batch]))
        with transaction.atomic():
            found_all = resolve_batch([_party(r) for r in chunk], wait=True)
            for record, found in zip(chunk, found_all, strict=True):
                apply(record, found)
                record.save(
                    update_fields=[
                        "entity",
                        "match_state",
                        "match_score",
                        "match_key",
                        "updated_at",
                    ]
                )
                save_candidates(record, found)
                counts[found.state] = counts.get(found.state, 0) + 1
        if progress is not None:
            progress(min(len(ids), start + batch), len(ids))
    return counts


# -- officers' decisions ------------------------------------------------------------------------


def review_queue(*, actor: Any) -> QuerySet[CreditRecord]:
    """Records waiting for an officer: linked but to be confirmed, or with candidates only.
    A unit's staff see their unit's records; the leading group and administrators all."""
    records = CreditRecord.objects.filter(match_state__in=REVIEW_STATES)
    if not sees_all_units(actor):
        profile = profile_of(actor)
        if profile is None or not profile.is_staff_member or profile.unit_id is None:
            return records.none()
        records = records.filter(unit_id=profile.unit_id)
    return records.select_related("entity", "unit").order_by("match_state", "-created_at")


def _check_reviewer(actor: Any, record: CreditRecord) -> None:
    require_writer(actor)
    profile = profile_of(actor)
    if not (
        sees_all_units(actor)
        or (
            profile is not None
            and profile.is_staff_member
            and profile.unit_id is not None
            and profile.unit_id == record.unit_id
        )
    ):
        raise PermissionDenied(_("只有作出单位的工作人员可以确认这条记录的主体。"))
    if record.match_state == MatchState.CODE:
        raise DomainError(
            _("这条记录按统一社会信用代码关联，无需人工识别。"), code="match_by_code", status=409
        )
    if record.match_state == MatchState.CASE:
        raise DomainError(
            _("这条记录来自本平台案件，主体即案件当事人。"), code="match_by_case", status=409
        )


def _decide(*, actor: Any, record: CreditRecord, entity: Entity, same: bool) -> MatchDecision:
    if not record.match_key:
        raise DomainError(_("这条记录尚未识别，请稍后再试。"), code="match_not_open", status=409)
    decision, _created = MatchDecision.objects.update_or_create(
        key=record.match_key,
        entity=entity,
        defaults={"same": same, "decided_by": actor, "record": record},
    )
    if same:
        MatchDecision.objects.filter(key=record.match_key, same=True).exclude(
            entity=entity
        ).delete()
    return decision


def _others(record: CreditRecord) -> QuerySet[CreditRecord]:
    return CreditRecord.objects.filter(
        match_key=record.match_key, match_state__in=OPEN_STATES
    ).exclude(pk=record.pk)


@transaction.atomic
def match_confirm(*, actor: Any, record: CreditRecord, entity: Entity) -> int:
    """The record is about ``entity``: link it, remember the decision, and link the other
    undecided records with the same key. Returns how many other records followed."""
    _check_reviewer(actor, record)
    _decide(actor=actor, record=record, entity=entity, same=True)
    others = list(_others(record).values_list("pk", flat=True))
    linked = [record.pk, *others]  # one update and one delete, however many records follow
    CreditRecord.objects.filter(pk__in=linked).update(
        entity=entity, match_state=MatchState.CONFIRMED, match_score=1.0, updated_at=timezone.now()
    )
    EntityCandidate.objects.filter(record_id__in=linked).delete()
    record.entity = entity
    record.match_state = MatchState.CONFIRMED
    record.match_score = 1.0
    count = len(others)
    record_event(
        Verb.ENTITY_MATCH_DECIDED,
        actor=actor,
        target=record,
        same=True,
        entity_id=entity.pk,
        entity=entity.name,
        followed=count,
    )
    return count


def _drop_candidate(record: CreditRecord, entity: Entity) -> None:
    record.candidates.filter(entity=entity).delete()
    if record.entity_id == entity.pk:
        record.entity = None
    if not record.candidates.exists():
        record.match_state = MatchState.SPLIT
    elif record.entity_id is None:
        record.match_state = MatchState.UNSURE
    record.save(update_fields=["entity", "match_state", "updated_at"])


@transaction.atomic
def match_split(*, actor: Any, record: CreditRecord, entity: Entity) -> int:
    """The record is *not* about ``entity``: unlink it if linked, remember the decision, and
    resolve this record and the other undecided ones with the same key again (the next
    candidate may now be linked). Returns how many other records were resolved again."""
    _check_reviewer(actor, record)
    _decide(actor=actor, record=record, entity=entity, same=False)
    count = 0
    for other in [record, *_others(record)]:
        if other.subject_is_person:
            _drop_candidate(other, entity)  # the stored name is masked: no new resolution
        elif resolve_record(other).state == MatchState.NEW:
            other.match_state = MatchState.SPLIT
            other.save(update_fields=["match_state", "updated_at"])
        count += other.pk != record.pk
    record_event(
        Verb.ENTITY_MATCH_DECIDED,
        actor=actor,
        target=record,
        same=False,
        entity_id=entity.pk,
        entity=entity.name,
        followed=count,
    )
    return count
