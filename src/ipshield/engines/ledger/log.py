"""A persistent, append-only Merkle transparency log in a directory on local disk.

:class:`Log` keeps the raw leaf inputs (for IPShield: one JSON entry per preserved piece of
evidence), their RFC 6962 Merkle tree, commit records and signed tree heads. Appends never
rewrite earlier data; a crash at any moment leaves the log readable at its last complete
append; several processes may append at once (they take turns on a lock file). Proofs read
O(log n) stored nodes, so a log of tens of millions of leaves needs no more memory than an
empty one.

>>> import tempfile
>>> from ipshield.engines.ledger import verify_consistency, verify_inclusion
>>> directory = tempfile.mkdtemp()
>>> with Log(directory + "/evidence", origin="ipshield.example/evidence") as log:
...     log.append(b'{"evidence": 1}')
...     log.append_many([b'{"evidence": 2}', b'{"evidence": 3}'])
...     old_root = log.root(1)
...     proof = log.prove_inclusion(2)
...     verify_inclusion(b'{"evidence": 3}', 2, log.size, proof, log.root())
...     verify_consistency(1, 3, old_root, log.root(), log.prove_consistency(1, 3))
...     head = log.signed_tree_head()
...     head.tree_size, head.verify(log.public_key)
0
range(1, 3)
True
True
(3, True)

Layout of the log directory (all integers little-endian; ``n`` is the committed size):

``ledger.json``
    format version, hash algorithm and origin; written once, when the log is created.
``entries.dat``
    the leaf inputs, concatenated in order (append-only).
``entries.idx``
    8 bytes per leaf: the end offset of that leaf in ``entries.dat``.
``hashes.dat``
    32 bytes per leaf: its Merkle leaf hash (level 0 of the tree), leaf ``i`` at ``32 * i``.
``nodes.dat``
    32 bytes per inner node, ``n - popcount(n)`` of them: the hash of every perfect subtree of
    two or more leaves, in the order appends complete them (post-order), so the file only
    grows. The node at level ``L`` and index ``i`` (the hash of leaves ``[i * 2**L,
    (i + 1) * 2**L)``) is at a position computed directly from ``L`` and ``i``
    (:func:`~ipshield.engines.ledger.hashing.inner_position`).
``commits.dat``
    64-byte commit records (size, end of ``entries.dat``, time, root, CRC-32), one per append.
    The last record with a valid checksum defines the log; anything in any file beyond it is
    a torn append, ignored by readers and cut off by the next writer.
``heads.dat``
    120-byte records of every signed tree head issued (size, timestamp, root, signature).
``lock``
    writers hold an exclusive ``flock`` on it while appending or signing.

An append writes entries, index, leaf hashes and inner nodes, flushes these four files to disk,
and only then appends and flushes its commit record, so a commit record is never ahead of the
data it describes: five flushes per append whatever its size, so batch many leaves per call.
The Ed25519 key pair lives in ``key_dir`` (by default the log directory) and is created on
first use (see :func:`~ipshield.engines.ledger.heads.load_or_create_signing_key`).

POSIX only (Linux, macOS): it relies on ``flock``, ``pread`` and ``O_APPEND``.
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import sys
import threading
import time
import uuid
import zlib
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import accumulate, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization

from ._fs import fsync_directory, sync, sync_all, write_all, write_new_file
from .hashing import (
    ALGORITHMS,
    DEFAULT_ALGORITHM,
    DIGEST_SIZE,
    constructor,
    extend,
    fold_peaks,
    hash_leaves,
    inner_count,
    inner_position,
    inner_postorder,
)
from .heads import SignedTreeHead, check_origin, load_or_create_signing_key, public_key_bytes
from .proofs import consistency_path, inclusion_path, range_hash

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from .auditor import AuditReport

__all__ = ["Log", "LogCorruptError", "LogError"]

FORMAT = "ipshield-ledger"
VERSION = 1
META_FILE = "ledger.json"
LOCK_FILE = "lock"
DATA_FILE = "entries.dat"
INDEX_FILE = "entries.idx"
COMMITS_FILE = "commits.dat"
HEADS_FILE = "heads.dat"
HASHES_FILE = "hashes.dat"
NODES_FILE = "nodes.dat"
DATA_FILES = (DATA_FILE, INDEX_FILE, HASHES_FILE, NODES_FILE)

#: Leaves hashed and written per step of :meth:`Log.append_many` (bounds its memory).
CHUNK = 1 << 16

_COMMIT = struct.Struct("<4sQQQ32s")  # magic, size, end of entries.dat, time (ms), root
_COMMIT_MAGIC = b"LCM1"
COMMIT_RECORD_SIZE = _COMMIT.size + 4  # + CRC-32
_HEAD = struct.Struct("<4sQQ32s64s")  # magic, size, timestamp (ms), root, signature
_HEAD_MAGIC = b"LSH1"
HEAD_RECORD_SIZE = _HEAD.size + 4
_OFFSET_SIZE = 8
_BIG_ENDIAN = sys.byteorder == "big"
assert array("Q").itemsize == _OFFSET_SIZE


class LogError(Exception):
    """A log cannot be opened or written (wrong algorithm, missing directory, ...)."""


class LogCorruptError(LogError):
    """Stored data is missing or damaged beyond a torn append: run an audit."""


@dataclass(frozen=True)
class Commit:
    """One commit record: the log as it stood after one append."""

    size: int
    data_end: int
    time_ms: int
    root: bytes

    def encode(self) -> bytes:
        body = _COMMIT.pack(_COMMIT_MAGIC, self.size, self.data_end, self.time_ms, self.root)
        return body + struct.pack("<I", zlib.crc32(body))

    @classmethod
    def decode(cls, raw: bytes) -> Commit | None:
        """The record in ``raw``, or None if it is torn or damaged."""
        if len(raw) != COMMIT_RECORD_SIZE:
            return None
        body = raw[: _COMMIT.size]
        if struct.unpack("<I", raw[_COMMIT.size :])[0] != zlib.crc32(body):
            return None
        magic, size, data_end, time_ms, root = _COMMIT.unpack(body)
        return cls(size, data_end, time_ms, root) if magic == _COMMIT_MAGIC else None


def encode_head(head: SignedTreeHead) -> bytes:
    body = _HEAD.pack(_HEAD_MAGIC, head.tree_size, head.timestamp, head.root, head.signature)
    return body + struct.pack("<I", zlib.crc32(body))


def decode_head(raw: bytes, origin: str, algorithm: str) -> SignedTreeHead | None:
    """The head in a ``heads.dat`` record, or None if it is torn or damaged."""
    if len(raw) != HEAD_RECORD_SIZE:
        return None
    body = raw[: _HEAD.size]
    if struct.unpack("<I", raw[_HEAD.size :])[0] != zlib.crc32(body):
        return None
    magic, size, timestamp, root, signature = _HEAD.unpack(body)
    if magic != _HEAD_MAGIC:
        return None
    return SignedTreeHead(origin, algorithm, size, root, timestamp, signature)


def expected_lengths(size: int, data_end: int) -> dict[str, int]:
    """The length each data file has when the log holds ``size`` leaves."""
    return {
        DATA_FILE: data_end,
        INDEX_FILE: size * _OFFSET_SIZE,
        HASHES_FILE: size * DIGEST_SIZE,
        NODES_FILE: inner_count(size) * DIGEST_SIZE,
    }


def _check_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    return value


class Log:
    """An append-only Merkle log stored in the directory ``path``.

    ``Log(path)`` opens the log in ``path``, creating the directory and an empty log if there
    is none (pass ``create=False`` to insist on an existing log). When creating, ``algorithm``
    (``"sha256"``, the default, or ``"sm3"``) and ``origin`` (the log's name in signed tree
    heads; by default a random one) are recorded; when opening, they must match the log's
    or be left out.

    ``key_dir`` is the directory holding the Ed25519 signing key pair (created on first use);
    it defaults to ``path``. IPShield passes its data directory, so one key signs all its logs
    and one public key is published.

    A ``Log`` is safe to share between threads, and any number of processes may open the same
    log: readers see every append as soon as it is complete, writers take turns. Close it
    with :meth:`close` or use it as a context manager.

    >>> import tempfile
    >>> log = Log(tempfile.mkdtemp(), algorithm="sm3")
    >>> log.append(b"hello"), log.size, log.algorithm
    (0, 1, 'sm3')
    >>> log.leaf(0)
    b'hello'
    >>> log.close()
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        algorithm: str | None = None,
        origin: str | None = None,
        key_dir: str | os.PathLike[str] | None = None,
        create: bool = True,
    ) -> None:
        if algorithm is not None and algorithm not in ALGORITHMS:
            raise ValueError(
                f"unknown hash algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}"
            )
        self.path = Path(path)
        self.key_dir = Path(key_dir) if key_dir is not None else self.path
        self._mutex = threading.RLock()
        self._readers: dict[str, int] = {}
        self._writers: dict[str, int] = {}
        self._lock_fd = -1  # opened on the first write: readers need no lock (nor write access)
        self._lock_pid = 0
        self._closed = False
        self._signing_key: Ed25519PrivateKey | None = None
        if not (self.path / META_FILE).exists():
            if not create:
                raise LogError(f"there is no log in {self.path}")
            self.path.mkdir(parents=True, exist_ok=True)
        try:
            meta = self._load_meta(algorithm, origin)
        except BaseException:
            self.close()
            raise
        self.algorithm: str = meta["algorithm"]
        self.origin: str = meta["origin"]
        self._new = constructor(self.algorithm)

    # -- opening and closing -------------------------------------------------------------

    def _load_meta(self, algorithm: str | None, origin: str | None) -> dict[str, Any]:
        meta_path = self.path / META_FILE
        if not meta_path.exists():
            with self._exclusive():
                if not meta_path.exists():
                    self._create(algorithm or DEFAULT_ALGORITHM, origin)
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError) as error:
            raise LogCorruptError(f"cannot read {meta_path}: {error}") from error
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise LogError(f"{self.path} is not a version {VERSION} {FORMAT} log")
        if meta.get("algorithm") not in ALGORITHMS or not isinstance(meta.get("origin"), str):
            raise LogCorruptError(f"{meta_path} names no valid algorithm and origin")
        if algorithm is not None and algorithm != meta["algorithm"]:
            raise LogError(
                f"the log in {self.path} uses {meta['algorithm']}, not {algorithm}; "
                "a log's hash algorithm cannot change"
            )
        if origin is not None and origin != meta["origin"]:
            raise LogError(f"the log in {self.path} is named {meta['origin']!r}, not {origin!r}")
        return meta

    def _create(self, algorithm: str, origin: str | None) -> None:
        if origin is None:
            origin = f"ipshield-ledger/{uuid.uuid4().hex[:16]}"
        check_origin(origin)
        for name in (*DATA_FILES, COMMITS_FILE, HEADS_FILE):
            os.close(os.open(self.path / name, os.O_WRONLY | os.O_CREAT, 0o644))
        fsync_directory(self.path)
        meta = {"format": FORMAT, "version": VERSION, "algorithm": algorithm, "origin": origin}
        # Written last: a directory with ledger.json is a complete, empty log.
        write_new_file(self.path / META_FILE, json.dumps(meta, indent=2).encode() + b"\n", 0o644)

    def close(self) -> None:
        """Close the log's files. Further use raises an error."""
        with self._mutex:
            for fd in [*self._readers.values(), *self._writers.values()]:
                os.close(fd)
            self._readers.clear()
            self._writers.clear()
            if self._lock_fd >= 0:
                os.close(self._lock_fd)
                self._lock_fd = -1
            self._closed = True

    def __enter__(self) -> Log:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        with suppress(Exception):  # at interpreter shutdown there is nobody to tell
            self.close()

    def __repr__(self) -> str:
        return f"<Log {str(self.path)!r} {self.algorithm} origin={self.origin!r}>"

    # -- low-level file access ----------------------------------------------------------

    def _reader(self, name: str) -> int:
        fd = self._readers.get(name)
        if fd is None:
            with self._mutex:
                if self._closed:
                    raise LogError("the log is closed")
                fd = self._readers.get(name)
                if fd is None:
                    try:
                        fd = os.open(self.path / name, os.O_RDONLY)
                    except FileNotFoundError:
                        raise LogCorruptError(f"{self.path / name} is missing") from None
                    self._readers[name] = fd
        return fd

    def _writer(self, name: str) -> int:
        fd = self._writers.get(name)
        if fd is None:
            fd = os.open(self.path / name, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._writers[name] = fd
        return fd

    def _read(self, name: str, length: int, offset: int) -> bytes:
        data = os.pread(self._reader(name), length, offset)
        if len(data) != length:
            raise LogCorruptError(
                f"{self.path / name} is too short: wanted {length} bytes at {offset}"
            )
        return data

    def node(self, level: int, index: int) -> bytes:
        """Return the stored hash of the perfect subtree at ``level`` and ``index``.

        That is the Merkle hash of leaves ``index * 2**level`` to ``(index + 1) * 2**level - 1``;
        level 0 holds the leaf hashes. Only committed nodes may be asked for.
        """
        if level == 0:
            return self._read(HASHES_FILE, DIGEST_SIZE, index * DIGEST_SIZE)
        return self._read(NODES_FILE, DIGEST_SIZE, inner_position(level, index) * DIGEST_SIZE)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with self._mutex:
            if self._closed:
                raise LogError("the log is closed")
            if self._lock_pid != os.getpid():
                # A forked child shares its parent's open lock file, and with it the parent's
                # flock: it needs a lock file of its own to be kept out while the parent writes.
                if self._lock_fd >= 0:
                    os.close(self._lock_fd)
                self._lock_fd = os.open(self.path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
                self._lock_pid = os.getpid()
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    # -- committed state ----------------------------------------------------------------

    def _last_commit(self) -> tuple[Commit, int]:
        """The last valid commit record and the number of records up to and including it."""
        fd = self._reader(COMMITS_FILE)
        count = os.fstat(fd).st_size // COMMIT_RECORD_SIZE
        while count:
            commit = Commit.decode(
                os.pread(fd, COMMIT_RECORD_SIZE, (count - 1) * COMMIT_RECORD_SIZE)
            )
            if commit is not None:
                return commit, count
            count -= 1
        return Commit(0, 0, 0, self._new(b"").digest()), 0

    def _peaks(self, size: int) -> dict[int, bytes]:
        return {
            level: self.node(level, (size >> level) - 1)
            for level in range(size.bit_length())
            if (size >> level) & 1
        }

    def _cut_torn_tail(self, commit: Commit, records: int) -> None:
        """Cut every file back to what ``commit`` describes (writers only, under the lock)."""
        expected = {
            COMMITS_FILE: records * COMMIT_RECORD_SIZE,
            **expected_lengths(commit.size, commit.data_end),
        }
        for name, length in expected.items():
            actual = os.stat(self.path / name).st_size
            if actual > length:
                os.ftruncate(self._writer(name), length)
            elif actual < length:
                raise LogCorruptError(
                    f"{self.path / name} holds {actual} bytes but the last commit "
                    f"(size {commit.size}) needs {length}; the log was damaged, run an audit"
                )

    @property
    def size(self) -> int:
        """The number of leaves in the log (its last complete append)."""
        return self._last_commit()[0].size

    def root(self, tree_size: int | None = None) -> bytes:
        """Return the root hash of the first ``tree_size`` leaves (default: all of them).

        Raises :class:`ValueError` unless ``0 <= tree_size <= size``.
        """
        commit = self._last_commit()[0]
        if tree_size is None:
            return commit.root
        _check_int("tree_size", tree_size)
        if not 0 <= tree_size <= commit.size:
            raise ValueError(f"tree_size must be between 0 and the log size {commit.size}")
        if tree_size == 0:
            return self._new(b"").digest()
        return range_hash(self.node, self._new, 0, tree_size)

    def _resolve_size(self, name: str, tree_size: int | None) -> int:
        size = self.size
        if tree_size is None:
            return size
        _check_int(name, tree_size)
        if not 0 <= tree_size <= size:
            raise ValueError(f"{name} must be between 0 and the log size {size}, got {tree_size}")
        return tree_size

    def leaf(self, index: int) -> bytes:
        """Return the raw input of leaf ``index`` (as given to :meth:`append`)."""
        _check_int("index", index)
        size = self.size
        if not 0 <= index < size:
            raise IndexError(f"leaf index {index} is outside the log (size {size})")
        if index == 0:
            start, (end,) = 0, struct.unpack("<Q", self._read(INDEX_FILE, _OFFSET_SIZE, 0))
        else:
            start, end = struct.unpack("<QQ", self._read(INDEX_FILE, 16, (index - 1) * 8))
        return self._read(DATA_FILE, end - start, start) if end > start else b""

    def iter_leaves(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """Yield the raw inputs of leaves ``start`` to ``stop - 1``, reading them in chunks."""
        stop = self._resolve_size("stop", stop)
        _check_int("start", start)
        if not 0 <= start <= stop:
            raise ValueError(f"start must be between 0 and stop ({stop}), got {start}")
        position = start
        offset = 0 if start == 0 else self._ends(start - 1, start)[0]
        while position < stop:
            count = min(CHUNK, stop - position)
            ends = self._ends(position, position + count)
            data = self._read(DATA_FILE, ends[-1] - offset, offset)
            base = offset
            for end in ends:
                yield data[offset - base : end - base]
                offset = end
            position += count

    def _ends(self, start: int, stop: int) -> array[int]:
        ends = array("Q")
        ends.frombytes(self._read(INDEX_FILE, (stop - start) * 8, start * 8))
        if _BIG_ENDIAN:
            ends.byteswap()
        return ends

    def leaf_hash(self, index: int) -> bytes:
        """Return the stored Merkle leaf hash of leaf ``index``."""
        _check_int("index", index)
        size = self.size
        if not 0 <= index < size:
            raise IndexError(f"leaf index {index} is outside the log (size {size})")
        return self.node(0, index)

    # -- proofs -------------------------------------------------------------------------

    def prove_inclusion(self, index: int, tree_size: int | None = None) -> list[bytes]:
        """Return the proof that leaf ``index`` is in the tree of the first ``tree_size`` leaves.

        ``tree_size`` defaults to the current size. Check the proof with
        :func:`~ipshield.engines.ledger.verify_inclusion` against ``root(tree_size)`` (or a
        signed tree head of that size).
        """
        tree_size = self._resolve_size("tree_size", tree_size)
        _check_int("index", index)
        if not 0 <= index < tree_size:
            raise ValueError(f"index must be between 0 and tree_size - 1 ({tree_size - 1})")
        return inclusion_path(self.node, self._new, index, tree_size)

    def prove_consistency(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """Return the proof that the tree of ``old_size`` leaves is a prefix of ``new_size``'s.

        ``new_size`` defaults to the current size. Check it with
        :func:`~ipshield.engines.ledger.verify_consistency`; the proof is empty when the sizes
        are equal or ``old_size`` is 0.
        """
        new_size = self._resolve_size("new_size", new_size)
        _check_int("old_size", old_size)
        if not 0 <= old_size <= new_size:
            raise ValueError(f"old_size must be between 0 and new_size ({new_size})")
        return consistency_path(self.node, self._new, old_size, new_size)

    # -- appending ----------------------------------------------------------------------

    def append(self, data: bytes) -> int:
        """Append one leaf durably and return its index.

        Each call flushes to disk (a few fsyncs); use :meth:`append_many` for many leaves.
        """
        return self.append_many((data,)).start

    def append_many(self, items: Iterable[bytes]) -> range:
        """Append leaves durably, all or nothing, and return the range of their indices.

        ``items`` may be any iterable, even a generator of millions: it is consumed in chunks,
        so memory stays flat. The append is atomic: if an item is not bytes, the iterable
        raises or the process dies, none of the items is in the log afterwards.

        >>> import tempfile
        >>> with Log(tempfile.mkdtemp()) as log:
        ...     log.append_many(b"entry %d" % i for i in range(1000))
        range(0, 1000)
        """
        with self._exclusive():
            commit, records = self._last_commit()
            self._cut_torn_tail(commit, records)
            try:
                count, data_end, peaks = self._write_chunks(commit, items)
                if count == commit.size:
                    return range(count, count)
                sync_all([self._writers[name] for name in DATA_FILES])
            except BaseException:
                self._cut_torn_tail(commit, records)  # leave no half-written batch behind
                raise
            root = fold_peaks(self._new, count, peaks)
            new_commit = Commit(count, data_end, time.time_ns() // 1_000_000, root)
            fd = self._writer(COMMITS_FILE)
            write_all(fd, new_commit.encode())
            sync(fd)
            return range(commit.size, count)

    def _write_chunks(
        self, commit: Commit, items: Iterable[bytes]
    ) -> tuple[int, int, dict[int, bytes]]:
        new = self._new
        count, data_end = commit.size, commit.data_end
        peaks = self._peaks(count)
        iterator = iter(items)
        while chunk := list(islice(iterator, CHUNK)):
            leaf_hashes = hash_leaves(new, chunk, start=count - commit.size)
            blob = b"".join(chunk)
            ends = array("Q", accumulate(map(len, chunk), initial=data_end))
            del ends[0]
            if ends[-1] - data_end != len(blob):
                raise TypeError("leaf inputs must be bytes (not memoryviews of wider items)")
            if _BIG_ENDIAN:
                ends.byteswap()
            levels = extend(new, count, peaks, leaf_hashes)
            write_all(self._writer(DATA_FILE), blob)
            write_all(self._writer(INDEX_FILE), ends.tobytes())
            write_all(self._writer(HASHES_FILE), b"".join(leaf_hashes))
            write_all(self._writer(NODES_FILE), b"".join(inner_postorder(count, levels)))
            total = count + len(chunk)
            for level, nodes in enumerate(levels):
                if (total >> level) & 1:
                    peaks[level] = nodes[-1]
            peaks = {level: node for level, node in peaks.items() if (total >> level) & 1}
            count, data_end = total, data_end + len(blob)
        return count, data_end, peaks

    # -- signed tree heads --------------------------------------------------------------

    def _key(self) -> Ed25519PrivateKey:
        if self._signing_key is None:
            self._signing_key = load_or_create_signing_key(self.key_dir)
        return self._signing_key

    @property
    def public_key(self) -> bytes:
        """The raw 32-byte Ed25519 public key that signs this log's tree heads."""
        return public_key_bytes(self._key().public_key())

    def public_key_pem(self) -> str:
        """The public key in PEM form, to publish (for example on the portal)."""
        return (
            self._key()
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )

    def signed_tree_head(self) -> SignedTreeHead:
        """Sign the log's current size and root, keep the head in the log, and return it.

        Timestamps of successive heads never decrease, even if the clock steps back. Keep the
        heads you publish: any two of them can be checked against each other with a
        consistency proof.
        """
        key = self._key()
        with self._exclusive():
            commit = self._last_commit()[0]
            last, valid = self._last_head()
            self._cut_heads_tail(valid)
            timestamp = time.time_ns() // 1_000_000
            if last is not None:
                timestamp = max(timestamp, last.timestamp)
            head = SignedTreeHead.sign(
                key,
                origin=self.origin,
                algorithm=self.algorithm,
                tree_size=commit.size,
                root=commit.root,
                timestamp=timestamp,
            )
            fd = self._writer(HEADS_FILE)
            write_all(fd, encode_head(head))
            sync(fd)
            return head

    def _last_head(self) -> tuple[SignedTreeHead | None, int]:
        """The last valid head record and the number of records up to and including it."""
        fd = self._reader(HEADS_FILE)
        count = os.fstat(fd).st_size // HEAD_RECORD_SIZE
        while count:
            raw = os.pread(fd, HEAD_RECORD_SIZE, (count - 1) * HEAD_RECORD_SIZE)
            head = decode_head(raw, self.origin, self.algorithm)
            if head is not None:
                return head, count
            count -= 1
        return None, 0

    def _cut_heads_tail(self, valid: int) -> None:
        length = valid * HEAD_RECORD_SIZE
        if os.stat(self.path / HEADS_FILE).st_size > length:
            os.ftruncate(self._writer(HEADS_FILE), length)

    def tree_heads(self) -> list[SignedTreeHead]:
        """Return every signed tree head issued for this log, oldest first."""
        fd = self._reader(HEADS_FILE)
        raw = os.pread(fd, os.fstat(fd).st_size, 0)
        heads = []
        for offset in range(0, len(raw) - HEAD_RECORD_SIZE + 1, HEAD_RECORD_SIZE):
            head = decode_head(raw[offset : offset + HEAD_RECORD_SIZE], self.origin, self.algorithm)
            if head is None:
                break  # a torn tail (or damage, which the audit reports)
            heads.append(head)
        return heads

    # -- audit --------------------------------------------------------------------------

    def audit(self) -> AuditReport:
        """Re-derive every stored node, commit and tree head from the leaves.

        See :func:`ipshield.engines.ledger.audit`.
        """
        from .auditor import audit_log

        return audit_log(self)
