"""Signed tree heads: a log's size and root, timestamped and signed with Ed25519.

A signed tree head (STH) commits the log operator to the whole content of the log at one
size. Anyone holding two heads of the same log can ask for a consistency proof between them
(:meth:`Log.prove_consistency <ipshield.engines.ledger.Log.prove_consistency>`) and check it
with :func:`~ipshield.engines.ledger.verify_consistency`: if history was rewritten between the
two, no proof exists.

The signed bytes (:meth:`SignedTreeHead.body`) are a C2SP ``tlog-checkpoint`` with two
extension lines::

    <origin>
    <tree size, decimal>
    <root hash, standard base64>
    algorithm <sha256 | sm3>
    timestamp <milliseconds since 1970-01-01T00:00:00Z>

and :meth:`SignedTreeHead.note` renders the head as a C2SP signed note, so for SHA-256 logs
the usual transparency-log tools (Go's ``golang.org/x/mod/sumdb/note``, witnesses) can verify
it with the published Ed25519 public key.

>>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
>>> key = Ed25519PrivateKey.generate()
>>> head = SignedTreeHead.sign(
...     key, origin="example.org/log", algorithm="sha256", tree_size=0,
...     root=bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
...     timestamp=1767225600000)
>>> print(head.body().decode(), end="")
example.org/log
0
47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
algorithm sha256
timestamp 1767225600000
>>> head.verify(public_key_bytes(key.public_key()))
True
>>> SignedTreeHead.from_note(head.note()) == head
True
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from ._fs import write_new_file
from .hashing import ALGORITHMS, DIGEST_SIZE

__all__ = [
    "PRIVATE_KEY_FILE",
    "PUBLIC_KEY_FILE",
    "SignedTreeHead",
    "load_or_create_signing_key",
    "load_public_key",
    "public_key_bytes",
]

#: File name of the Ed25519 private key (PKCS #8 PEM, mode 0600) in the key directory.
PRIVATE_KEY_FILE = "ledger-signing-key.pem"
#: File name of the matching public key (SubjectPublicKeyInfo PEM), the one to publish.
PUBLIC_KEY_FILE = "ledger-signing-key.pub.pem"

_SIGNATURE_SIZE = 64
_NOTE_DASH = "\u2014"  # signed notes start signature lines with an em dash


def check_origin(origin: str) -> None:
    if (
        not isinstance(origin, str)
        or not origin
        or not origin.isprintable()
        or any(char.isspace() or char == "+" for char in origin)
    ):
        raise ValueError(
            f"origin {origin!r} must be a non-empty printable name without spaces or '+', "
            "such as 'ipshield.example.gov.cn/evidence'"
        )


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    """Return the raw 32-byte form of an Ed25519 public key."""
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_public_key(key: bytes | str | Ed25519PublicKey) -> Ed25519PublicKey:
    """Accept a public key as raw 32 bytes, PEM text or bytes, or a key object.

    Raises :class:`ValueError` if it is none of these or not an Ed25519 key.
    """
    if isinstance(key, Ed25519PublicKey):
        return key
    if isinstance(key, str):
        key = key.encode("ascii")
    if isinstance(key, bytes | bytearray) and len(key) == 32:
        return Ed25519PublicKey.from_public_bytes(bytes(key))
    try:
        loaded = serialization.load_pem_public_key(bytes(key))
    except (ValueError, TypeError) as error:
        raise ValueError("not an Ed25519 public key (raw 32 bytes or PEM)") from error
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError(f"expected an Ed25519 public key, got {type(loaded).__name__}")
    return loaded


def _key_id(name: str, public_key: bytes) -> bytes:
    # C2SP signed-note key ID for Ed25519: SHA-256(name || "\n" || 0x01 || key)[:4]
    return hashlib.sha256(name.encode() + b"\n\x01" + public_key).digest()[:4]


@dataclass(frozen=True)
class SignedTreeHead:
    """A log's size and root hash at a moment, signed by the log's Ed25519 key.

    ``timestamp`` is in milliseconds since the Unix epoch (UTC), as in RFC 6962;
    :attr:`time` gives it as an aware :class:`~datetime.datetime`.
    """

    origin: str
    algorithm: str
    tree_size: int
    root: bytes
    timestamp: int
    signature: bytes

    @classmethod
    def sign(
        cls,
        key: Ed25519PrivateKey,
        *,
        origin: str,
        algorithm: str,
        tree_size: int,
        root: bytes,
        timestamp: int,
    ) -> SignedTreeHead:
        """Create a head for the given fields, signed with ``key``."""
        unsigned = cls(origin, algorithm, tree_size, root, timestamp, b"")
        unsigned._check()
        return cls(origin, algorithm, tree_size, root, timestamp, key.sign(unsigned.body()))

    def _check(self) -> None:
        check_origin(self.origin)
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"unknown hash algorithm {self.algorithm!r}")
        if isinstance(self.tree_size, bool) or not isinstance(self.tree_size, int):
            raise ValueError("tree_size must be an int")
        if self.tree_size < 0 or self.timestamp < 0:
            raise ValueError("tree_size and timestamp must not be negative")
        if not isinstance(self.root, bytes) or len(self.root) != DIGEST_SIZE:
            raise ValueError(f"root must be {DIGEST_SIZE} bytes")

    @property
    def time(self) -> datetime:
        """The timestamp as a timezone-aware UTC datetime."""
        return datetime.fromtimestamp(self.timestamp / 1000, tz=UTC)

    def body(self) -> bytes:
        """Return the canonical encoding that the signature covers (a C2SP checkpoint)."""
        root = base64.b64encode(self.root).decode("ascii")
        return (
            f"{self.origin}\n{self.tree_size}\n{root}\n"
            f"algorithm {self.algorithm}\ntimestamp {self.timestamp}\n"
        ).encode()

    def verify(self, public_key: bytes | str | Ed25519PublicKey) -> bool:
        """Return whether the signature is valid for ``public_key`` (raw bytes, PEM or object)."""
        try:
            self._check()
            load_public_key(public_key).verify(self.signature, self.body())
        except (InvalidSignature, ValueError):
            return False
        return True

    def key_id(self, public_key: bytes | str | Ed25519PublicKey) -> bytes:
        """The 4-byte signed-note key ID of ``public_key`` under this head's origin."""
        return _key_id(self.origin, public_key_bytes(load_public_key(public_key)))

    def note(self, public_key: bytes | str | Ed25519PublicKey | None = None) -> str:
        """Render the head as a C2SP signed note (body, blank line, signature line).

        The signature line carries the key ID of ``public_key``; without it the key ID is
        zero, which note verifiers reject, so pass the log's key for notes meant for others.
        """
        key_id = b"\0\0\0\0" if public_key is None else self.key_id(public_key)
        signature = base64.b64encode(key_id + self.signature).decode("ascii")
        return f"{self.body().decode()}\n{_NOTE_DASH} {self.origin} {signature}\n"

    @classmethod
    def from_note(cls, text: str) -> SignedTreeHead:
        """Parse a note made by :meth:`note`. Raises :class:`ValueError` if it is malformed.

        Parsing does not check the signature: call :meth:`verify` with the published key.
        """
        try:
            body, _, signatures = text.partition("\n\n")
            lines = body.split("\n")
            origin, size, root_b64, algorithm_line, timestamp_line = lines
            algorithm_word, algorithm = algorithm_line.split(" ")
            timestamp_word, timestamp = timestamp_line.split(" ")
            if algorithm_word != "algorithm" or timestamp_word != "timestamp":
                raise ValueError("unexpected extension lines")
            for line in signatures.splitlines():
                dash, name, signature_b64 = line.split(" ")
                if dash == _NOTE_DASH and name == origin:
                    raw = base64.b64decode(signature_b64, validate=True)
                    break
            else:
                raise ValueError(f"no signature line for {origin!r}")
            if len(raw) != 4 + _SIGNATURE_SIZE or not size.isdigit() or not timestamp.isdigit():
                raise ValueError("bad size, timestamp or signature length")
            head = cls(
                origin,
                algorithm,
                int(size),
                base64.b64decode(root_b64, validate=True),
                int(timestamp),
                raw[4:],
            )
            head._check()
        except (ValueError, binascii.Error) as error:
            raise ValueError(f"not a signed tree head note: {error}") from error
        if head.body().decode() != body + "\n":
            raise ValueError("not a signed tree head note: body is not in canonical form")
        return head


def load_or_create_signing_key(key_dir: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Load the Ed25519 signing key from ``key_dir``, creating the key pair on first use.

    The private key is written as :data:`PRIVATE_KEY_FILE` (readable by its owner only) and
    the public key as :data:`PUBLIC_KEY_FILE`. Safe when several processes race to create it:
    exactly one key pair wins and every process then uses it.
    """
    directory = Path(key_dir)
    directory.mkdir(parents=True, exist_ok=True)
    private_path = directory / PRIVATE_KEY_FILE
    if not private_path.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        write_new_file(private_path, pem, 0o600)
    key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{private_path} does not hold an Ed25519 private key")
    public_path = directory / PUBLIC_KEY_FILE
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    if not public_path.exists():
        write_new_file(public_path, public_pem, 0o644)
    elif public_path.read_bytes() != public_pem:
        raise ValueError(f"{public_path} does not match the private key in {private_path}")
    return key
