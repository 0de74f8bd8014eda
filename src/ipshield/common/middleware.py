"""Text the pages receive, cleaned once for every view and form.

The pages' query strings and submitted forms lose the characters ``common.validation`` refuses
or removes (NUL and other control characters, direction overrides, zero-width characters)
before any view, form or query sees them: a search for ``ab%00cd`` searches for ``abcd``, a
title made only of zero-width spaces is blank and refused as blank, and no such character is
stored from a page. Tab, line feed and carriage return stay. The API (``/api/``) is left to its
own parser (``common.api.CleanParser``), which refuses such text naming the field, because
other systems should learn that they send it. For the API the middleware only gives ninja's
plain-text 405 (a method a route does not take) the API's JSON error body.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext as _

from ipshield.common.validation import strip_text

API_PREFIX = "/api/"


def _cleaned(data: QueryDict) -> QueryDict | None:
    """A cleaned copy of ``data``, or None when nothing in it needed cleaning."""
    changed = False
    copy = data.copy()
    for key, values in data.lists():
        cleaned = [strip_text(v) if isinstance(v, str) else v for v in values]
        clean_key = strip_text(key)
        if cleaned != values or clean_key != key:
            changed = True
            copy.pop(key)
            copy.setlist(clean_key, cleaned)
    if not changed:
        return None
    copy._mutable = False
    return copy


def _api_method(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """ninja answers a method a route does not take with a plain-text 405; the API's error body
    instead (same status, same ``Allow``)."""
    if response.status_code != 405 or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return response
    body = {"code": "method_not_allowed", "message": _("不支持该请求方法。"), "field": None}
    answer = JsonResponse(body, status=405)
    if response.has_header("Allow"):
        answer["Allow"] = response["Allow"]
    return answer


class CleanTextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return _api_method(request, self.get_response(request))
        cleaned = _cleaned(request.GET)
        if cleaned is not None:
            request.GET = cleaned
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            cleaned = _cleaned(request.POST)
            if cleaned is not None:
                request.POST = cleaned
        return self.get_response(request)
