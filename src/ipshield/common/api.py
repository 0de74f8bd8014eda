"""The API's shared pieces: authentication and one error body for every failure.

Every error response is ``{"code": <stable code>, "message": <for people>, ...}``; validation
failures add ``"errors": [{"field": ..., "message": ...}]`` naming each bad field.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from ipshield.common.errors import DomainError


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ips_…`` issued to a unit; acts as that token's service account."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        from ipshield.accounts.services import token_authenticate

        return token_authenticate(token)


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session (CSRF-checked on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("必填项未填写"),
        "string_too_long": _("太长了，最多 %(n)s 个字符") % {"n": ctx.get("max_length", "?")},
        "string_too_short": _("太短了，至少 %(n)s 个字符") % {"n": ctx.get("min_length", "?")},
        "int_parsing": _("应为整数"),
        "int_type": _("应为整数"),
        "float_parsing": _("应为数字"),
        "bool_parsing": _("应为是/否"),
        "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD"),
        "date_parsing": _("日期格式应为 YYYY-MM-DD"),
        "datetime_parsing": _("时间格式不正确"),
        "enum": _("应为以下之一：%(e)s") % {"e": ctx.get("expected", "")},
        "literal_error": _("应为以下之一：%(e)s") % {"e": ctx.get("expected", "")},
        "json_invalid": _("请求体不是有效的 JSON"),
        "list_type": _("应为列表"),
        "string_type": _("应为文本"),
        "model_attributes_type": _("格式不正确"),
        "value_error": str(ctx.get("error", "")) or _("取值不正确"),
    }
    return messages.get(kind, error.get("msg", _("取值不正确")))


def _field_name(loc: list[Any]) -> str:
    # ninja prefixes the location with where it came from ("body", "payload", "query").
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(list(e.get("loc", []))), "message": _pydantic_message(e)}
            for e in exc.errors
        ]
        summary = "；".join(f"{e['field']}: {e['message']}" for e in errors)
        body = {
            "code": "invalid_input",
            "message": _("提交的内容有误：%(s)s") % {"s": summary},
            "errors": errors,
        }
        if errors:
            body["field"] = errors[0]["field"]
        return api.create_response(request, body, status=422)

    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = {"code": "unauthenticated", "message": _("请先登录，或提供有效的接口令牌。")}
        return api.create_response(request, body, status=401)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        body = {"code": "not_found", "message": _("找不到该记录，或您无权查看。")}
        return api.create_response(request, body, status=404)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {
            400: ("bad_request", _("请求格式不正确（例如请求体不是有效的 JSON）。")),
            403: ("permission_denied", _("您没有权限执行此操作。")),
            404: ("not_found", _("找不到该记录，或您无权查看。")),
            405: ("method_not_allowed", _("不支持该请求方法。")),
            429: ("throttled", _("请求过于频繁，请稍后再试。")),
        }
        code, message = codes.get(exc.status_code, ("error", str(exc)))
        body = {"code": code, "message": str(message), "detail": str(exc)}
        return api.create_response(request, body, status=exc.status_code)

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, auth_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)


def actor(request: HttpRequest) -> Any:
    """The user a request acts as: the token's service account or the session user."""
    return getattr(request, "auth", None) or request.user
