"""Reasons that engines give for a score: Chinese text plus a stable code and parameters.

An engine explains its results in Chinese (the command line, logs and doctests read the text),
but the web apps speak the user's language. A :class:`Reason` is therefore *both*: it is the
Chinese string itself, so every caller that treats reasons as text keeps working, and it carries
a ``code`` and ``params`` from which an app renders the reason in any language with its own
message catalogue (engines never import Django).

>>> r = Reason("marks.homophone", "徳≈德 同音 de", a="徳", b="德", sound="de")
>>> r == "徳≈德 同音 de", r.code, r.params["sound"]
(True, 'marks.homophone', 'de')
>>> Reason.from_data(r.as_data()) == r
True

Parameters are JSON values (strings, numbers, lists of strings), so a reason can be stored in a
JSON column with :meth:`Reason.as_data` and read back with :meth:`Reason.from_data`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Reason"]


def _make(code: str, text: str, params: dict[str, Any]) -> Reason:
    return Reason(code, text, **params)


class Reason(str):
    """A reason in Chinese (the string value) with a stable ``code`` and its ``params``."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, text: str, /, **params: Any) -> Reason:
        self = super().__new__(cls, text)
        self.code = code
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Hits travel to and from the scan pool's worker processes.
        return _make, (self.code, str(self), self.params)

    @property
    def text(self) -> str:
        """The Chinese text as a plain ``str``."""
        return str(self)

    def as_data(self) -> dict[str, Any]:
        """``{"code", "params", "text"}`` for a JSON column or an API answer."""
        return {"code": self.code, "params": dict(self.params), "text": str(self)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Reason:
        """The reason :meth:`as_data` gave."""
        return cls(str(data["code"]), str(data.get("text", "")), **dict(data.get("params") or {}))
