"""Known-answer tests: published RFC 6962 vectors, reproduced by the pure functions and a Log.

Sources (Apache-2.0 test data, copied as data):

* transparency-dev/merkle ``proof/verify_test.go``: the reference tree of 8 leaves used across
  Certificate Transparency (also in google/certificate-transparency's C++ and Go trees), its
  roots for every size, inclusion proofs and consistency proofs, plus the ways the Go tests
  corrupt each proof (``corruptInclusionProof`` / ``corruptConsistencyProof``), all of which
  must fail;
* transparency-dev/merkle ``testdata/inclusion/1/happy-path.json`` and
  ``testdata/consistency/4/happy-path.json`` (the same vectors in base64 JSON);
* transparency-dev/merkle ``rfc6962/rfc6962_test.go``: empty tree, empty leaf, leaf and node
  hashes;
* GB/T 32905-2016 appendix A: the two SM3 examples.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from ipshield.engines.ledger import (
    Log,
    consistency_proof,
    empty_root,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)
from ipshield.engines.ledger.hashing import digest


def h(text: str) -> bytes:
    return bytes.fromhex(text)


LEAVES = [
    h(""),
    h("00"),
    h("10"),
    h("2021"),
    h("3031"),
    h("40414243"),
    h("5051525354555657"),
    h("606162636465666768696a6b6c6d6e6f"),
]

ROOTS = [  # root of the first n leaves, n = 1..8
    h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
    h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
    h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
    h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
    h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
    h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
    h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
]

# (leaf index, tree size, proof); the Go table numbers leaves from 1, these from 0.
INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        5,
        8,
        [
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (2, 3, [h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (
        1,
        5,
        [
            h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
]

CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ],
    ),
    (
        6,
        8,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
    (
        2,
        5,
        [
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ],
    ),
    (
        6,
        7,
        [
            h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ],
    ),
]

SOME_HASH = h("abacaba000000000000000000000000000000000000000000060061e00123456")
EMPTY_TREE = h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


@pytest.fixture(scope="module")
def reference_log(tmp_path_factory: pytest.TempPathFactory) -> Log:
    log = Log(tmp_path_factory.mktemp("reference") / "log")
    log.append(LEAVES[0])
    log.append_many(LEAVES[1:5])
    log.append_many(LEAVES[5:])
    return log


# -- hashes ------------------------------------------------------------------------------


def test_rfc6962_hasher_vectors() -> None:
    assert empty_root() == EMPTY_TREE
    assert root([]) == EMPTY_TREE
    assert leaf_hash(b"") == ROOTS[0]
    assert leaf_hash(b"L123456") == h(
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert node_hash(b"N123", b"N456") == h(
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


def test_sm3_gbt_32905_examples() -> None:
    assert digest(b"abc", "sm3") == h(
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert digest(b"abcd" * 16, "sm3") == h(
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )
    # The Merkle rules are the same with SM3: prefixes 0x00 and 0x01, empty tree = SM3("").
    assert leaf_hash(b"abc", "sm3") == digest(b"\x00abc", "sm3")
    assert node_hash(b"l", b"r", "sm3") == digest(b"\x01lr", "sm3")
    assert empty_root("sm3") == digest(b"", "sm3") != EMPTY_TREE
    assert root([b"a", b"b"], "sm3") == node_hash(
        leaf_hash(b"a", "sm3"), leaf_hash(b"b", "sm3"), "sm3"
    )


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown hash algorithm 'md5'"):
        root([b"a"], "md5")
    with pytest.raises(ValueError, match="sha256, sm3"):
        verify_inclusion(b"a", 0, 1, [], ROOTS[0], "sha1")


# -- roots and proofs ------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(1, 9))
def test_reference_roots(size: int, reference_log: Log) -> None:
    assert root(LEAVES[:size]) == ROOTS[size - 1]
    assert reference_log.root(size) == ROOTS[size - 1]


def test_reference_log_root_and_leaves(reference_log: Log) -> None:
    assert reference_log.size == 8
    assert reference_log.root() == ROOTS[7]
    assert [reference_log.leaf(i) for i in range(8)] == LEAVES
    assert list(reference_log.iter_leaves()) == LEAVES


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_reference_inclusion_proofs(
    index: int, size: int, proof: list[bytes], reference_log: Log
) -> None:
    assert inclusion_proof(LEAVES[:size], index) == proof
    assert reference_log.prove_inclusion(index, size) == proof
    assert verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size - 1])


@pytest.mark.parametrize(("old", "new", "proof"), CONSISTENCY)
def test_reference_consistency_proofs(
    old: int, new: int, proof: list[bytes], reference_log: Log
) -> None:
    assert consistency_proof(LEAVES[:new], old) == proof
    assert reference_log.prove_consistency(old, new) == proof
    assert verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


def _inclusion_probes(index: int, size: int, proof: list[bytes], root_: bytes, leaf: bytes):
    """The corruptions of transparency-dev/merkle's corruptInclusionProof, by name."""
    yield "index - 1", (leaf, index - 1, size, proof, root_)
    yield "index + 1", (leaf, index + 1, size, proof, root_)
    yield "index ^ 2", (leaf, index ^ 2, size, proof, root_)
    yield "size * 2", (leaf, index, size * 2, proof, root_)
    yield "size / 2", (leaf, index, size // 2, proof, root_)
    yield "wrong leaf", (b"WrongLeaf", index, size, proof, root_)
    yield "empty root", (leaf, index, size, proof, EMPTY_TREE)
    yield "random root", (leaf, index, size, proof, SOME_HASH)
    yield "trailing garbage", (leaf, index, size, [*proof, b""], root_)
    yield "trailing root", (leaf, index, size, [*proof, root_], root_)
    yield "preceding garbage", (leaf, index, size, [b"", *proof], root_)
    yield "preceding root", (leaf, index, size, [root_, *proof], root_)
    for position in range(len(proof)):
        wrong = list(proof)
        wrong[position] = bytes([wrong[position][0] ^ 8]) + wrong[position][1:]
        yield f"modified proof[{position}] bit 3", (leaf, index, size, wrong, root_)
    if proof:
        yield "removed component", (leaf, index, size, proof[:-1], root_)
    if len(proof) > 1:
        inserted = [proof[0], SOME_HASH, *proof[1:]]
        yield "inserted component", (leaf, index, size, inserted, root_)


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION)
def test_corrupted_inclusion_proofs_fail(index: int, size: int, proof: list[bytes]) -> None:
    probes = dict(_inclusion_probes(index, size, proof, ROOTS[size - 1], LEAVES[index]))
    accepted = [name for name, args in probes.items() if verify_inclusion(*args)]
    assert accepted == []


