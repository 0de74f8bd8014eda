"""Audit a log: re-derive every stored hash, commit and signed tree head from the leaves.

The audit trusts nothing but the leaf inputs in ``entries.dat`` and the public key. It reads
the log once from start to end (memory stays flat whatever its size) and stops at the first
inconsistency, which it describes: a leaf whose stored hash does not match its data (the entry
was altered), a tree node that does not match its children, a commit record or tree head whose
root is not the root of the leaves, a head with a bad signature, or two heads that no
consistency proof links (history was rewritten between them).

Leftovers of an interrupted append (bytes beyond the last commit) are not inconsistencies: they
are listed in :attr:`AuditReport.notes` and cut off by the next append.

>>> import tempfile
>>> from ipshield.engines.ledger import Log
>>> path = tempfile.mkdtemp()
>>> with Log(path) as log:
...     log.append_many([b"a", b"b", b"c"])
...     head = log.signed_tree_head()
range(0, 3)
>>> report = audit(path)
>>> report.ok, report.tree_size, report.heads_checked
(True, 3, 1)
>>> with open(path + "/entries.dat", "r+b") as entries:
...     _ = entries.write(b"B")  # tamper with leaf 0
>>> print(audit(path).problem)
leaf 0: its data in entries.dat does not match its stored leaf hash (the entry was altered)
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .hashing import (
    DIGEST_SIZE,
    NODE_PREFIX,
    extend,
    hash_leaves,
    inner_count,
    inner_postorder,
)
from .heads import PUBLIC_KEY_FILE, SignedTreeHead, load_public_key
from .log import (
    _BIG_ENDIAN,
    CHUNK,
    COMMIT_RECORD_SIZE,
    COMMITS_FILE,
    DATA_FILE,
    HASHES_FILE,
    HEAD_RECORD_SIZE,
    HEADS_FILE,
    INDEX_FILE,
    NODES_FILE,
    Commit,
    Log,
    LogError,
    decode_head,
    expected_lengths,
)
from .proofs import consistency_path, range_hash, verify_consistency

__all__ = ["AuditReport", "audit"]

_RECORDS_PER_READ = 1 << 14


@dataclass(frozen=True)
class AuditReport:
    """What an audit found. ``problem`` is None when the log is consistent."""

    path: str
    algorithm: str = ""
    tree_size: int = 0
    leaves_checked: int = 0
    nodes_checked: int = 0
    commits_checked: int = 0
    heads_checked: int = 0
    problem: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """True when no inconsistency was found."""
        return self.problem is None

    def __str__(self) -> str:
        lines = [
            f"ledger {self.path} ({self.algorithm or 'unknown algorithm'})",
            f"  {self.tree_size} leaves; checked {self.leaves_checked} leaves, "
            f"{self.nodes_checked} tree nodes, {self.commits_checked} commits, "
            f"{self.heads_checked} signed tree heads",
        ]
        lines += [f"  note: {note}" for note in self.notes]
        lines.append("  OK: consistent" if self.ok else f"  PROBLEM: {self.problem}")
        return "\n".join(lines)


class _Inconsistent(Exception):
    pass


class _Auditor:
    def __init__(self, log: Log, public_key: bytes | str | Ed25519PublicKey | None) -> None:
        self.log = log
        self.new = log._new
        self.public_key = public_key
        self.notes: list[str] = []
        self.tree_size = 0
        self.leaves_checked = 0
        self.nodes_checked = 0
        self.commits_checked = 0
        self.heads_checked = 0

    def report(self, problem: str | None) -> AuditReport:
        return AuditReport(
            path=str(self.log.path),
            algorithm=self.log.algorithm,
            tree_size=self.tree_size,
            leaves_checked=self.leaves_checked,
            nodes_checked=self.nodes_checked,
            commits_checked=self.commits_checked,
            heads_checked=self.heads_checked,
            problem=problem,
            notes=tuple(self.notes),
        )

    def run(self) -> AuditReport:
        try:
            last, valid = self.check_commit_records()
            self.tree_size = last.size
            self.check_file_lengths(last)
            self.check_leaves_nodes_and_commits(last, valid)
            self.check_heads(last)
        except _Inconsistent as problem:
            return self.report(str(problem))
        except LogError as error:
            return self.report(str(error))
        return self.report(None)

    def records(self, name: str, size: int, count: int | None = None) -> Iterator[bytes]:
        """Stream the fixed-size records of a file (the first ``count``), a block at a time."""
        fd = self.log._reader(name)
        total = os.fstat(fd).st_size // size if count is None else count
        for first in range(0, total, _RECORDS_PER_READ):
            block = os.pread(fd, min(_RECORDS_PER_READ, total - first) * size, first * size)
            for offset in range(0, len(block) - size + 1, size):
                yield block[offset : offset + size]

    # -- commit records -----------------------------------------------------------------

    def check_commit_records(self) -> tuple[Commit, int]:
        """Check the commit records follow each other; return the last valid one and its number."""
        previous = Commit(0, 0, 0, self.new(b"").digest())
        valid = 0
        first_damaged = 0
        for number, raw in enumerate(self.records(COMMITS_FILE, COMMIT_RECORD_SIZE), start=1):
            commit = Commit.decode(raw)
            if commit is None:
                first_damaged = first_damaged or number
                continue
            if first_damaged:
                raise _Inconsistent(
                    f"commit record {first_damaged} is damaged (bad checksum) but later ones "
                    "are not"
                )
            if commit.size <= previous.size or commit.data_end < previous.data_end:
                raise _Inconsistent(
                    f"commit record {number} (size {commit.size}) does not extend record "
                    f"{number - 1} (size {previous.size}): the log went backwards"
                )
            previous, valid = commit, number
        torn = os.fstat(self.log._reader(COMMITS_FILE)).st_size - valid * COMMIT_RECORD_SIZE
        if torn:
            self.notes.append(
                f"{torn} bytes of an interrupted commit after record {valid} are ignored"
            )
        return previous, valid

    # -- files ---------------------------------------------------------------------------

    def check_file_lengths(self, last: Commit) -> None:
        path = self.log.path
        expected = expected_lengths(last.size, last.data_end)
        for name, length in expected.items():
            try:
                actual = os.stat(path / name).st_size
            except FileNotFoundError:
                raise _Inconsistent(f"{name} is missing") from None
            if actual < length:
                raise _Inconsistent(
                    f"{name} holds {actual} bytes but the last commit (size {last.size}) "
                    f"needs {length}: the file was truncated"
                )
            if actual > length:
                self.notes.append(
                    f"{name}: {actual - length} bytes after the last commit are ignored "
                    "(an interrupted append, or one in progress)"
                )

    # -- leaves, tree nodes and commits, in one pass -------------------------------------------

    def check_leaves_nodes_and_commits(self, last: Commit, valid_commits: int) -> None:
        """Rehash every leaf, rebuild every node and every commit's root; compare with the files.

        One pass over the leaves in chunks; the commit records are read alongside, and each
        one's root is folded from the freshly computed nodes, not from the stored ones. Memory
        stays flat however many leaves and commits there are.
        """
        log, new = self.log, self.new
        commits = (
            (number, Commit.decode(raw))
            for number, raw in enumerate(
                self.records(COMMITS_FILE, COMMIT_RECORD_SIZE, valid_commits), start=1
            )
        )
        pending = next(commits, None)
        count, data_end = 0, 0
        peaks: dict[int, bytes] = {}
        while count < last.size:
            chunk_size = min(CHUNK, last.size - count)
            ends = array("Q")
            ends.frombytes(log._read(INDEX_FILE, chunk_size * 8, count * 8))
            if _BIG_ENDIAN:
                ends.byteswap()
            starts = [data_end, *ends[:-1]]
            for position, (start, end) in enumerate(zip(starts, ends, strict=True)):
                if end < start:
                    raise _Inconsistent(
                        f"leaf {count + position}: entries.idx says it ends at byte {end}, "
                        f"before it starts ({start})"
                    )
            data = log._read(DATA_FILE, ends[-1] - data_end, data_end)
            items = [
                data[start - data_end : end - data_end]
                for start, end in zip(starts, ends, strict=True)
            ]
            levels = extend(new, count, peaks, hash_leaves(new, items))
            self.compare_levels(count, levels)
            total = count + chunk_size
            while pending is not None and pending[1] is not None and pending[1].size <= total:
                self.check_commit(pending[0], pending[1], count, peaks, levels, ends)
                pending = next(commits, None)
            for level, nodes in enumerate(levels):
                if (total >> level) & 1:
                    peaks[level] = nodes[-1]
            peaks = {level: node for level, node in peaks.items() if (total >> level) & 1}
            self.leaves_checked = total
            count, data_end = total, ends[-1]
        if data_end != last.data_end:
            raise _Inconsistent(
                f"entries.idx ends leaf {last.size - 1} at byte {data_end} but the last "
                f"commit says entries.dat ends at {last.data_end}"
            )

    def check_commit(
        self,
        number: int,
        commit: Commit,
        count: int,
        peaks: dict[int, bytes],
        levels: list[list[bytes]],
        ends: array[int],
    ) -> None:
        """Check a commit whose size falls in the chunk of leaves starting at ``count``."""
        size = commit.size
        root = b""
        for level in range(size.bit_length()):
            if not (size >> level) & 1:
                continue
            # The peak at this level is new in this chunk, or was the chunk's starting peak.
            index, first_new = (size >> level) - 1, count >> level
            node = levels[level][index - first_new] if index >= first_new else peaks[level]
            root = node if not root else self.new(NODE_PREFIX + node + root).digest()
        if root != commit.root:
            raise _Inconsistent(
                f"commit record {number}: its root for size {size} is not the root of the "
                "stored leaves"
            )
        if ends[size - 1 - count] != commit.data_end:
            raise _Inconsistent(
                f"commit record {number}: entries.dat should end at {ends[size - 1 - count]} "
                f"for size {size}, the record says {commit.data_end}"
            )
        self.commits_checked = number

    def compare_levels(self, count: int, levels: list[list[bytes]]) -> None:
        log = self.log
        leaf_hashes = levels[0]
        stored = log._read(HASHES_FILE, len(leaf_hashes) * DIGEST_SIZE, count * DIGEST_SIZE)
        if stored != b"".join(leaf_hashes):
            for offset, leaf_hash in enumerate(leaf_hashes):
                if stored[offset * DIGEST_SIZE : (offset + 1) * DIGEST_SIZE] != leaf_hash:
                    raise _Inconsistent(
                        f"leaf {count + offset}: its data in entries.dat does not match its "
                        "stored leaf hash (the entry was altered)"
                    )
        inner = inner_postorder(count, levels)
        start = inner_count(count) * DIGEST_SIZE
        if log._read(NODES_FILE, len(inner) * DIGEST_SIZE, start) != b"".join(inner):
            # Rare path: find the damaged node covering the earliest leaves.
            damaged = [
                (index << level, level, index)
                for level, nodes in enumerate(levels[1:], start=1)
                for index, node in enumerate(nodes, start=count >> level)
                if log.node(level, index) != node
            ]
            leaf, level, index = min(damaged)
            raise _Inconsistent(
                f"tree node at level {level}, index {index} (leaves {leaf} to "
                f"{leaf + (1 << level) - 1}) does not match the hash of its children"
            )
        self.nodes_checked += len(leaf_hashes) + len(inner)

    # -- signed tree heads against the verified tree ---------------------------------------

    def root(self, size: int) -> bytes:
        if size == 0:
            return self.new(b"").digest()
        return range_hash(self.log.node, self.new, 0, size)

    def load_public_key(self) -> Ed25519PublicKey | None:
        if self.public_key is not None:
            return load_public_key(self.public_key)
        key_path = Path(self.log.key_dir) / PUBLIC_KEY_FILE
        if not key_path.exists():
            return None
        return load_public_key(key_path.read_bytes())

    def check_heads(self, last: Commit) -> None:
        origin, algorithm = self.log.origin, self.log.algorithm
        valid = 0
        first_damaged = 0
        for number, raw in enumerate(self.records(HEADS_FILE, HEAD_RECORD_SIZE), start=1):
            if decode_head(raw, origin, algorithm) is None:
                first_damaged = first_damaged or number
            elif first_damaged:
                raise _Inconsistent(f"signed tree head {first_damaged} is damaged (bad checksum)")
            else:
                valid = number
        torn = os.fstat(self.log._reader(HEADS_FILE)).st_size - valid * HEAD_RECORD_SIZE
        if torn:
            self.notes.append(f"{torn} bytes of an interrupted tree head are ignored")
        if not valid:
            return
        key = self.load_public_key()
        if key is None:
            raise _Inconsistent(
                f"there are signed tree heads but no public key ({PUBLIC_KEY_FILE}) "
                f"in {self.log.key_dir} to check them"
            )
        heads = (
            decode_head(raw, origin, algorithm)
            for raw in self.records(HEADS_FILE, HEAD_RECORD_SIZE, valid)
        )
        previous: SignedTreeHead | None = None
        for number, head in enumerate(heads, start=1):
            assert head is not None  # checked above
            if head.tree_size > last.size:
                if head.tree_size <= self.log.size:
                    self.notes.append(f"signed tree head {number} was issued during the audit")
                    break
                raise _Inconsistent(
                    f"signed tree head {number} is for size {head.tree_size} but the log "
                    f"holds only {last.size} leaves: committed entries were lost"
                )
            if not head.verify(key):
                raise _Inconsistent(f"signed tree head {number}: the signature is not valid")
            if head.root != self.root(head.tree_size):
                raise _Inconsistent(
                    f"signed tree head {number}: its root for size {head.tree_size} is not "
                    "the root of the stored leaves (history was rewritten)"
                )
            if previous is not None:
                if head.timestamp < previous.timestamp or head.tree_size < previous.tree_size:
                    raise _Inconsistent(
                        f"signed tree head {number} is older or smaller than head {number - 1}"
                    )
                proof = consistency_path(
                    self.log.node, self.new, previous.tree_size, head.tree_size
                )
                if not verify_consistency(
                    previous.tree_size,
                    head.tree_size,
                    previous.root,
                    head.root,
                    proof,
                    self.log.algorithm,
                ):
                    raise _Inconsistent(
                        f"signed tree heads {number - 1} and {number} are not consistent"
                    )
            previous = head
            self.heads_checked = number


def audit_log(log: Log, *, public_key: bytes | str | Ed25519PublicKey | None = None) -> AuditReport:
    """Audit an open :class:`~ipshield.engines.ledger.Log` (see :func:`audit`)."""
    return _Auditor(log, public_key).run()


def audit(
    path: str | os.PathLike[str],
    *,
    key_dir: str | os.PathLike[str] | None = None,
    public_key: bytes | str | Ed25519PublicKey | None = None,
) -> AuditReport:
    """Audit the log in ``path`` and return a report naming the first inconsistency, if any.

    Signed tree heads are checked with ``public_key`` (raw bytes, PEM or key object) if given
    — pass the key you published, to catch a swapped key file — otherwise with the public key
    file in ``key_dir`` (default: ``path``). The audit only reads; it never creates a key or
    repairs anything, and it can run while other processes append.
    """
    try:
        log = Log(path, key_dir=key_dir, create=False)
    except LogError as error:
        return AuditReport(path=str(path), problem=str(error))
    with log:
        return audit_log(log, public_key=public_key)
