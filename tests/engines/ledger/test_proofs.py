"""Round trips and tamper checks for the pure Merkle functions, against the RFC's own recursion."""

from __future__ import annotations

import doctest
import importlib
from hashlib import sha256

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipshield.engines.ledger import (
    ALGORITHMS,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# -- RFC 6962 section 2.1, transcribed literally (recursive, slow, obviously right) ----------


def _mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return sha256(b"").digest()
    if len(leaves) == 1:
        return sha256(b"\x00" + leaves[0]).digest()
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return sha256(b"\x01" + _mth(leaves[:k]) + _mth(leaves[k:])).digest()


def _path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return [*_path(m, leaves[:k]), _mth(leaves[k:])]
    return [*_path(m - k, leaves[k:]), _mth(leaves[:k])]


def _subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if b else [_mth(leaves)]
    k = 1 << ((n - 1).bit_length() - 1)
    if m <= k:
        return [*_subproof(m, leaves[:k], b), _mth(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), _mth(leaves[:k])]


@pytest.mark.parametrize("size", range(1, 34))
def test_every_proof_matches_the_rfc_definition(size: int) -> None:
    leaves = [b"%d" % i for i in range(size)]
    assert root(leaves) == _mth(leaves)
    for index in range(size):
        assert inclusion_proof(leaves, index) == _path(index, leaves)
    for old in range(1, size):
        assert consistency_proof(leaves, old) == _subproof(old, leaves, True)
    assert consistency_proof(leaves, size) == []
    assert consistency_proof(leaves, 0) == []


# -- hypothesis round trips ----------------------------------------------------------------

leaf_lists = st.lists(st.binary(max_size=24), min_size=1, max_size=80)
algorithms = st.sampled_from(ALGORITHMS)


def _flip(value: bytes, position: int) -> bytes:
    return value[:position] + bytes([value[position] ^ 0x01]) + value[position + 1 :]


@settings(max_examples=150, deadline=None)
@given(leaves=leaf_lists, algorithm=algorithms, data=st.data())
def test_inclusion_round_trip_and_any_flipped_byte_fails(
    leaves: list[bytes], algorithm: str, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(leaves) - 1), label="index")
    head = root(leaves, algorithm)
    proof = inclusion_proof(leaves, index, algorithm=algorithm)
    assert verify_inclusion(leaves[index], index, len(leaves), proof, head, algorithm)
    for node in range(len(proof)):
        for position in range(32):
            tampered = [*proof[:node], _flip(proof[node], position), *proof[node + 1 :]]
            assert not verify_inclusion(
                leaves[index], index, len(leaves), tampered, head, algorithm
            )
    for position in range(32):
        assert not verify_inclusion(
            leaves[index], index, len(leaves), proof, _flip(head, position), algorithm
        )
    for position in range(len(leaves[index])):
        assert not verify_inclusion(
            _flip(leaves[index], position), index, len(leaves), proof, head, algorithm
        )
    assert not verify_inclusion(leaves[index] + b"x", index, len(leaves), proof, head, algorithm)
    other = "sm3" if algorithm == "sha256" else "sha256"
    assert not verify_inclusion(leaves[index], index, len(leaves), proof, head, other)


@settings(max_examples=150, deadline=None)
@given(leaves=st.lists(st.binary(max_size=8), min_size=2, max_size=80, unique=True))
def test_an_inclusion_proof_holds_for_its_index_only(leaves: list[bytes]) -> None:
    head = root(leaves)
    for index in range(len(leaves)):
        proof = inclusion_proof(leaves, index)
        accepted = [
            other
            for other in range(len(leaves))
            if verify_inclusion(leaves[index], other, len(leaves), proof, head)
        ]
        assert accepted == [index]


