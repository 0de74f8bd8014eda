"""Merkle transparency log for evidence preservation (RFC 6962 / RFC 9162).

A transparency log is an append-only list of entries whose Merkle tree lets anyone check,
with a few dozen hashes and no trust in the operator, that

* an entry is in the log (an *inclusion proof*), and
* today's log still contains yesterday's unchanged (a *consistency proof*).

The operator signs the tree's size and root from time to time (a *signed tree head*) and
publishes them; altering or removing any entry after that is detectable.

Hashing follows RFC 6962 exactly (leaf ``H(0x00 || data)``, node ``H(0x01 || left || right)``,
empty tree ``H("")``), with ``H`` either SHA-256 (default; Certificate-Transparency tools can
check the proofs) or SM3 (GB/T 32905, for Chinese evidence platforms).

What is here:

* pure functions over a list of leaves, for interoperability checks: :func:`root`,
  :func:`inclusion_proof`, :func:`consistency_proof`, :func:`verify_inclusion`,
  :func:`verify_consistency`, and the hashes :func:`leaf_hash`, :func:`node_hash`;
* :class:`Log`, a durable log in a directory: appends (crash-safe, multi-process), proofs that
  read O(log n) stored nodes, Ed25519 :class:`SignedTreeHead` s;
* :func:`audit`, which re-derives everything stored from the leaves (also
  ``python -m ipshield.engines.ledger audit PATH``).

>>> import tempfile
>>> log = Log(tempfile.mkdtemp(), origin="ipshield.example/evidence")
>>> log.append_many([b'{"evidence": "E-1"}', b'{"evidence": "E-2"}'])
range(0, 2)
>>> head = log.signed_tree_head()
>>> proof = log.prove_inclusion(1, head.tree_size)
>>> verify_inclusion(b'{"evidence": "E-2"}', 1, head.tree_size, proof, head.root)
True
>>> head.verify(log.public_key_pem())
True
>>> audit(log.path).ok
True
>>> log.close()
"""

from .auditor import AuditReport, audit
from .hashing import ALGORITHMS, DEFAULT_ALGORITHM, DIGEST_SIZE, empty_root, leaf_hash, node_hash
from .heads import SignedTreeHead
from .log import Log, LogCorruptError, LogError
from .proofs import (
    consistency_proof,
    inclusion_proof,
    root,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "ALGORITHMS",
    "DEFAULT_ALGORITHM",
    "DIGEST_SIZE",
    "AuditReport",
    "Log",
    "LogCorruptError",
    "LogError",
    "SignedTreeHead",
    "audit",
    "consistency_proof",
    "empty_root",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root",
    "verify_consistency",
    "verify_inclusion",
]
