"""The persistent Log: appends, proofs against the pure functions, tree heads, audit, CLI."""

from __future__ import annotations

import os
import shutil
import stat
import struct
import tempfile
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from ipshield.engines.ledger import (
    ALGORITHMS,
    Log,
    LogError,
    SignedTreeHead,
    audit,
    consistency_proof,
    inclusion_proof,
    root,
    verify_consistency,
    verify_inclusion,
)
from ipshield.engines.ledger import auditor as auditor_module
from ipshield.engines.ledger import log as log_module
from ipshield.engines.ledger.__main__ import main
from ipshield.engines.ledger.hashing import inner_position
from ipshield.engines.ledger.heads import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make append_many and the audit work in chunks of 3, to exercise chunk boundaries."""
    monkeypatch.setattr(log_module, "CHUNK", 3)
    monkeypatch.setattr(auditor_module, "CHUNK", 3)


def _entries(count: int, start: int = 0) -> list[bytes]:
    return [b'{"evidence": %d}' % i for i in range(start, start + count)]


# -- the log agrees with the pure functions ------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    batches=st.lists(st.lists(st.binary(max_size=12), max_size=9), min_size=1, max_size=7),
    algorithm=st.sampled_from(ALGORITHMS),
    data=st.data(),
)
def test_log_matches_pure_functions(
    batches: list[list[bytes]], algorithm: str, data: st.DataObject
) -> None:
    leaves: list[bytes] = []
    chunk = log_module.CHUNK
    log_module.CHUNK = auditor_module.CHUNK = 4
    try:
        with tempfile.TemporaryDirectory() as directory, Log(directory, algorithm=algorithm) as log:
            for batch in batches:
                if len(batch) == 1:
                    assert log.append(batch[0]) == len(leaves)
                else:
                    assert log.append_many(batch) == range(len(leaves), len(leaves) + len(batch))
                leaves += batch
            assert log.size == len(leaves)
            assert list(log.iter_leaves()) == leaves
            for size in range(len(leaves) + 1):
                assert log.root(size) == root(leaves[:size], algorithm)
            if leaves:
                size = data.draw(st.integers(1, len(leaves)), label="tree_size")
                index = data.draw(st.integers(0, size - 1), label="index")
                old = data.draw(st.integers(0, size), label="old_size")
                proof = log.prove_inclusion(index, size)
                assert proof == inclusion_proof(leaves[:size], index, algorithm=algorithm)
                assert verify_inclusion(
                    log.leaf(index), index, size, proof, log.root(size), algorithm
                )
                proof = log.prove_consistency(old, size)
                assert proof == consistency_proof(leaves[:size], old, algorithm=algorithm)
                assert verify_consistency(
                    old, size, log.root(old), log.root(size), proof, algorithm
                )
            assert log.audit().ok
    finally:
        log_module.CHUNK = auditor_module.CHUNK = chunk


def test_proofs_read_logarithmically_many_nodes(tmp_path: Path) -> None:
    log = Log(tmp_path / "log")
    log.append_many(b"%d" % i for i in range(100_003))
    reads = 0
    real_node = log.node

    def counting_node(level: int, index: int) -> bytes:
        nonlocal reads
        reads += 1
        return real_node(level, index)

    log.node = counting_node  # type: ignore[method-assign]
    for index, size, old in [(0, 100_003, 1), (77_777, 99_999, 65_537), (100_002, 100_003, 3)]:
        reads = 0
        log.prove_inclusion(index, size)
        assert reads <= 2 * size.bit_length()
        reads = 0
        log.prove_consistency(old, size)
        assert reads <= 2 * size.bit_length()
    log.close()


def test_append_many_streams_in_flat_memory(tmp_path: Path, small_chunks: None) -> None:
    log_module.CHUNK = 1000
    with Log(tmp_path / "log") as log:
        log.append(b"warm up")
        tracemalloc.start()
        log.append_many(bytes(100) + b"%d" % i for i in range(100_000))  # 10 MB of leaves
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert log.size == 100_001
    assert peak < 2_000_000


# -- opening -------------------------------------------------------------------------------


def test_open_create_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "log"
    with pytest.raises(LogError, match="there is no log"):
        Log(path, create=False)
    with Log(path, algorithm="sm3", origin="ipshield.example/evidence") as log:
        assert (log.size, log.root()) == (0, root([], "sm3"))
        log.append_many(_entries(5))
    with Log(path) as log:
        assert (log.algorithm, log.origin, log.size) == ("sm3", "ipshield.example/evidence", 5)
        assert log.root() == root(_entries(5), "sm3")
        assert "sm3" in repr(log)
    with pytest.raises(LogError, match="uses sm3, not sha256"):
        Log(path, algorithm="sha256")
    with pytest.raises(LogError, match="is named"):
        Log(path, origin="other.example/log")
    with pytest.raises(ValueError, match="unknown hash algorithm"):
        Log(tmp_path / "x", algorithm="SHA-256")
    with pytest.raises(ValueError, match="without spaces"):
        Log(tmp_path / "y", origin="my log")


def test_default_origin_is_unique(tmp_path: Path) -> None:
    with Log(tmp_path / "a") as a, Log(tmp_path / "b") as b:
        assert a.origin != b.origin
        assert a.origin.startswith("ipshield-ledger/")


def test_closed_log_refuses_work(tmp_path: Path) -> None:
    log = Log(tmp_path)
    log.close()
    log.close()  # twice is fine
    with pytest.raises(LogError, match="closed"):
        log.append(b"x")
    with pytest.raises(LogError, match="closed"):
        _ = log.size


# -- appending -----------------------------------------------------------------------------


def test_append_returns_indices_and_keeps_data(tmp_path: Path, small_chunks: None) -> None:
    with Log(tmp_path) as log:
        assert log.append(b"") == 0
        assert log.append_many([]) == range(1, 1)
        assert log.append_many(iter(_entries(10))) == range(1, 11)
        assert log.append(b"last") == 11
        assert log.leaf(0) == b""
        assert log.leaf(5) == _entries(10)[4]
        assert list(log.iter_leaves(3, 6)) == _entries(10)[2:5]
        assert log.leaf_hash(11) == log.node(0, 11)
        assert log.root() == root([b"", *_entries(10), b"last"])


@pytest.mark.parametrize(
    ("bad_items", "message"),
    [
        ([b"ok", "text", b"ok"], "item 1 is str"),
        ([b"ok", None], "item 1 is NoneType"),
        ([b"ok"] * 7 + [42], "item 7 is int"),  # in a later chunk
    ],
)
def test_a_bad_item_appends_nothing(
    tmp_path: Path, small_chunks: None, bad_items: list, message: str
) -> None:
    with Log(tmp_path) as log:
        log.append_many(_entries(4))
        sizes = {name: os.path.getsize(tmp_path / name) for name in os.listdir(tmp_path)}
        with pytest.raises(TypeError, match="leaf inputs must be bytes; " + message):
            log.append_many(bad_items)
        assert log.size == 4
        after = {name: os.path.getsize(tmp_path / name) for name in os.listdir(tmp_path)}
        assert after == sizes  # the written part of the batch was cut off again
        assert log.append(b"next") == 4
        assert log.audit().ok


def test_a_failing_iterable_appends_nothing(tmp_path: Path, small_chunks: None) -> None:
    def items() -> Iterator[bytes]:
        yield from _entries(8)
        raise RuntimeError("the database went away")

    with Log(tmp_path) as log:
        with pytest.raises(RuntimeError):
            log.append_many(items())
        assert log.size == 0
        assert log.append_many(_entries(8)) == range(8)
        assert log.audit().ok


def test_bad_arguments(tmp_path: Path) -> None:
    with Log(tmp_path) as log:
        log.append_many(_entries(4))
        with pytest.raises(IndexError, match="outside the log"):
            log.leaf(4)
        with pytest.raises(IndexError):
            log.leaf_hash(-1)
        with pytest.raises(ValueError, match="index must be between 0 and tree_size - 1"):
            log.prove_inclusion(3, 3)
        with pytest.raises(ValueError, match="tree_size must be between 0 and the log size 4"):
            log.prove_inclusion(0, 5)
        with pytest.raises(ValueError, match="old_size must be between 0 and new_size"):
            log.prove_consistency(3, 2)
        with pytest.raises(ValueError):
            log.root(5)
        with pytest.raises(TypeError, match="must be an int"):
            log.root(2.0)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="must be an int"):
            log.leaf("1")  # type: ignore[arg-type]
        assert log.prove_inclusion(0, 1) == []
        assert log.prove_consistency(0) == []
        assert log.prove_consistency(4, 4) == []


# -- signed tree heads ---------------------------------------------------------------------


def test_signed_tree_heads(tmp_path: Path) -> None:
    keys = tmp_path / "data"
    with Log(tmp_path / "log", key_dir=keys, origin="ipshield.example/evidence") as log:
        assert not keys.exists()  # the key pair is made on first use, not before
        first = log.signed_tree_head()
        assert stat.S_IMODE(os.stat(keys / PRIVATE_KEY_FILE).st_mode) == 0o600
        assert (keys / PUBLIC_KEY_FILE).read_text() == log.public_key_pem()
        log.append_many(_entries(6))
        second = log.signed_tree_head()
        assert (first.tree_size, second.tree_size) == (0, 6)
        assert second.root == log.root() and second.algorithm == "sha256"
        assert second.origin == "ipshield.example/evidence"
        assert second.timestamp >= first.timestamp
        assert second.time.tzinfo is not None
        for key in (log.public_key, log.public_key_pem(), log.public_key_pem().encode()):
            assert second.verify(key)
        assert log.tree_heads() == [first, second]
        proof = log.prove_consistency(first.tree_size, second.tree_size)
        assert verify_consistency(0, 6, first.root, second.root, proof)
        public_key = log.public_key
    # The same key directory serves every log of the platform.
    with Log(tmp_path / "other", key_dir=keys) as other:
        assert other.public_key == public_key
        assert other.signed_tree_head().verify(public_key)


def test_tampered_heads_do_not_verify(tmp_path: Path) -> None:
    with Log(tmp_path) as log:
        log.append_many(_entries(3))
        head = log.signed_tree_head()
        key = log.public_key
    stranger = Ed25519PrivateKey.generate().public_key()
    assert not head.verify(stranger)
    fields = {
        "tree_size": 4,
        "root": bytes(32),
        "timestamp": head.timestamp + 1,
        "origin": "forged.example/log",
        "algorithm": "sm3",
        "signature": bytes(64),
    }
    for name, value in fields.items():
        forged = SignedTreeHead(**{**head.__dict__, name: value})
        assert not forged.verify(key), name
    assert not head.verify(b"not a key")


def test_note_round_trip(tmp_path: Path) -> None:
    with Log(tmp_path, origin="ipshield.example/evidence") as log:
        log.append(b"x")
        head = log.signed_tree_head()
        note = head.note(log.public_key)
        assert note.startswith("ipshield.example/evidence\n1\n")
        assert "\n\n\u2014 ipshield.example/evidence " in note
        assert SignedTreeHead.from_note(note) == head
        assert SignedTreeHead.from_note(head.note()) == head
        for broken in [
            note.replace("\n1\n", "\n2x\n"),
            note.replace("algorithm sha256", "algorithm md5"),
            note.replace("\u2014 ipshield.example/evidence", "\u2014 someone.else"),
            note.replace("timestamp ", "timestamp  "),
            "hello",
        ]:
            with pytest.raises(ValueError, match="not a signed tree head note"):
                SignedTreeHead.from_note(broken)


def test_head_timestamps_never_go_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Log(tmp_path) as log:
        first = log.signed_tree_head()
        monkeypatch.setattr(log_module.time, "time_ns", lambda: 0)  # the clock jumps back
        second = log.signed_tree_head()
    assert second.timestamp == first.timestamp


# -- audit ---------------------------------------------------------------------------------


@pytest.fixture
def audited(tmp_path: Path, small_chunks: None) -> Path:
    """A log of 20 entries in 4 appends with 2 signed heads; its directory is returned."""
    path = tmp_path / "log"
    with Log(path, origin="ipshield.example/evidence") as log:
        log.append_many(_entries(7))
        log.signed_tree_head()
        log.append(b"eight")
        log.append_many(_entries(12, start=100))
        log.signed_tree_head()
    report = audit(path)
    assert report.ok, report
    assert (report.tree_size, report.commits_checked, report.heads_checked) == (20, 3, 2)
    assert report.nodes_checked == 20 + 10 + 5 + 2 + 1
    return path


def _patch(path: Path, offset: int, data: bytes) -> None:
    with open(path, "r+b") as file:
        file.seek(offset)
        file.write(data)


def _flip_byte(path: Path, offset: int) -> None:
    with open(path, "r+b") as file:
        file.seek(offset)
        value = file.read(1)[0]
        file.seek(offset)
        file.write(bytes([value ^ 0x20]))


def _rewrite_record(path: Path, number: int, size: int, change) -> None:  # type: ignore[no-untyped-def]
    raw = bytearray(path.read_bytes())
    start = (number - 1) * size
    record = bytearray(raw[start : start + size - 4])
    change(record)
    raw[start : start + size] = bytes(record) + struct.pack("<I", zlib.crc32(bytes(record)))
    path.write_bytes(bytes(raw))


def test_audit_finds_an_altered_entry(audited: Path) -> None:
    offset = sum(len(entry) for entry in _entries(7)) + len(b"eight") + 3  # in leaf 8
    _patch(audited / "entries.dat", offset, b"X")
    report = audit(audited)
    assert not report.ok
    assert report.problem == (
        "leaf 8: its data in entries.dat does not match its stored leaf hash "
        "(the entry was altered)"
    )
    assert "PROBLEM: leaf 8" in str(report)


def test_audit_finds_an_altered_tree_node(audited: Path) -> None:
    _flip_byte(audited / "nodes.dat", 32 * inner_position(2, 3) + 5)
    assert audit(audited).problem == (
        "tree node at level 2, index 3 (leaves 12 to 15) does not match the hash of its children"
    )


def test_audit_finds_a_commit_with_a_wrong_root(audited: Path) -> None:
    def change(record: bytearray) -> None:
        record[-1] ^= 1

    _rewrite_record(audited / "commits.dat", 2, log_module.COMMIT_RECORD_SIZE, change)
    assert audit(audited).problem == (
        "commit record 2: its root for size 8 is not the root of the stored leaves"
    )
    _flip_byte(audited / "commits.dat", log_module.COMMIT_RECORD_SIZE + 9)
    assert "commit record 2 is damaged" in str(audit(audited).problem)


def test_audit_finds_a_commit_with_a_wrong_end(audited: Path) -> None:
    def change(record: bytearray) -> None:
        end = struct.unpack_from("<Q", record, 12)[0]
        struct.pack_into("<Q", record, 12, end + 1)

    _rewrite_record(audited / "commits.dat", 2, log_module.COMMIT_RECORD_SIZE, change)
    problem = audit(audited).problem
    assert problem is not None
    assert problem.startswith("commit record 2: entries.dat should end at ")


def test_audit_finds_a_damaged_head(audited: Path) -> None:
    _flip_byte(audited / "heads.dat", 30)
    assert audit(audited).problem == "signed tree head 1 is damaged (bad checksum)"


def test_audit_finds_a_forged_head_signature(audited: Path) -> None:
    def change(record: bytearray) -> None:
        record[-3] ^= 1  # in the signature

    _rewrite_record(audited / "heads.dat", 2, log_module.HEAD_RECORD_SIZE, change)
    assert audit(audited).problem == "signed tree head 2: the signature is not valid"


def test_audit_with_the_published_key(audited: Path) -> None:
    with Log(audited) as log:
        published = log.public_key_pem()
    assert audit(audited, public_key=published).ok
    # Someone replaced the key pair: the heads signed with the old key give it away ...
    os.remove(audited / PRIVATE_KEY_FILE)
    os.remove(audited / PUBLIC_KEY_FILE)
    with Log(audited) as log:
        log.signed_tree_head()
    assert audit(audited).problem == "signed tree head 1: the signature is not valid"
    # ... so they re-sign all heads with the new key too: only the published key catches that.
    (audited / "heads.dat").write_bytes(b"")
    with Log(audited) as log:
        log.signed_tree_head()
    assert audit(audited).ok
    assert audit(audited, public_key=published).problem == (
        "signed tree head 1: the signature is not valid"
    )


def test_audit_finds_rewritten_history(tmp_path: Path) -> None:
    """The operator rebuilds the log with one entry changed; the kept heads expose it."""
    keys, genuine, forged = tmp_path / "keys", tmp_path / "genuine", tmp_path / "forged"
    entries = _entries(10)
    with Log(genuine, key_dir=keys, origin="ipshield.example/evidence") as log:
        log.append_many(entries)
        published = log.signed_tree_head()
    with Log(forged, key_dir=keys, origin="ipshield.example/evidence") as log:
        log.append_many([*entries[:3], b'{"evidence": "forged"}', *entries[4:]])
        log.append(b"more")
        new_head = log.signed_tree_head()  # a validly signed, self-consistent head
        assert new_head.verify(log.public_key) and log.audit().ok
        # Anyone holding the published head asks for a consistency proof: none exists.
        proof = log.prove_consistency(published.tree_size, new_head.tree_size)
        assert not verify_consistency(
            published.tree_size, new_head.tree_size, published.root, new_head.root, proof
        )
    # And an audit of the forged log with the genuine heads kept finds the rewrite.
    shutil.copy(genuine / "heads.dat", forged / "heads.dat")
    assert audit(forged, key_dir=keys).problem == (
        "signed tree head 1: its root for size 10 is not the root of the stored leaves "
        "(history was rewritten)"
    )


def test_audit_finds_lost_entries(audited: Path) -> None:
    """Commits cut off after a head was issued: the head proves entries were lost."""
    with open(audited / "commits.dat", "r+b") as commits:
        commits.truncate(2 * log_module.COMMIT_RECORD_SIZE)
    assert audit(audited).problem == (
        "signed tree head 2 is for size 20 but the log holds only 8 leaves: "
        "committed entries were lost"
    )


def test_audit_finds_a_truncated_file(audited: Path) -> None:
    with open(audited / "entries.idx", "r+b") as index:
        index.truncate(8 * 19)
    assert audit(audited).problem == (
        "entries.idx holds 152 bytes but the last commit (size 20) needs 160: "
        "the file was truncated"
    )
    with pytest.raises(log_module.LogCorruptError, match="the log was damaged"):
        Log(audited).append(b"x")


def test_audit_of_a_missing_log(tmp_path: Path) -> None:
    report = audit(tmp_path / "nothing")
    assert not report.ok
    assert "there is no log" in str(report.problem)


def test_torn_tails_are_notes_not_problems(audited: Path) -> None:
    _patch(audited / "entries.dat", os.path.getsize(audited / "entries.dat"), b"half an entry")
    _patch(audited / "nodes.dat", os.path.getsize(audited / "nodes.dat"), b"\1" * 40)
    _patch(audited / "commits.dat", os.path.getsize(audited / "commits.dat"), b"\7" * 30)
    _patch(audited / "heads.dat", os.path.getsize(audited / "heads.dat"), b"\7" * 119)
    report = audit(audited)
    assert report.ok, report
    assert len(report.notes) == 4
    with Log(audited) as log:
        assert log.size == 20
        assert log.append(b"next") == 20  # the writer cuts the torn tails off first
        log.signed_tree_head()
    report = audit(audited)
    assert report.ok and report.notes == ()
    assert (audited / "nodes.dat").stat().st_size == 32 * (21 - 3)  # 21 = 0b10101


# -- command line --------------------------------------------------------------------------


def test_command_line_audit(audited: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(audited)]) == 0
    out = capsys.readouterr().out
    assert "20 leaves" in out and "OK: consistent" in out
    key = audited / PUBLIC_KEY_FILE
    assert main(["audit", str(audited), "--public-key", str(key)]) == 0
    _patch(audited / "entries.dat", 3, b"X")
    assert main(["audit", str(audited)]) == 1
    assert "PROBLEM: leaf 0" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([])