@settings(max_examples=150, deadline=None)
@given(leaves=leaf_lists, algorithm=algorithms, data=st.data())
def test_consistency_round_trip_and_any_flipped_byte_fails(
    leaves: list[bytes], algorithm: str, data: st.DataObject
) -> None:
    old = data.draw(st.integers(0, len(leaves)), label="old_size")
    new = len(leaves)
    old_root, new_root = root(leaves[:old], algorithm), root(leaves, algorithm)
    proof = consistency_proof(leaves, old, algorithm=algorithm)
    assert verify_consistency(old, new, old_root, new_root, proof, algorithm)
    for node in range(len(proof)):
        for position in range(32):
            tampered = [*proof[:node], _flip(proof[node], position), *proof[node + 1 :]]
            assert not verify_consistency(old, new, old_root, new_root, tampered, algorithm)
    for position in range(32):
        assert not verify_consistency(
            old, new, _flip(old_root, position), new_root, proof, algorithm
        )
        # Every tree extends the empty tree, whatever its root: nothing to catch there.
        assert verify_consistency(
            old, new, old_root, _flip(new_root, position), proof, algorithm
        ) == (old == 0)
    if proof:
        assert not verify_consistency(old, new, old_root, new_root, proof[:-1], algorithm)
        assert not verify_consistency(old, new, old_root, new_root, [*proof, proof[0]], algorithm)


@settings(max_examples=100, deadline=None)
@given(
    leaves=st.lists(st.binary(max_size=8), min_size=2, max_size=60, unique=True),
    data=st.data(),
)
def test_a_rewritten_history_has_no_consistency_proof(
    leaves: list[bytes], data: st.DataObject
) -> None:
    old = data.draw(st.integers(1, len(leaves) - 1), label="old_size")
    changed = data.draw(st.integers(0, old - 1), label="changed leaf")
    forged = [*leaves[:changed], leaves[changed] + b"!", *leaves[changed + 1 :]]
    old_root = root(leaves[:old])
    # The operator can prove nothing from the genuine old head to the forged tree.
    assert not verify_consistency(
        old, len(forged), old_root, root(forged), consistency_proof(forged, old)
    )
    assert not verify_consistency(
        old, len(forged), old_root, root(forged), consistency_proof(leaves, old)
    )


@given(
    leaves=st.lists(st.binary(max_size=4), min_size=1, max_size=40),
    beyond=st.integers(0, 20),
    negative=st.booleans(),
)
def test_proof_arguments_out_of_range_are_refused(
    leaves: list[bytes], beyond: int, negative: bool
) -> None:
    index = -1 - beyond if negative else len(leaves) + beyond
    old_size = -1 - beyond if negative else len(leaves) + 1 + beyond
    with pytest.raises(ValueError, match="index must be at least 0 and below"):
        inclusion_proof(leaves, index)
    with pytest.raises(ValueError, match="old_size must be at least 0 and below"):
        consistency_proof(leaves, old_size)


def test_wrong_types_are_refused_or_rejected() -> None:
    with pytest.raises(TypeError, match="index must be an int"):
        inclusion_proof([b"a"], True)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="item 1 is str"):
        root([b"a", "b"])  # type: ignore[list-item]
    head = root([b"a", b"b"])
    proof = inclusion_proof([b"a", b"b"], 0)
    # verification never raises on malformed input, it says no
    assert not verify_inclusion("a", 0, 2, proof, head)  # type: ignore[arg-type]
    assert not verify_inclusion(b"a", "0", 2, proof, head)  # type: ignore[arg-type]
    assert not verify_inclusion(b"a", 0, 2, [proof[0][:31]], head)
    assert not verify_inclusion(b"a", 0, 2, proof, head.hex())  # type: ignore[arg-type]
    assert not verify_consistency(1, 2, leaf_hash(b"a"), head, [b"short"])
    assert not verify_consistency(-1, 2, leaf_hash(b"a"), head, proof)


def test_empty_leaf_list() -> None:
    assert root([]) == sha256(b"").digest()
    assert consistency_proof([], 0) == []
    with pytest.raises(ValueError):
        inclusion_proof([], 0)


@pytest.mark.parametrize(
    "module",
    ["", ".hashing", ".proofs", ".heads", ".log", ".auditor"],
)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module("ipshield.engines.ledger" + module))
    assert result.attempted > 0
    assert result.failed == 0
