"""The API's shared pieces: authentication, the input layer and one error body for every failure.

Every error response is ``{"code": <stable code>, "message": <for people>, "field": <name or
null>, ...}``; validation failures add ``"errors": [{"field": ..., "message": ...}]`` naming
each bad field. Nothing answers a bare 500: an unexpected exception is logged and answered
``{"code": "server_error", ...}``.

The input layer (one for every route):
  * :class:`CleanParser` reads every JSON body, query string and form of the API: a body must be
    a JSON object, and every string in it goes through ``validation.clean_text`` (refused
    control and direction characters name their field; invisible characters are removed);
  * :class:`Pagination` bounds ``page`` and ``page_size`` of every list;
  * ``validation.Id``/``Year``/``Day``/``Money`` bound the numbers routes and schemas take;
  * :class:`IPShieldAPI` writes these rules and the error responses into the OpenAPI document.
"""

from __future__ import annotations

import json
import logging
import typing
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from ipshield.common.errors import DomainError
from ipshield.common.validation import (
    PAGE_MAX,
    PAGE_SIZE_MAX,
    TEXT_PATTERN,
    TextRefused,
    clean_data,
    clean_text,
)

logger = logging.getLogger("ipshield.api")


class BodyNotObject(ValueError):
    """A JSON body that is not an object (``123``, ``"P"``, ``false``, ``[]``)."""


class CleanParser(Parser):
    """The API's only reader of request data: JSON objects only, every string cleaned."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            # Read as an object, ``123`` would be a payload of defaults: an empty update.
            raise BodyNotObject(type(data).__name__)
        return clean_data(data)

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        result = super().parse_querydict(data, list_fields, request)
        errors = []
        for key, value in result.items():
            values = value if isinstance(value, list) else [value]
            try:
                cleaned = [clean_text(v) if isinstance(v, str) else v for v in values]
            except TextRefused as refused:
                errors.append(
                    {"loc": ("query", key), "type": "text_refused", "msg": refused.message}
                )
                continue
            result[key] = cleaned if isinstance(value, list) else cleaned[0]
        if errors:
            raise ValidationError(errors)
        return result


class Pagination(PageNumberPagination):
    """``?page=`` (and ``?page_size=``, at most 100) of every list, bounded."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int | None = Field(None, ge=1, le=PAGE_SIZE_MAX)


