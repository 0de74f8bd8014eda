"""Rendering reasons given by engines (:class:`ipshield.engines.reasons.Reason`) in the user's
language.

Engines explain their scores with a stable ``code`` and parameters next to the Chinese text;
each app keeps a catalogue (code → Chinese source message, marked for translation) and renders
with :func:`render` at display time, so a stored reason follows the reader's language. Reasons
are stored as :meth:`Reason.as_data` dictionaries (see :func:`to_data`); a plain string (data
saved before reasons had codes) is read back into a code and parameters when it matches one
of the catalogue's Chinese messages, and shown as it is otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ipshield.engines.reasons import Reason

__all__ = ["parse", "render", "render_all", "to_data"]


def to_data(reasons: Iterable[Any]) -> list[Any]:
    """Reasons as JSON values for storage: a :class:`Reason` as its data, a string as is."""
    return [r.as_data() if isinstance(r, Reason) else r for r in reasons]


def _value(value: Any, messages: Mapping[str, str], quoted: bool) -> Any:
    if isinstance(value, Mapping) and "code" in value:
        return render(value, messages)
    if isinstance(value, list | tuple):
        items = [_value(v, messages, False) for v in value]
        if quoted:
            items = [_("“%(text)s”") % {"text": item} for item in items]
        return pgettext("list separator", "、").join(str(item) for item in items)
    return value


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


@cache
def _pattern(message: str) -> re.Pattern[str]:
    """A Chinese source message as a pattern that reads its parameters back from a text."""
    out, seen, last = [], set(), 0
    for found in _PLACEHOLDER.finditer(message):
        out.append(re.escape(message[last : found.start()]))
        name = found.group(1)
        if name is None:
            out.append("%")
        elif name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            out.append(f"(?P<{name}>.+?)")
        last = found.end()
    out.append(re.escape(message[last:]))
    return re.compile("".join(out))


def parse(text: str, messages: Mapping[str, str], lists: Iterable[str] = ()) -> dict[str, Any]:
    """The code and parameters of a reason stored as Chinese text, or ``{}``. Parameters named
    in ``lists`` are split at "、" (and their items' quotation marks dropped)."""
    wanted = set(lists)
    for code, message in messages.items():
        found = _pattern(message).fullmatch(text)
        if found:
            params: dict[str, Any] = found.groupdict()
            for name in wanted & params.keys():
                params[name] = [item.strip("“”") for item in params[name].split("、")]
            return {"code": code, "params": params, "text": text}
    return {}


def render(
    reason: Any, messages: Mapping[str, str], quoted: Iterable[str] = (), lists: Iterable[str] = ()
) -> str:
    """One reason in the active language. ``messages`` maps codes to source messages (Chinese,
    with ``%(name)s`` placeholders); list parameters are joined, those named in ``quoted``
    with each item in quotation marks. Old plain text is read with :func:`parse` (``lists``)."""
    if isinstance(reason, str) and not isinstance(reason, Reason):
        reason = parse(reason, messages, lists) or reason
    code: str | None
    text: str | None
    if isinstance(reason, Reason):
        code, params, text = reason.code, reason.params, str(reason)
    elif isinstance(reason, Mapping):
        code, params, text = reason.get("code"), reason.get("params") or {}, reason.get("text")
    else:
        return str(reason)
    message = messages.get(code or "")
    if message is None:
        return str(text or code or "")
    wanted = set(quoted)
    values = {key: _value(value, messages, key in wanted) for key, value in params.items()}
    try:
        return _(message) % values
    except (KeyError, TypeError, ValueError):  # a stored reason whose parameters changed
        return str(text or _(message))


def render_all(
    reasons: Iterable[Any],
    messages: Mapping[str, str],
    quoted: Iterable[str] = (),
    lists: Iterable[str] = (),
) -> list[str]:
    """:func:`render` for each reason."""
    wanted, listed = tuple(quoted), tuple(lists)
    return [render(r, messages, wanted, listed) for r in reasons]
