"""Merkle roots and proofs over an in-memory list of leaves (RFC 6962 / RFC 9162).

These pure functions are for interoperability checks and small trees: they take the raw leaf
inputs (not their hashes), build the whole tree in memory and follow RFC 6962 exactly, so their
results match Certificate Transparency tools for SHA-256. A proof is a list of 32-byte node
hashes in RFC 6962 order (nearest the leaf first). For a log on disk use
:class:`ipshield.engines.ledger.Log`, which produces the same proofs from stored nodes.

>>> leaves = [b"first", b"second", b"third"]
>>> head = root(leaves)
>>> proof = inclusion_proof(leaves, 1)
>>> verify_inclusion(b"second", 1, 3, proof, head)
True
>>> verify_inclusion(b"forged", 1, 3, proof, head)
False
>>> old_head = root(leaves[:2])
>>> verify_consistency(2, 3, old_head, head, consistency_proof(leaves, 2))
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .hashing import (
    DEFAULT_ALGORITHM,
    DIGEST_SIZE,
    NODE_PREFIX,
    HashConstructor,
    constructor,
    extend,
    hash_leaves,
)

__all__ = [
    "consistency_proof",
    "inclusion_proof",
    "root",
    "verify_consistency",
    "verify_inclusion",
]

#: Reads the stored hash of the perfect subtree at ``(level, index)``.
NodeReader = Callable[[int, int], bytes]


def range_hash(node: NodeReader, new: HashConstructor, start: int, end: int) -> bytes:
    """Hash of the RFC 6962 subtree over leaves ``[start, end)`` from stored perfect subtrees.

    ``start`` must be a multiple of the largest power of two not above ``end - start``, which
    holds for every subtree the RFC 6962 recursion visits. Reads at most log2(n) nodes.
    """
    parts = []
    while start < end:
        level = (end - start).bit_length() - 1
        parts.append(node(level, start >> level))
        start += 1 << level
    result = parts.pop()
    while parts:
        result = new(NODE_PREFIX + parts.pop() + result).digest()
    return result


def inclusion_path(node: NodeReader, new: HashConstructor, index: int, size: int) -> list[bytes]:
    """RFC 6962 ``PATH(index, D[size])`` from stored nodes; arguments must be valid."""
    path = []
    start, end = 0, size
    while end - start > 1:
        split = 1 << ((end - start - 1).bit_length() - 1)
        if index < start + split:
            path.append(range_hash(node, new, start + split, end))
            end = start + split
        else:
            path.append(range_hash(node, new, start, start + split))
            start += split
    path.reverse()
    return path


def consistency_path(
    node: NodeReader, new: HashConstructor, old_size: int, new_size: int
) -> list[bytes]:
    """RFC 6962 ``PROOF(old_size, D[new_size])`` from stored nodes; arguments must be valid."""
    if old_size == 0 or old_size == new_size:
        return []
    path = []
    start, end = 0, new_size
    whole_old_tree = True  # the "b" flag of RFC 6962 SUBPROOF
    while True:
        if old_size == end:
            if not whole_old_tree:
                path.append(range_hash(node, new, start, end))
            break
        split = 1 << ((end - start - 1).bit_length() - 1)
        if old_size - start <= split:
            path.append(range_hash(node, new, start + split, end))
            end = start + split
        else:
            path.append(range_hash(node, new, start, start + split))
            start += split
            whole_old_tree = False
    path.reverse()
    return path


class _MemoryTree:
    """Every perfect subtree of a list of leaves, kept in memory."""

    def __init__(self, leaves: Sequence[bytes], algorithm: str) -> None:
        self.new = constructor(algorithm)
        self.size = len(leaves)
        self.levels = extend(self.new, 0, {}, hash_leaves(self.new, list(leaves)))

    def node(self, level: int, index: int) -> bytes:
        return self.levels[level][index]

    def root(self) -> bytes:
        if self.size == 0:
            return self.new(b"").digest()
        return range_hash(self.node, self.new, 0, self.size)


def _check_index(name: str, value: int, upper: int, upper_name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not 0 <= value < upper:
        raise ValueError(f"{name} must be at least 0 and below {upper_name} ({upper}), got {value}")


def root(leaves: Sequence[bytes], algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Return the Merkle tree hash (root) of ``leaves``, a sequence of raw leaf inputs.

    >>> root([]).hex()
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    >>> root([b""]).hex()
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'
    """
    return _MemoryTree(leaves, algorithm).root()


def inclusion_proof(
    leaves: Sequence[bytes], index: int, *, algorithm: str = DEFAULT_ALGORITHM
) -> list[bytes]:
    """Return the proof that ``leaves[index]`` is in the tree of all ``leaves``.

    Raises :class:`ValueError` if ``index`` is not a position in ``leaves``.

    >>> [node.hex()[:8] for node in inclusion_proof([b"a", b"b", b"c"], 2)]
    ['b137985f']
    """
    _check_index("index", index, len(leaves), "the number of leaves")
    tree = _MemoryTree(leaves, algorithm)
    return inclusion_path(tree.node, tree.new, index, tree.size)


