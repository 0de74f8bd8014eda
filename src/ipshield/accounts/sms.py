"""SMS gateways behind one small interface, so that no vendor is built in.

``IPSHIELD_SMS_BACKEND`` chooses one: ``console`` (development: the message is written to the
log), ``http`` (a JSON ``POST {"to": …, "text": …}`` to ``IPSHIELD_SMS_URL``, with
``Authorization: Bearer IPSHIELD_SMS_TOKEN`` when a token is set — most provincial gateways and
vendor adapters accept this or sit behind a small adapter that does), or the dotted path of any
class with a ``send(*, to, text)`` method. Empty (the default): no SMS is sent.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("ipshield.sms")

__all__ = ["ConsoleBackend", "HttpBackend", "SmsBackend", "SmsError", "backend"]


class SmsError(Exception):
    """The gateway did not take the message."""


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class ConsoleBackend:
    """Development: writes each message to the ``ipshield.sms`` log instead of sending it."""

    def send(self, *, to: str, text: str) -> None:
        logger.info("SMS to %s: %s", to, text)


class HttpBackend:
    """POSTs ``{"to": …, "text": …}`` as JSON to ``IPSHIELD_SMS_URL``; any 2xx is success."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 10):
        self.url = url or getattr(settings, "IPSHIELD_SMS_URL", "")
        self.token = token if token is not None else getattr(settings, "IPSHIELD_SMS_TOKEN", "")
        self.timeout = timeout
        if not self.url:
            raise SmsError("IPSHIELD_SMS_URL is not set")

    def send(self, *, to: str, text: str) -> None:
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the administrator's configured gateway
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:  # URLError, HTTPError, timeouts
            raise SmsError(str(exc)) from exc


ALIASES = {"console": ConsoleBackend, "http": HttpBackend}


def backend() -> SmsBackend | None:
    """The configured gateway, or None when SMS is off."""
    name = getattr(settings, "IPSHIELD_SMS_BACKEND", "")
    if not name:
        return None
    cls = ALIASES.get(name) or import_string(name)
    return cls()