def _consistency_probes(old: int, new: int, root1: bytes, root2: bytes, proof: list[bytes]):
    """The corruptions of transparency-dev/merkle's corruptConsistencyProof, by name."""
    yield "size1 - 1", (old - 1, new, root1, root2, proof)
    yield "size1 + 1", (old + 1, new, root1, root2, proof)
    yield "size1 ^ 2", (old ^ 2, new, root1, root2, proof)
    yield "size2 * 2", (old, new * 2, root1, root2, proof)
    yield "size2 / 2", (old, new // 2, root1, root2, proof)
    yield "wrong root1", (old, new, b"WrongRoot", root2, proof)
    yield "wrong root2", (old, new, root1, b"WrongRoot", proof)
    yield "swapped roots", (old, new, root2, root1, proof)
    yield "empty proof", (old, new, root1, root2, [])
    yield "trailing garbage", (old, new, root1, root2, [*proof, b""])
    yield "trailing root1", (old, new, root1, root2, [*proof, root1])
    yield "trailing root2", (old, new, root1, root2, [*proof, root2])
    yield "preceding garbage", (old, new, root1, root2, [b"", *proof])
    yield "preceding root1", (old, new, root1, root2, [root1, *proof])
    yield "preceding root2", (old, new, root1, root2, [root2, *proof])
    yield "preceding proof[0]", (old, new, root1, root2, [proof[0], *proof])
    yield "truncated proof", (old, new, root1, root2, proof[:-1])
    for position in range(len(proof)):
        wrong = list(proof)
        wrong[position] = bytes([wrong[position][0] ^ 16]) + wrong[position][1:]
        yield f"modified proof[{position}] bit 4", (old, new, root1, root2, wrong)


@pytest.mark.parametrize(("old", "new", "proof"), [c for c in CONSISTENCY if c[2]])
def test_corrupted_consistency_proofs_fail(old: int, new: int, proof: list[bytes]) -> None:
    probes = dict(_consistency_probes(old, new, ROOTS[old - 1], ROOTS[new - 1], proof))
    accepted = [name for name, args in probes.items() if verify_consistency(*args)]
    assert accepted == []


@pytest.mark.parametrize(
    ("old", "new", "old_root", "new_root", "proof", "valid"),
    [  # transparency-dev/merkle TestVerifyConsistency edge cases
        (0, 0, EMPTY_TREE, EMPTY_TREE, [], True),
        (1, 1, ROOTS[0], ROOTS[0], [], True),
        (0, 1, EMPTY_TREE, ROOTS[0], [], True),
        (1, 1, ROOTS[0], ROOTS[1], [], False),  # roots differ
        (1, 0, ROOTS[0], EMPTY_TREE, [], False),  # time travel to the past
        (2, 1, ROOTS[1], ROOTS[0], [], False),
        (1, 2, ROOTS[0], ROOTS[1], [], False),  # empty proof
        (0, 0, EMPTY_TREE, EMPTY_TREE, [EMPTY_TREE], False),  # roots match, proof not empty
        (0, 1, EMPTY_TREE, ROOTS[0], [EMPTY_TREE], False),
        (1, 1, ROOTS[0], ROOTS[0], [EMPTY_TREE], False),
        # Stricter than the Go verifier: the empty tree's root must be the empty-tree hash.
        (0, 1, SOME_HASH, ROOTS[0], [], False),
    ],
)
def test_consistency_edge_cases(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes], valid: bool
) -> None:
    assert verify_consistency(old, new, old_root, new_root, proof) is valid


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_inclusion_edge_cases(index: int, size: int) -> None:
    # transparency-dev/merkle TestVerifyInclusion: nothing verifies with an empty proof here.
    assert not verify_inclusion(b"data", index, size, [], EMPTY_TREE)
    assert not verify_inclusion(b"data", index, size, [], SOME_HASH)


