"""Settings an operator may give either in Django's settings or in the environment."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings


def setting(name: str, default: Any) -> Any:
    """``settings.<name>``, else the environment variable ``name``; ``default`` when neither
    is set or the value is empty."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return default if value in (None, "") else value
