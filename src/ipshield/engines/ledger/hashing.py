"""RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256 or SM3.

A Merkle tree hashes its leaves and inner nodes with different one-byte prefixes, so that a
leaf can never be passed off as an inner node (a second-preimage attack):

* leaf hash: ``H(0x00 || data)``;
* inner node hash: ``H(0x01 || left || right)``;
* the root of the empty tree: ``H("")`` (the hash of no bytes at all).

``H`` is chosen per log: ``"sha256"`` (the default, as in Certificate Transparency, so any CT
tool can check the proofs) or ``"sm3"`` (GB/T 32905-2016, the hash Chinese evidence platforms
expect). Both give 32-byte digests.

>>> leaf_hash(b"").hex()
'6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'
>>> node_hash(b"N123", b"N456").hex()
'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb'
>>> empty_root("sm3").hex()
'1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b'
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from typing import Protocol

from cryptography.hazmat.primitives import hashes

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "DIGEST_SIZE",
    "digest",
    "empty_root",
    "leaf_hash",
    "node_hash",
]

#: The hash algorithms a log can use.
ALGORITHMS = ("sha256", "sm3")
#: The algorithm used when none is given (interoperable with Certificate Transparency tools).
DEFAULT_ALGORITHM = "sha256"
#: Size in bytes of every hash in a tree (both algorithms give 256-bit digests).
DIGEST_SIZE = 32

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"


class _HashObject(Protocol):
    def digest(self) -> bytes: ...


#: A hash constructor in the style of ``hashlib.sha256``: ``new(data).digest()``.
HashConstructor = Callable[[bytes], _HashObject]

_SM3 = hashes.SM3()


class _SM3Hash:
    """``hashlib``-style wrapper around the SM3 of ``cryptography`` (OpenSSL's implementation)."""

    __slots__ = ("_context",)

    def __init__(self, data: bytes = b"") -> None:
        self._context = hashes.Hash(_SM3)
        self._context.update(data)

    def digest(self) -> bytes:
        return self._context.finalize()


_CONSTRUCTORS: dict[str, HashConstructor] = {"sha256": hashlib.sha256, "sm3": _SM3Hash}


def constructor(algorithm: str) -> HashConstructor:
    """Return the hash constructor for ``algorithm`` (internal, for the hot loops)."""
    try:
        return _CONSTRUCTORS[algorithm]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown hash algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}"
        ) from None


def digest(data: bytes, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Return the plain hash of ``data`` (no Merkle prefix).

    >>> digest(b"abc", "sm3").hex()
    '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'
    """
    return constructor(algorithm)(bytes(data)).digest()


def empty_root(algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Return the root hash of the empty tree, ``H("")``.

    >>> empty_root().hex()
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return constructor(algorithm)(b"").digest()


def leaf_hash(data: bytes, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Return the Merkle leaf hash ``H(0x00 || data)`` of one leaf input.

    >>> leaf_hash(b"L123456").hex()
    '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56'
    """
    return constructor(algorithm)(LEAF_PREFIX + bytes(data)).digest()


def node_hash(left: bytes, right: bytes, algorithm: str = DEFAULT_ALGORITHM) -> bytes:
    """Return the Merkle inner node hash ``H(0x01 || left || right)``.

    >>> node_hash(leaf_hash(b"a"), leaf_hash(b"b")).hex()[:16]
    'b137985ff484fb60'
    """
    return constructor(algorithm)(NODE_PREFIX + bytes(left) + bytes(right)).digest()


def hash_leaves(new: HashConstructor, items: Iterable[bytes], start: int = 0) -> list[bytes]:
    """Leaf hashes of ``items`` (internal; raises TypeError naming the first bad item).

    ``start`` is the number of items before ``items``, for the error message.
    """
    try:
        return [new(LEAF_PREFIX + item).digest() for item in items]
    except TypeError:
        for position, item in enumerate(items):
            if not isinstance(item, bytes | bytearray | memoryview):
                raise TypeError(
                    f"leaf inputs must be bytes; item {start + position} is "
                    f"{type(item).__name__} "
                    "(encode text, for example as UTF-8 JSON, first)"
                ) from None
        raise


def extend(
    new: HashConstructor, count: int, peaks: Mapping[int, bytes], leaf_hashes: list[bytes]
) -> list[list[bytes]]:
    """Return the nodes created, level by level, when ``leaf_hashes`` join a tree of ``count``.

    The tree is stored as perfect subtrees: the node at level ``L`` and index ``i`` is the hash
    of leaves ``[i * 2**L, (i + 1) * 2**L)``. ``peaks[L]`` must hold the node at level ``L``
    and index ``(count >> L) - 1`` for every bit ``L`` set in ``count`` (the "compact range"
    of the existing tree). ``result[L]`` lists the new nodes of level ``L`` in index order,
    starting at index ``count >> L``; ``result[0]`` is ``leaf_hashes`` itself.
    """
    levels: list[list[bytes]] = []
    current = leaf_hashes
    level = 0
    prefix = NODE_PREFIX
    while current:
        levels.append(current)
        # An odd node count below means this level's last old node (a peak) has no partner
        # yet: it pairs with the first new node.
        pairs: Iterator[bytes] = (
            chain((peaks[level],), current) if (count >> level) & 1 else iter(current)
        )
        current = [
            new(prefix + left + right).digest() for left, right in zip(pairs, pairs, strict=False)
        ]
        level += 1
    return levels


def inner_position(level: int, index: int) -> int:
    """Position of inner node ``(level >= 1, index)`` in post-order (the order nodes complete).

    Inner nodes are stored in the order an append-only tree completes them: after each pair
    of level-1 nodes comes their parent, and so on up (a "Merkle mountain range" over level 1).
    The node completes when level-1 node ``m - 1`` does, ``m = (index + 1) << (level - 1)``;
    ``2m - popcount(m)`` inner nodes exist by then, of which the last ``tz(m) - (level - 1)``
    are its ancestors, written after it.

    >>> [inner_position(level, index) for level, index in [(1, 0), (1, 1), (2, 0), (3, 0)]]
    [0, 1, 2, 6]
    """
    above_level_one = level - 1
    m = (index + 1) << above_level_one
    trailing_zeros = (m & -m).bit_length() - 1
    return 2 * m - m.bit_count() - 1 - (trailing_zeros - above_level_one)


def inner_count(size: int) -> int:
    """Number of inner nodes stored for a tree of ``size`` leaves (one per merge)."""
    return size - size.bit_count()


def inner_postorder(count: int, levels: list[list[bytes]]) -> list[bytes]:
    """The new inner nodes of :func:`extend`'s result, in post-order (see :func:`inner_position`).

    ``count`` is the tree size before the append, as given to :func:`extend`.
    """
    if len(levels) < 2:
        return []
    result: list[bytes] = []
    append = result.append
    upper = [iter(nodes) for nodes in levels[2:]]
    completed = count >> 1  # level-1 nodes that existed before
    for node in levels[1]:
        append(node)
        completed += 1
        # A level-1 node completing the j-th pair also completes tz(j) ancestors, in order.
        for ancestors in upper[: (completed & -completed).bit_length() - 1]:
            append(next(ancestors))
    return result


def fold_peaks(new: HashConstructor, count: int, peaks: Mapping[int, bytes]) -> bytes:
    """Root of a tree of ``count >= 1`` leaves from its peaks (see :func:`extend`)."""
    root = b""
    for level in range(count.bit_length()):
        if (count >> level) & 1:
            root = peaks[level] if not root else new(NODE_PREFIX + peaks[level] + root).digest()
    return root