def test_single_entry_tree() -> None:
    # transparency-dev/merkle TestVerifyInclusionSingleEntry: the root is the leaf hash.
    assert verify_inclusion(b"data", 0, 1, [], leaf_hash(b"data"))
    assert not verify_inclusion(b"data", 0, 1, [], b"")
    assert not verify_inclusion(b"data", 0, 1, [], leaf_hash(b"other"))


def _b64(text: str) -> bytes:
    return base64.b64decode(text)


def test_transparency_dev_json_vectors() -> None:
    # testdata/inclusion/1/happy-path.json
    proof = [
        _b64("lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c="),
        _b64("Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4="),
        _b64("a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="),
    ]
    assert leaf_hash(LEAVES[0]) == _b64("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=")
    assert root(LEAVES) == _b64("XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=")
    assert inclusion_proof(LEAVES, 0) == proof
    # testdata/consistency/4/happy-path.json
    proof = [
        _b64("DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o="),
        _b64("sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8="),
        _b64("037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="),
    ]
    root1 = _b64("duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=")
    root2 = _b64("3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=")
    assert (root(LEAVES[:6]), root(LEAVES[:7])) == (root1, root2)
    assert consistency_proof(LEAVES[:7], 6) == proof
    assert verify_consistency(6, 7, root1, root2, proof)


def test_vectors_survive_reopening(tmp_path: Path) -> None:
    with Log(tmp_path / "log") as log:
        log.append_many(LEAVES)
    with Log(tmp_path / "log", create=False) as log:
        assert [log.root(n) for n in range(1, 9)] == ROOTS
        assert log.prove_consistency(6, 8) == CONSISTENCY[2][2]
