"""Command line: ``python -m ipshield.engines.ledger audit PATH``.

``audit`` re-derives every stored node, commit and signed tree head of the log in ``PATH`` from
its leaves and prints a report; the exit status is 0 when the log is consistent and 1 at the
first inconsistency. The ``ipshield ledger audit`` command of the platform calls :func:`main`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .auditor import audit

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m ipshield.engines.ledger",
        description="Check IPShield Merkle transparency logs.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    audit_parser = commands.add_parser(
        "audit",
        help="re-derive every stored hash, commit and signed tree head from the leaves",
        description="Re-derive every stored hash, commit and signed tree head of each log "
        "from its leaves and report the first inconsistency, if any.",
    )
    audit_parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="log directory")
    audit_parser.add_argument(
        "--key-dir", type=Path, help="directory holding the public key (default: the log's)"
    )
    audit_parser.add_argument(
        "--public-key",
        type=Path,
        help="PEM file of the published public key to check signed tree heads against",
    )
    arguments = parser.parse_args(argv)
    public_key = arguments.public_key.read_bytes() if arguments.public_key else None
    status = 0
    for path in arguments.paths:
        report = audit(path, key_dir=arguments.key_dir, public_key=public_key)
        print(report)
        status = status or (0 if report.ok else 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
