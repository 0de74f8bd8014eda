"""The ``ipshield`` command.

Every Django management command is available (``ipshield migrate``, ``ipshield shell``), plus
IPShield's own: ``demo``, ``serve``, ``worker``, ``createadmin``, ``issuetoken``. Run
``ipshield help`` for the list.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipshield.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "ipshield"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