def paginated(*, page_size: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@paginated(page_size=50)``: the list route answers ``{"items": [...], "count": N}`` for
    the bounded ``?page=`` of :class:`Pagination`.

    The route's annotations are resolved first: ninja's wrapper evaluates them in its own
    module, where the shared types (``validation.Id``, ``Year`` …) are not defined.
    """

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        func.__annotations__ = typing.get_type_hints(func, include_extras=True)
        return paginate(Pagination, page_size=page_size)(func)

    return decorator


ERROR_STATUSES = {
    400: "请求有误（领域规则、请求体不是 JSON 对象）",
    401: "未登录或令牌无效：unauthenticated",
    403: "无权执行：permission_denied 等",
    404: "记录不存在或不在调用方范围内：not_found 等",
    409: "与记录当前状态冲突：illegal_transition 等",
    422: "请求内容不符合接口定义：invalid_input，errors 逐项列出字段",
    429: "请求过于频繁：throttled",
}


class ErrorOut(Schema):
    code: str = Field(..., description="稳定的错误代码")
    message: str = Field(..., description="给人看的说明（按 Accept-Language）")
    field: str | None = Field(None, description="出错的字段（如有）")


def _string_rules(node: Any) -> None:
    """Give every free-text string of the request schemas the server's text rule."""
    if isinstance(node, dict):
        if (
            node.get("type") == "string"
            and "format" not in node
            and "enum" not in node
            and "pattern" not in node
            and "const" not in node
        ):
            node["pattern"] = TEXT_PATTERN
        for value in node.values():
            _string_rules(value)
    elif isinstance(node, list):
        for value in node:
            _string_rules(value)


class IPShieldAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document states the error responses and the input rules."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):  # type: ignore[no-untyped-def]
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorOut.model_json_schema()
        error_schema["properties"]["errors"] = {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        }
        error_schema["properties"]["details"] = {"type": "object"}
        error_schema["required"] = ["code", "message", "field"]
        components["Error"] = error_schema
        request_schemas = set()
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                for parameter in operation.get("parameters", []):
                    _string_rules(parameter.get("schema"))
                body = operation.get("requestBody", {}).get("content", {})
                for media in body.values():
                    ref = media.get("schema", {}).get("$ref", "")
                    if ref:
                        request_schemas.add(ref.rsplit("/", 1)[-1])
                    else:
                        _string_rules(media.get("schema"))
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    )
        # Request schemas and the schemas they refer to (response-only schemas keep their text).
        pending = list(request_schemas)
        seen: set[str] = set()
        while pending:
            name = pending.pop()
            if name in seen or name not in components:
                continue
            seen.add(name)
            _string_rules(components[name])
            pending.extend(_refs(components[name]))
        return schema


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.append(ref.rsplit("/", 1)[-1])
        for value in node.values():
            found.extend(_refs(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_refs(value))
    return found


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ips_…`` issued to a unit; acts as that token's service account."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        from ipshield.accounts.services import token_authenticate

        return token_authenticate(token)


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session (CSRF-checked on writes)."""

    def __call__(self, request: HttpRequest) -> Any | None:
        # Without a signed-in session there is nothing to protect from cross-site requests: the
        # caller is simply not authenticated (401), not refused for a missing CSRF token (403).
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

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
        "greater_than_equal": _("应不小于 %(n)s") % {"n": ctx.get("ge", "?")},
        "less_than_equal": _("应不大于 %(n)s") % {"n": ctx.get("le", "?")},
        "greater_than": _("应大于 %(n)s") % {"n": ctx.get("gt", "?")},
        "less_than": _("应小于 %(n)s") % {"n": ctx.get("lt", "?")},
        "finite_number": _("应为有限的数字"),
        "decimal_parsing": _("应为数字"),
        "decimal_type": _("应为数字"),
        "string_pattern_mismatch": _("格式不正确"),
        "model_type": _("应为 JSON 对象"),
        "dict_type": _("应为 JSON 对象"),
        "too_short": _("至少需要 %(n)s 项") % {"n": ctx.get("min_length", "?")},
        "too_long": _("最多 %(n)s 项") % {"n": ctx.get("max_length", "?")},
    }
    return messages.get(kind, error.get("msg", _("取值不正确")))


def _field_name(loc: list[Any]) -> str:
    # ninja prefixes the location with where it came from ("body", "payload", "query").
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "body"


def _error(api: NinjaAPI, request: HttpRequest, body: dict[str, Any], status: int) -> HttpResponse:
    body.setdefault("field", None)
    return api.create_response(request, body, status=status)


def _invalid(api: NinjaAPI, request: HttpRequest, errors: list[dict[str, str]]) -> HttpResponse:
    summary = "；".join(f"{e['field']}: {e['message']}" for e in errors)
    body: dict[str, Any] = {
        "code": "invalid_input",
        "message": _("提交的内容有误：%(s)s") % {"s": summary},
        "field": errors[0]["field"] if errors else None,
        "errors": errors,
    }
    return _error(api, request, body, 422)


def install_error_handlers(api: NinjaAPI) -> None:
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return _error(api, request, exc.as_dict(), exc.status)

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(list(e.get("loc", []))), "message": _pydantic_message(e)}
            for e in exc.errors
        ]
        return _invalid(api, request, errors)

    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = {"code": "unauthenticated", "message": _("请先登录，或提供有效的接口令牌。")}
        return _error(api, request, body, 401)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        body = {"code": "not_found", "message": _("找不到该记录，或您无权查看。")}
        return _error(api, request, body, 404)

    def permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        body = {"code": "permission_denied", "message": _("您没有权限执行此操作。")}
        return _error(api, request, body, 403)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, TextRefused):  # raised by CleanParser while reading the body
            return _invalid(api, request, [{"field": cause.field, "message": cause.message}])
        if isinstance(cause, BodyNotObject):
            body = {
                "code": "bad_request",
                "message": _("请求体应为 JSON 对象（{…}）。"),
                "field": "body",
            }
            return _error(api, request, body, 400)
        codes = {
            400: ("bad_request", _("请求格式不正确（例如请求体不是有效的 JSON）。")),
            403: ("permission_denied", _("您没有权限执行此操作。")),
            404: ("not_found", _("找不到该记录，或您无权查看。")),
            405: ("method_not_allowed", _("不支持该请求方法。")),
            429: ("throttled", _("请求过于频繁，请稍后再试。")),
        }
        code, message = codes.get(exc.status_code, ("error", str(exc)))
        body = {"code": code, "message": str(message), "detail": str(exc)}
        return _error(api, request, body, exc.status_code)

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A defect, never an answer by design: logged with the traceback for the operators.
        logger.exception("API %s %s failed", request.method, request.path, exc_info=exc)
        body = {"code": "server_error", "message": _("系统出错，请稍后重试。")}
        return _error(api, request, body, 500)

    api.add_exception_handler(DomainError, domain_error)
    api.add_exception_handler(ValidationError, validation_error)
    api.add_exception_handler(AuthenticationError, auth_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(DjangoPermissionDenied, permission_denied)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Exception, server_error)


def actor(request: HttpRequest) -> Any:
    """The user a request acts as: the token's service account or the session user."""
    return getattr(request, "auth", None) or request.user