def consistency_proof(
    leaves: Sequence[bytes], old_size: int, *, algorithm: str = DEFAULT_ALGORITHM
) -> list[bytes]:
    """Return the proof that the tree of ``leaves[:old_size]`` is a prefix of that of ``leaves``.

    The proof is empty when ``old_size`` is 0 or ``len(leaves)``. Raises :class:`ValueError`
    if ``old_size`` is negative or larger than the number of leaves.

    >>> len(consistency_proof([b"a", b"b", b"c"], 2))
    1
    """
    _check_index("old_size", old_size, len(leaves) + 1, "the number of leaves + 1")
    tree = _MemoryTree(leaves, algorithm)
    return consistency_path(tree.node, tree.new, old_size, tree.size)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes | bytearray) and len(value) == DIGEST_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def root_from_inclusion_proof(
    new: HashConstructor, leaf: bytes, index: int, tree_size: int, proof: Sequence[bytes]
) -> bytes | None:
    """The root that ``proof`` leads to from ``leaf`` (a leaf hash), or None if malformed.

    RFC 9162 section 2.1.3.2.
    """
    if not (_is_size(index) and _is_size(tree_size)) or index >= tree_size:
        return None
    if not all(_is_hash(node) for node in proof):
        return None
    prefix = NODE_PREFIX
    fn, sn = index, tree_size - 1
    result = bytes(leaf)
    for node in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            result = new(prefix + node + result).digest()
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = new(prefix + result + node).digest()
        fn >>= 1
        sn >>= 1
    return result if sn == 0 else None


def verify_inclusion(
    leaf_data: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    root: bytes,
    algorithm: str = DEFAULT_ALGORITHM,
) -> bool:
    """Return whether ``proof`` shows that ``leaf_data`` is leaf ``index`` of the tree ``root``.

    ``leaf_data`` is the raw leaf input; ``tree_size`` the number of leaves of the tree whose
    root hash is ``root``. Any malformed input (a wrong-length hash, an index outside the
    tree, a proof of the wrong length) gives ``False``, never an exception; only an unknown
    ``algorithm`` raises :class:`ValueError`.

    >>> leaves = [b"a", b"b", b"c", b"d", b"e"]
    >>> verify_inclusion(b"c", 2, 5, inclusion_proof(leaves, 2), root(leaves))
    True
    >>> verify_inclusion(b"c", 3, 5, inclusion_proof(leaves, 2), root(leaves))
    False
    """
    new = constructor(algorithm)
    if not isinstance(leaf_data, bytes | bytearray) or not _is_hash(root):
        return False
    leaf = new(b"\x00" + leaf_data).digest()
    computed = root_from_inclusion_proof(new, leaf, index, tree_size, proof)
    return computed is not None and computed == root


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
    algorithm: str = DEFAULT_ALGORITHM,
) -> bool:
    """Return whether ``proof`` shows that tree ``new_root`` extends tree ``old_root``.

    That is: the first ``old_size`` leaves of the tree with ``new_size`` leaves and root
    ``new_root`` are exactly the tree whose root is ``old_root``, so nothing published before
    was rewritten. Equal sizes need an empty proof and equal roots; the empty old tree
    (``old_size == 0``) needs an empty proof and ``old_root`` equal to the empty-tree hash.
    Malformed input gives ``False``; only an unknown ``algorithm`` raises
    :class:`ValueError` (RFC 9162 section 2.1.4.2).

    >>> leaves = [b"a", b"b", b"c", b"d", b"e"]
    >>> proof = consistency_proof(leaves, 3)
    >>> verify_consistency(3, 5, root(leaves[:3]), root(leaves), proof)
    True
    >>> verify_consistency(3, 5, root([b"a", b"B", b"c"]), root(leaves), proof)
    False
    """
    new = constructor(algorithm)
    if not (_is_size(old_size) and _is_size(new_size)) or old_size > new_size:
        return False
    if not (_is_hash(old_root) and _is_hash(new_root)):
        return False
    if not all(_is_hash(node) for node in proof):
        return False
    if old_size == new_size:
        return len(proof) == 0 and old_root == new_root
    if old_size == 0:
        return len(proof) == 0 and old_root == new(b"").digest()
    if len(proof) == 0:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, bytes(old_root))
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    prefix = NODE_PREFIX
    old_result = new_result = bytes(path[0])
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_result = new(prefix + node + old_result).digest()
            new_result = new(prefix + node + new_result).digest()
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            new_result = new(prefix + new_result + node).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and old_result == old_root and new_result == new_root
