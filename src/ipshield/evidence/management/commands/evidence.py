"""``ipshield evidence verify FILE RECEIPT.json [--public-key KEY.pem]``: check a receipt offline.

Needs only the file, its receipt and the platform's published public key (from
``/verify/public-key.pem``): no database, no network, no key directory. Prints a one-line verdict
in Chinese and English; exits 0 when everything checks out, 1 with the reason otherwise.
Without ``--public-key`` the key in this installation's key directory is used (on the server).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ipshield.evidence.receipts import ReceiptError, parse_receipt, sha256_of_stream, verify_receipt


class Command(BaseCommand):
    help = (
        "Evidence preservation (电子存证). 'verify FILE RECEIPT.json [--public-key KEY.pem]' "
        "checks a file against its receipt offline, with only the published public key."
    )
    requires_system_checks: list[str] = []  # offline: nothing of the installation is needed

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = commands.add_parser(
            "verify",
            help="check a file against its receipt (offline)",
            description="Check that FILE is the file preserved in RECEIPT.json, that the "
            "receipt's inclusion proof leads to its signed tree head's root, and that the "
            "head is signed by the platform's key.",
        )
        check.add_argument("file", type=Path, help="the preserved file")
        check.add_argument("receipt", type=Path, help="its receipt (.json)")
        check.add_argument(
            "--public-key",
            type=Path,
            dest="public_key",
            help="the platform's public key (PEM, from /verify/public-key.pem)",
        )

    def handle(self, *args: object, **options: object) -> None:
        file_path = options["file"]
        receipt_path = options["receipt"]
        key_path = options.get("public_key")
        assert isinstance(file_path, Path) and isinstance(receipt_path, Path)
        for path, zh, en in ((file_path, "文件", "file"), (receipt_path, "回执", "receipt")):
            if not path.is_file():
                raise CommandError(
                    f"未通过：找不到{zh} {path} / NOT VERIFIED: no such {en}: {path}"
                )
        public_key = self._public_key(key_path if isinstance(key_path, Path) else None)
        try:
            receipt = parse_receipt(receipt_path.read_bytes())
        except ReceiptError as error:
            raise CommandError(
                f"未通过：{error.text.zh} / NOT VERIFIED: {error.text.en}"
            ) from error
        with file_path.open("rb") as stream:
            sha256 = sha256_of_stream(stream)
        result = verify_receipt(receipt, sha256=sha256, public_key=public_key)
        if not result.ok:
            raise CommandError(result.verdict.both())
        self.stdout.write(result.verdict.both())

    def _public_key(self, path: Path | None) -> bytes:
        if path is not None:
            if not path.is_file():
                raise CommandError(
                    f"未通过：找不到公钥文件 {path} / NOT VERIFIED: no such public key file: {path}"
                )
            return path.read_bytes()
        from ipshield.evidence.ledger import published_public_key

        key = published_public_key()
        if key is None:
            raise CommandError(
                "未通过：没有公钥，请用 --public-key 指定从平台 /verify/public-key.pem "
                "下载的公钥 / "
                "NOT VERIFIED: no public key; pass --public-key with the key from the "
                "platform's /verify/public-key.pem"
            )
        return key
