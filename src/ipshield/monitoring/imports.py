"""Listing imports (商品信息导入): marketplace listings from files and HTTP JSON feeds.

Staff of a unit upload a CSV or JSON Lines file (:func:`listing_import_start`) or add an HTTP
feed that is fetched on a schedule (:func:`listing_feed_add`, :func:`listing_feeds_poll_due`).
Each upload or fetch is one :class:`~ipshield.monitoring.models.ListingImport` that records
its progress and outcome; every listing it creates is checked for knock-offs
(``detection.detect_listings``). ``docs/listing-import.md`` is the user's version of this text.

The record
----------
One listing per CSV row, JSON Lines line or feed array item. Columns (CSV headers or JSON keys)
may be given in English or in Chinese; letter case, spaces, full-width forms and a unit in
brackets (``价格（元）``) do not matter; unknown columns are ignored.

* ``platform`` (平台, 电商平台): required, at most 64 characters; a feed's default platform
  fills empty ones.
* ``title`` (商品标题, 标题, 商品名称): required, at most 500 characters.
* ``url`` (链接, 商品链接, 网址): required, ``http://`` or ``https://``, at most 1000 characters.
* ``shop`` (店铺, 店铺名称): at most 200 characters.
* ``price`` (价格, 售价): yuan, a number ≥ 0, kept to 2 decimals; ``¥1,299.00``, ``1299元``,
  ``RMB 12.5`` are accepted.
* ``seller`` (经营者, 卖家, 经营者名称): the seller's name, at most 200 characters.
* ``seller_uscc`` (统一社会信用代码, 经营者统一社会信用代码): 18 characters, check digit verified
  (``registry.validation.clean_uscc``).
* ``listed_at`` (上架时间, 采集时间): ISO date or date-time (``2026-11-23``,
  ``2026-11-23 10:00``, ``2026-11-23T10:00:00+08:00``), also ``2026/11/23`` and
  ``2026年11月23日``; without an offset it is Asia/Shanghai time; in JSON also Unix seconds or
  milliseconds; empty: the import time; not before 1990 nor more than a day ahead.
* ``category`` (商品类别, 类目): free text, at most 100 characters.
* ``nice_class`` (尼斯分类): 1–45, several separated by ``;`` or ``,`` (in JSON also a number or
  a list).

Inputs
------
* **CSV** (``.csv``, ``.txt``): a header row, then one listing per row; separated by commas,
  tabs or semicolons (whichever the header uses); UTF-8 with or without BOM, GB18030 (GBK), or
  UTF-16 with BOM (Excel's "Unicode text"), detected.
* **JSON Lines** (``.jsonl``, ``.ndjson``, ``.json``, ``.txt``): one JSON object per line.
  A ``.json`` file may also hold one JSON document like a feed's.
* **HTTP feed**: the URL answers (HTTP 2xx) a JSON array of objects, or an object with an
  ``items`` (or ``listings``) array.

What happens to each row
------------------------
* A bad row is skipped and recorded in ``ListingImport.errors`` as ``{"row": n, "field":
  "price", "message": "..."}`` (one entry per problem, the first 500 kept; ``error_count``
  counts every bad row). ``row`` is the spreadsheet row (the header is row 1) for CSV, the line
  number for JSON Lines and the position in the array (from 1) for JSON. Valid rows are never
  lost because of bad ones.
* **Duplicates**: ``Listing.fingerprint`` is ``sha256(platform + "\\n" + url)`` (hex) over the
  platform trimmed and case-folded and the URL normalised (scheme and host in lower case,
  default port, fragment dropped, empty path ``/``). A listing already known, or repeated in the
  same input, is counted in ``duplicate_count`` and not created again, so re-importing a file or
  fetching a feed again creates nothing new.
* **Seller**: ``Listing.seller`` is the registered market entity with the same USCC, else the
  one whose normalised name equals the normalised seller name — only when exactly one matches.

Processing
----------
Rows are counted first (so ``percent`` works), then processed in batches of
:data:`BATCH_SIZE`; each batch — its listings, their alerts and the progress counters — is one
transaction. A crash keeps the finished batches; running the import again
(:func:`listing_import_run`) continues without duplicates and without counting the earlier
batches' listings as duplicates. Statuses: ``queued`` → ``running`` → ``done`` or ``failed``.

Upload checks (empty, larger than ``IPSHIELD_IMPORT_MAX_MB`` (50), not ``.csv``/``.txt``/
``.jsonl``/``.ndjson``/``.json``, not a text file) refuse the upload with an error naming the
field ``file`` and store nothing. A text file whose contents cannot be read as listings
(required columns missing, not JSON) is stored and its import fails with a ``failure`` message
saying what is wrong; no listing is saved.

Files of at most ``IPSHIELD_IMPORT_INLINE_ROWS`` (2,000) rows are imported during the upload
request, so a demo needs no worker; larger ones are queued for ``ipshield worker`` (task
``run_listing_import``) and the import page shows their progress. Feed fetches run where they
are called (the worker's poll, or the "fetch now" button) and keep the body they fetched as the
import's file.

>>> row = listing_import_start(actor=officer, upload=SimpleUploadedFile("a.csv", data))
>>> row.status, row.created_count, row.error_count
('done', 120, 2)
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import math
import os
import re
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipshield.accounts.models import Unit
from ipshield.accounts.selectors import profile_of
from ipshield.accounts.services import require_writer
from ipshield.common.conf import setting
from ipshield.common.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from ipshield.engines.text import normalize_name
from ipshield.monitoring import errors, events
from ipshield.monitoring.models import (
    Alert,
    ImportFormat,
    ImportStatus,
    Listing,
    ListingFeed,
    ListingImport,
)
from ipshield.registry.models import Entity
from ipshield.registry.validation import clean_nice_classes, clean_uscc

__all__ = [
    "BATCH_SIZE",
    "FIELDS",
    "MAX_STORED_ERRORS",
    "ImportFailure",
    "fingerprint",
    "import_max_bytes",
    "inline_rows",
    "listing_feed_add",
    "listing_feed_fetch",
    "listing_feeds_poll_due",
    "listing_import_run",
    "listing_import_start",
    "normalise_listing_url",
]

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
MAX_STORED_ERRORS = 500
DEFAULT_MAX_MB = 50
DEFAULT_INLINE_ROWS = 2000
DEFAULT_FEED_TIMEOUT = 30.0
# A run whose row was touched this recently is taken to be still going; an older "running"
# import was interrupted (the process died) and may be run again.
STALE_AFTER = dt.timedelta(minutes=10)
# The poll runs every 5 minutes; a feed a few seconds short of its interval is fetched now
# rather than 5 minutes late.
POLL_TOLERANCE = dt.timedelta(minutes=1)
# Listings dated this far ahead of the import are refused (clock skew and time zones aside).
FUTURE_TOLERANCE = dt.timedelta(days=1)
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Older dates are typing mistakes (and year 1 would not survive conversion to UTC).
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=SHANGHAI)
MAX_PRICE = Decimal("9999999999.99")  # Listing.price: 12 digits, 2 after the point
EXTENSIONS = {
    ".csv": ImportFormat.CSV,
    ".txt": None,  # decided by content
    ".jsonl": ImportFormat.JSONL,
    ".ndjson": ImportFormat.JSONL,
    ".json": ImportFormat.JSONL,
}

# -- The record -------------------------------------------------------------------------------

FIELDS = (
    "platform",
    "title",
    "url",
    "shop",
    "price",
    "seller",
    "seller_uscc",
    "listed_at",
    "category",
    "nice_class",
)
REQUIRED = ("title", "url")
LABELS = {
    "platform": gettext_lazy("平台"),
    "title": gettext_lazy("商品标题"),
    "url": gettext_lazy("链接"),
    "shop": gettext_lazy("店铺"),
    "price": gettext_lazy("价格"),
    "seller": gettext_lazy("经营者"),
    "seller_uscc": gettext_lazy("统一社会信用代码"),
    "listed_at": gettext_lazy("上架时间"),
    "category": gettext_lazy("商品类别"),
    "nice_class": gettext_lazy("尼斯分类"),
}
# Every accepted spelling of each field, in header-key form (see _header_key).
ALIASES = {
    "platform": ("platform", "平台", "电商平台"),
    "title": ("title", "商品标题", "标题", "商品名称"),
    "url": ("url", "链接", "商品链接", "网址"),
    "shop": ("shop", "shop_name", "店铺", "店铺名称"),
    "price": ("price", "价格", "售价"),
    "seller": ("seller", "seller_name", "经营者", "卖家", "经营者名称"),
    "seller_uscc": ("seller_uscc", "uscc", "统一社会信用代码", "经营者统一社会信用代码"),
    "listed_at": ("listed_at", "上架时间", "采集时间"),
    "category": ("category", "商品类别", "类目"),
    "nice_class": ("nice_class", "nice_classes", "尼斯分类"),
}
_KEY_TO_FIELD = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
MAX_LENGTHS = {
    "platform": 64,
    "title": 500,
    "url": 1000,
    "shop": 200,
    "seller": 200,
    "category": 100,
}
_BRACKETED = re.compile(r"\(.*?\)")
_SURROGATES = re.compile("[\ud800-\udfff]")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$"
)
_url_validator = URLValidator(schemes=["http", "https"])


class ImportFailure(Exception):
    """The input as a whole cannot be read as listings; ``message`` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _header_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").strip().lower()
    key = _BRACKETED.sub("", key)
    return re.sub(r"[\s\-]+", "_", key).strip("_")


def _label(name: str) -> str:
    return str(LABELS[name])


def _columns_text(names: list[str]) -> str:
    return "、".join(f"{_label(n)}（{n}）" for n in names)


# -- Values -----------------------------------------------------------------------------------


class _Bad(Exception):
    """One field of one row is wrong."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def _text(raw: dict[str, Any], name: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _Bad(name, _("%(label)s应为文本。") % {"label": _label(name)})
    text = _SURROGATES.sub("\ufffd", str(value).replace("\x00", ""))
    text = " ".join(text.split()) if name != "url" else text.strip()
    limit = MAX_LENGTHS.get(name)
    if limit and len(text) > limit:
        raise _Bad(
            name,
            _("%(label)s太长：%(n)s 个字符，最多 %(limit)s 个。")
            % {"label": _label(name), "n": len(text), "limit": limit},
        )
    return text


def _clean_url(text: str) -> str:
    if not text:
        raise _Bad("url", _("链接不能为空。"))
    scheme = text.partition(":")[0].lower() if ":" in text else ""
    if scheme not in ("http", "https"):
        raise _Bad("url", _("链接必须以 http:// 或 https:// 开头。"))
    try:
        _url_validator(text)
    except ValidationError as exc:
        raise _Bad("url", _("链接“%(url)s”不是有效的网址。") % {"url": text[:100]}) from exc
    return text


def normalise_listing_url(url: str) -> str:
    """The form of a listing URL that decides whether two listings are the same.

    >>> normalise_listing_url("HTTPS://Item.Taobao.COM:443/item.htm?id=1#detail")
    'https://item.taobao.com/item.htm?id=1'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    if "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[0] + "@" + host
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def fingerprint(platform: str, url: str) -> str:
    """``Listing.fingerprint``: SHA-256 of the case-folded platform and the normalised URL."""
    key = unicodedata.normalize("NFKC", platform).strip().casefold()
    return hashlib.sha256(f"{key}\n{normalise_listing_url(url)}".encode()).hexdigest()


def _price(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    bad = _Bad(
        "price",
        _("价格“%(value)s”不是有效的金额（元），请填写如 1299.00 或 ¥1,299.00 的数字。")
        % {"value": str(value)[:40]},
    )
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise bad
    if isinstance(value, float) and not math.isfinite(value):
        raise bad
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for prefix in ("人民币", "rmb", "cny", "¥", "￥"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :].strip()
    if text.endswith("元"):
        text = text[:-1].strip()
    if "," in text:
        if not _THOUSANDS.match(text):
            raise bad
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise bad from exc
    if not amount.is_finite():
        raise bad
    if amount < 0:
        raise _Bad("price", _("价格不能为负数。"))
    if amount > MAX_PRICE:
        raise _Bad("price", _("价格超出范围（最多 9999999999.99 元）。"))
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _listed_at(value: Any, now: dt.datetime) -> dt.datetime:
    if value is None or (isinstance(value, str) and not value.strip()):
        return now
    bad = _Bad(
        "listed_at",
        _("上架时间“%(value)s”无法识别，请填写如 2026-11-23 或 2026-11-23 10:30 的日期时间。")
        % {"value": str(value)[:40]},
    )
    if isinstance(value, bool):
        raise bad
    if isinstance(value, int | float):
        seconds = float(value)
        if not math.isfinite(seconds) or seconds <= 0:
            raise bad
        if seconds > 1e11:  # milliseconds
            seconds /= 1000
        try:
            moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise bad from exc
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        match = _DATE.match(text)
        try:
            if match:
                parts = [int(p) if p else 0 for p in match.groups()]
                moment = dt.datetime(*parts)  # type: ignore[arg-type]
            else:
                moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise bad from exc
    else:
        raise bad
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    if moment > now + FUTURE_TOLERANCE:
        raise _Bad("listed_at", _("上架时间不能晚于当前时间。"))
    if moment < EARLIEST:
        raise _Bad("listed_at", _("上架时间早于 1990 年，请检查日期是否填错。"))
    return moment


def _nice_classes(value: Any) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        parts = value
    elif isinstance(value, str | int) and not isinstance(value, bool):
        parts = [value]
    else:
        parts = [None]
    if any(isinstance(p, bool) or not isinstance(p, str | int) for p in parts):
        raise _Bad("nice_class", _("尼斯分类应填写 1–45 的数字，多个用逗号或分号分隔。"))
    try:
        return clean_nice_classes(",".join(str(p) for p in parts), field="nice_class")
    except InvalidInput as exc:
        raise _Bad("nice_class", str(exc.message)) from exc


@dataclass
class Clean:
    """One valid row, ready to become a :class:`Listing`."""

    row: int
    platform: str
    title: str
    url: str
    shop: str
    price: Decimal | None
    seller_name: str
    seller_uscc: str
    listed_at: dt.datetime
    category: str
    nice_classes: list[int]
    fingerprint: str


def clean_row(
    raw: dict[str, Any], *, row: int, default_platform: str, now: dt.datetime
) -> tuple[Clean | None, list[tuple[str, str]]]:
    """Check one record (keys already mapped to :data:`FIELDS`): the clean row, or the
    problems as ``(field, message)`` pairs — every problem, not just the first."""
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}

    def check(name: str, fn: Any) -> None:
        try:
            values[name] = fn()
        except _Bad as bad:
            problems.append((bad.field, bad.message))

    for name in ("platform", "title", "url", "shop", "seller", "category"):
        check(name, lambda name=name: _text(raw, name))
    if "platform" in values and not values["platform"]:
        values["platform"] = default_platform.strip()
        if not values["platform"]:
            problems.append(("platform", _("平台不能为空。")))
    if "title" in values and not values["title"]:
        problems.append(("title", _("商品标题不能为空。")))
    if "url" in values:
        check("url", lambda: _clean_url(values["url"]))
    check("price", lambda: _price(raw.get("price")))
    check("listed_at", lambda: _listed_at(raw.get("listed_at"), now))
    check("nice_class", lambda: _nice_classes(raw.get("nice_class")))

    def uscc() -> str:
        text = _text(raw, "seller_uscc")
        if not text:
            return ""
        try:
            return clean_uscc(text, field="seller_uscc")
        except InvalidInput as exc:
            raise _Bad("seller_uscc", str(exc.message)) from exc

    check("seller_uscc", uscc)
    if problems:
        return None, problems
    return (
        Clean(
            row=row,
            platform=values["platform"],
            title=values["title"],
            url=values["url"],
            shop=values["shop"],
            price=values["price"],
            seller_name=values["seller"],
            seller_uscc=values["seller_uscc"],
            listed_at=values["listed_at"],
            category=values["category"],
            nice_classes=values["nice_class"],
            fingerprint=fingerprint(values["platform"], values["url"]),
        ),
        [],
    )


# -- Reading inputs ---------------------------------------------------------------------------

_BINARY = (
    (b"PK\x03\x04", "excel"),  # .xlsx (or any zip)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "excel"),  # .xls
    (b"%PDF-", "binary"),
    (b"\x89PNG", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF8", "binary"),
    (b"\x1f\x8b", "binary"),
    (b"Rar!", "binary"),
    (b"7z\xbc\xaf", "binary"),
)


def decode_text(data: bytes) -> str:
    """The text of an uploaded or fetched file: UTF-8 (BOM or not), UTF-16 with BOM, GB18030.

    Raises :class:`ImportFailure` for binary files and undecodable bytes.
    """
    for magic, kind in _BINARY:
        if data.startswith(magic):
            if kind == "excel":
                raise ImportFailure(
                    _(
                        "这是 Excel 文件，不能直接导入；请在 Excel 或 WPS 中“另存为”"
                        "CSV UTF-8（逗号分隔）文件后再上传。"
                    )
                )
            raise ImportFailure(_("文件不是文本文件（CSV 或 JSON Lines），无法导入。"))
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ImportFailure(
            _("文件开头标明了 Unicode 编码，但第 %(offset)s 个字节起的内容不符合该编码。")
            % {"offset": exc.start + 1}
        ) from exc
    if b"\x00" in data[:65536]:
        raise ImportFailure(_("文件不是文本文件（CSV 或 JSON Lines），无法导入。"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFailure(
            _("无法识别文件的文字编码，请保存为 UTF-8 或 GB18030（GBK）编码后再上传。")
        ) from exc


def _sniff_format(text: str) -> str:
    """``.txt`` and friends: JSON if it starts like JSON, else CSV."""
    return ImportFormat.JSONL if text.lstrip()[:1] in ("{", "[") else ImportFormat.CSV


@dataclass
class Source:
    """A readable input: how many records it holds and an iterator over them."""

    kind: str  # "csv", "jsonl" or "json"
    total: int
    text: str = ""
    delimiter: str = ","
    columns: dict[int, str] = field(default_factory=dict)  # CSV column index -> field name
    items: list[Any] = field(default_factory=list)  # a JSON document's records

    def rows(self) -> Iterator[tuple[int, Any]]:
        """``(row number, record)``: records are dicts keyed by field name, or, for a line or
        item that is not a JSON object, an :class:`ImportFailure`-like message string."""
        if self.kind == "csv":
            yield from self._csv_rows()
        elif self.kind == "jsonl":
            yield from self._jsonl_rows()
        else:
            for number, item in enumerate(self.items, start=1):
                yield number, _json_record(item)

    def _csv_rows(self) -> Iterator[tuple[int, Any]]:
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        header_seen = False
        for number, record in enumerate(reader, start=1):
            if not header_seen:
                header_seen = any(cell.strip() for cell in record)
                continue
            if not any(cell.strip() for cell in record):
                continue
            yield (
                number,
                {
                    name: record[index] if index < len(record) else ""
                    for index, name in self.columns.items()
                },
            )

    def _jsonl_rows(self) -> Iterator[tuple[int, Any]]:
        for number, line in enumerate(_lines(self.text), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                yield number, _("这一行不是有效的 JSON：%(reason)s") % {"reason": _reason(exc)}
                continue
            yield number, _json_record(item)


def _lines(text: str) -> list[str]:
    # Not str.splitlines(): JSON strings may hold U+2028 and other line separators.
    return [line.rstrip("\r") for line in text.split("\n")]


def _reason(exc: Exception) -> str:
    return str(exc)[:200]


def _json_record(item: Any) -> Any:
    if not isinstance(item, dict):
        return _("应为一个 JSON 对象（{…}），实际是 %(kind)s。") % {"kind": _json_kind(item)}
    record: dict[str, Any] = {}
    for key, value in item.items():
        name = _KEY_TO_FIELD.get(_header_key(key))
        # The first spelling that has a value wins ("title" and "标题" both given).
        if name and (record.get(name) in (None, "")):
            record[name] = value
    return record


def _json_kind(item: Any) -> str:
    if isinstance(item, list):
        return _("数组")
    if isinstance(item, str):
        return _("文本")
    if item is None:
        return "null"
    return _("数字或布尔值")


def _csv_source(text: str, *, default_platform: str) -> Source:
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise ImportFailure(_("文件中没有内容。"))
    delimiter = max((",", "\t", ";"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    total = 0
    columns: dict[int, str] = {}
    header: list[str] | None = None
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
                continue
            total += 1
    except csv.Error as exc:
        raise ImportFailure(
            _("第 %(line)s 行无法按 CSV 格式读取（%(reason)s）。")
            % {"line": reader.line_num, "reason": _reason(exc)}
        ) from exc
    assert header is not None
    seen: dict[str, str] = {}
    for index, cell in enumerate(header):
        name = _KEY_TO_FIELD.get(_header_key(cell))
        if name is None:
            continue
        if name in seen:
            raise ImportFailure(
                _("列“%(a)s”和“%(b)s”都表示%(label)s，请只保留一列。")
                % {"a": seen[name], "b": cell.strip(), "label": _label(name)}
            )
        seen[name] = cell.strip()
        columns[index] = name
    required = [*REQUIRED] + ([] if default_platform.strip() else ["platform"])
    missing = [name for name in FIELDS if name in required and name not in seen]
    if missing:
        found = "、".join(cell.strip() for cell in header if cell.strip())[:200]
        raise ImportFailure(
            _("缺少必填列：%(missing)s。文件第一行（表头）是：%(found)s。")
            % {"missing": _columns_text(missing), "found": found or _("（空）")}
        )
    if total == 0:
        raise ImportFailure(_("文件中只有表头，没有商品数据。"))
    return Source(kind="csv", total=total, text=text, delimiter=delimiter, columns=columns)


def _json_document_source(text: str) -> Source:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise ImportFailure(
            _("内容不是有效的 JSON（%(reason)s）。") % {"reason": _reason(exc)}
        ) from exc
    items: Any = document
    if isinstance(document, dict):
        items = next(
            (document[key] for key in ("items", "listings") if isinstance(document.get(key), list)),
            None,
        )
    if not isinstance(items, list):
        raise ImportFailure(
            _("JSON 中没有商品数组：应为一个数组，或含有 items（或 listings）数组的对象。")
        )
    if not items:
        raise ImportFailure(_("JSON 中的商品数组是空的，没有商品数据。"))
    return Source(kind="json", total=len(items), items=items)


def _jsonl_source(text: str) -> Source:
    stripped = text.lstrip()
    if stripped.startswith("["):
        return _json_document_source(text)
    lines = [line for line in _lines(text) if line.strip()]
    if not lines:
        raise ImportFailure(_("文件中没有内容。"))
    try:
        first = json.loads(lines[0])
    except ValueError:
        first = None
    if len(lines) > 1 and not isinstance(first, dict):
        # Pretty-printed JSON spans lines; read it as one document before giving up.
        try:
            json.loads(text)
        except ValueError:
            raise ImportFailure(
                _("第一行不是 JSON 对象，文件不是 JSON Lines（每行一个 JSON 对象）格式。")
            ) from None
        return _json_document_source(text)
    if not isinstance(first, dict):
        raise ImportFailure(
            _("第一行不是 JSON 对象，文件不是 JSON Lines（每行一个 JSON 对象）格式。")
        )
    if len(lines) == 1 and any(isinstance(first.get(k), list) for k in ("items", "listings")):
        return _json_document_source(text)
    return Source(kind="jsonl", total=len(lines), text=text)


def read_source(data: bytes, fmt: str, *, default_platform: str = "") -> Source:
    """Decode and check an input, and count its records. Raises :class:`ImportFailure`."""
    return read_text(decode_text(data), fmt, default_platform=default_platform)


def read_text(text: str, fmt: str, *, default_platform: str = "") -> Source:
    """Check a decoded input and count its records. Raises :class:`ImportFailure`."""
    if not text.strip():
        raise ImportFailure(_("文件中没有内容。"))
    if fmt == ImportFormat.CSV:
        return _csv_source(text, default_platform=default_platform)
    if fmt == ImportFormat.JSONL:
        return _jsonl_source(text)
    return _json_document_source(text)


# -- Settings ---------------------------------------------------------------------------------


def import_max_bytes() -> int:
    """The largest file or feed body: ``IPSHIELD_IMPORT_MAX_MB`` (setting or environment), 50."""
    return int(float(setting("IPSHIELD_IMPORT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def inline_rows() -> int:
    """Files with at most this many rows are imported in the request:
    ``IPSHIELD_IMPORT_INLINE_ROWS``, 2000 (0: always queue)."""
    return int(setting("IPSHIELD_IMPORT_INLINE_ROWS", DEFAULT_INLINE_ROWS))


def feed_timeout() -> float:
    """Seconds for one feed fetch: ``IPSHIELD_FEED_TIMEOUT``, 30."""
    return float(setting("IPSHIELD_FEED_TIMEOUT", DEFAULT_FEED_TIMEOUT))


# -- Who may ----------------------------------------------------------------------------------


def _staff_unit(actor: Any, *, message: str) -> Unit:
    profile = profile_of(actor)
    if profile is None or not profile.is_staff_member or profile.unit is None:
        raise PermissionDenied(message, code=errors.STAFF_ONLY)
    require_writer(actor)
    return profile.unit


# -- Starting a file import -------------------------------------------------------------------


def _file_error(message: str, code: str = errors.IMPORT_FORMAT) -> InvalidInput:
    return InvalidInput(message, field="file", code=code)


def _check_upload(upload: UploadedFile | None, fmt: str | None) -> tuple[str | None, bytes]:
    if upload is None:
        raise _file_error(_("请选择要导入的文件。"), errors.IMPORT_EMPTY)
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS:
        raise _file_error(
            _(
                "只能导入 CSV（.csv、.txt）或 JSON Lines（.jsonl、.json）文件；"
                "Excel 文件请先另存为 CSV UTF-8（逗号分隔）。"
            )
        )
    if fmt is not None and fmt not in (ImportFormat.CSV, ImportFormat.JSONL):
        raise InvalidInput(
            _("导入格式只能是 csv 或 jsonl。"), field="format", code=errors.IMPORT_FORMAT
        )
    if not upload.size:
        raise _file_error(_("上传的文件是空的。"), errors.IMPORT_EMPTY)
    limit = import_max_bytes()
    if upload.size > limit:
        raise _file_error(
            _("文件太大（%(size)s），导入上限为 %(limit)s；请拆分成几个文件。")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if not data.strip():
        raise _file_error(_("上传的文件是空的。"), errors.IMPORT_EMPTY)
    return fmt or EXTENSIONS[extension], data


def listing_import_start(
    *, actor: Any, upload: UploadedFile, format: str | None = None
) -> ListingImport:
    """Store an uploaded file of listings and import it: at once if it is small, else queued.

    Staff of a unit only (not read-only roles). ``format`` (``csv`` or ``jsonl``) overrides
    what the file name says (``.txt`` and ``.json`` are told apart by content). Refuses with
    InvalidInput (field ``file``, nothing stored) an empty, too large, wrongly named or
    non-text file. A text file that is not a listing file gets a ``failed`` import saying why.
    Files of at most :func:`inline_rows` rows are imported before this returns (status
    ``done``); larger ones return ``queued`` and the worker runs them (``run_listing_import``).
    """
    unit = _staff_unit(actor, message=_("只有单位工作人员可以导入商品信息。"))
    fmt, data = _check_upload(upload, format)
    try:
        text = decode_text(data)
    except ImportFailure as exc:
        raise _file_error(exc.message) from exc
    fmt = fmt or _sniff_format(text)
    failure = ""
    total = 0
    try:
        total = read_text(text, fmt).total
    except ImportFailure as exc:
        failure = exc.message
    name = os.path.basename(upload.name or "")[:200]
    suffix = os.path.splitext(name)[1].lower()
    row = ListingImport(unit=unit, actor=actor, format=fmt, file_name=name, total=total)
    row.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            row.save()
            if failure:
                _finish(row, status=ImportStatus.FAILED, failure=failure)
            elif total > inline_rows():
                from ipshield.monitoring.tasks import run_listing_import

                pk = row.pk
                transaction.on_commit(lambda: run_listing_import.enqueue(pk))
    except BaseException:
        row.file.delete(save=False)
        raise
    if not failure and total <= inline_rows():
        row = listing_import_run(listing_import=row)
    return row


# -- Running an import ------------------------------------------------------------------------


def _finish(row: ListingImport, *, status: str, failure: str = "") -> None:
    """Mark ``row`` done or failed and write its audit event (inside the caller's transaction)."""
    row.status = status
    row.failure = failure[:500]
    row.finished_at = timezone.now()
    if status == ImportStatus.DONE:
        row.total = row.processed
    row.save(update_fields=["status", "failure", "finished_at", "total", "processed", "updated_at"])
    events.listings_imported(listing_import=row)


def _claim(listing_import: ListingImport) -> ListingImport | None:
    """Mark the import running and reset what the run recounts; None if it must not run."""
    with transaction.atomic():
        row = ListingImport.objects.select_for_update().get(pk=listing_import.pk)
        if row.status == ImportStatus.DONE:
            return None
        if row.status == ImportStatus.RUNNING and row.updated_at > timezone.now() - STALE_AFTER:
            return None  # another run is at work
        # Listings and alerts of an interrupted earlier run stay; they count as created.
        row.created_count = Listing.objects.filter(source=row).count()
        row.alert_count = Alert.objects.filter(listing__source=row).count()
        row.status = ImportStatus.RUNNING
        row.started_at = timezone.now()
        row.finished_at = None
        row.failure = ""
        row.processed = row.duplicate_count = row.error_count = 0
        row.errors = []
        row.save()
        return row


@dataclass
class _Batch:
    """Rows read since the last batch: the valid ones, how many, and the problems."""

    rows: list[Clean] = field(default_factory=list)
    processed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_rows: int = 0
    scan: Any = None  # the titles' hits on their way from a scan pool (PendingScan)


@dataclass
class _Run:
    row: ListingImport
    seen: set[str] = field(default_factory=set)
    batch: _Batch = field(default_factory=_Batch)
    pool: Any = None  # a detection.scan_pool for large imports
    staged: _Batch | None = None  # read and being scanned, saved at the next flush

    def error(self, number: int, problems: list[tuple[str, str]]) -> None:
        self.batch.error_rows += 1
        for name, message in problems:
            self.batch.errors.append({"row": number, "field": name, "message": message})

    def flush(self) -> None:
        """Hand the batch on. Without a scan pool it is saved at once. With one, its titles
        go to the pool's workers and the batch read before it is saved meanwhile: reading,
        saving and scanning overlap, and each batch is still saved with its alerts."""
        batch, self.batch = self.batch, _Batch()
        if self.pool is None:
            self._save(batch)
            return
        from ipshield.monitoring.detection import scan_titles

        batch.scan = scan_titles(
            self.pool, [c.title for c in batch.rows], [c.nice_classes for c in batch.rows]
        )
        previous, self.staged = self.staged, batch
        if previous is not None:
            self._save(previous)

    def finish(self) -> None:
        """Save the batch still being scanned."""
        staged, self.staged = self.staged, None
        if staged is not None:
            self._save(staged)

    def _save(self, batch: _Batch) -> None:
        """Save one batch, its alerts and its progress in one transaction."""
        row = self.row
        with transaction.atomic():
            created, duplicates = _save_batch(row, batch.rows, self.seen)
            scanned = None
            if batch.scan is not None:
                hits = batch.scan.result()
                scanned = {c.fingerprint: h for c, h in zip(batch.rows, hits, strict=True)}
            alerts = _detect(created, scanned)
            row.processed += batch.processed
            row.created_count += len(created)
            row.duplicate_count += duplicates
            row.alert_count += alerts
            row.error_count += batch.error_rows
            room = MAX_STORED_ERRORS - len(row.errors)
            if room > 0 and batch.errors:
                row.errors = [*row.errors, *batch.errors[:room]]
            row.save(
                update_fields=[
                    "processed",
                    "created_count",
                    "duplicate_count",
                    "alert_count",
                    "error_count",
                    "errors",
                    "updated_at",
                ]
            )


def _detect(created: list[Listing], scanned: Any = None) -> int:
    if not created:
        return 0
    from ipshield.monitoring.detection import detect_listings

    return int(detect_listings(created, scanned=scanned))


def _save_batch(
    row: ListingImport, batch: list[Clean], seen: set[str]
) -> tuple[list[Listing], int]:
    """Create the batch's new listings; return them and how many rows were duplicates."""
    prints = [clean.fingerprint for clean in batch]
    existing = dict(
        Listing.objects.filter(unit_id=row.unit_id, fingerprint__in=prints).values_list(
            "fingerprint", "source_id"
        )
    )
    duplicates = 0
    new: list[Clean] = []
    for clean in batch:
        if clean.fingerprint in seen:
            duplicates += 1
            continue
        seen.add(clean.fingerprint)
        source = existing.get(clean.fingerprint)
        if source == row.pk:
            continue  # saved by an interrupted earlier run of this import: already counted
        if source is not None:
            duplicates += 1
            continue
        new.append(clean)
    if not new:
        return [], duplicates
    sellers = _sellers(new)
    Listing.objects.bulk_create(
        [
            Listing(
                unit_id=row.unit_id,
                source=row,
                platform=clean.platform,
                shop=clean.shop,
                title=clean.title,
                price=clean.price,
                url=clean.url,
                seller_name=clean.seller_name,
                seller_uscc=clean.seller_uscc,
                seller_id=sellers.get(id(clean)),
                category=clean.category,
                nice_classes=clean.nice_classes,
                listed_at=clean.listed_at,
                fingerprint=clean.fingerprint,
            )
            for clean in new
        ],
        # A listing another import saved since the check above is a duplicate, not an error.
        ignore_conflicts=True,
    )
    created = list(
        Listing.objects.filter(source=row, fingerprint__in=[clean.fingerprint for clean in new])
    )
    return created, duplicates + len(new) - len(created)


def _sellers(batch: list[Clean]) -> dict[int, int]:
    """Registered entities for the batch's sellers: by USCC, else by a name only one has."""
    codes = {clean.seller_uscc for clean in batch if clean.seller_uscc}
    by_code = dict(Entity.objects.filter(uscc__in=codes).values_list("uscc", "pk")) if codes else {}
    names = {
        id(clean): normalize_name(clean.seller_name)
        for clean in batch
        if clean.seller_name and clean.seller_uscc not in by_code
    }
    by_name: dict[str, int] = {}
    if names:
        matches = list(
            Entity.objects.filter(name_normalized__in=set(names.values())).values_list(
                "name_normalized", "pk"
            )
        )
        counts = Counter(name for name, _pk in matches)
        by_name = {name: pk for name, pk in matches if counts[name] == 1}
    found: dict[int, int] = {}
    for clean in batch:
        if clean.seller_uscc and clean.seller_uscc in by_code:
            found[id(clean)] = by_code[clean.seller_uscc]
        elif id(clean) in names and names[id(clean)] in by_name:
            found[id(clean)] = by_name[names[id(clean)]]
    return found


def _read_stored(row: ListingImport) -> Source:
    if not row.file:
        raise ImportFailure(_("导入记录没有文件，无法运行。"))
    try:
        with row.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ImportFailure(
            _("读取导入文件失败（%(reason)s）。") % {"reason": _reason(exc)}
        ) from exc
    default_platform = row.feed.platform if row.feed_id and row.feed else ""
    return read_source(data, row.format, default_platform=default_platform)


def listing_import_run(*, listing_import: ListingImport) -> ListingImport:
    """Run an import: read its file, create the new listings batch by batch, raise alerts.

    Idempotent: a ``done`` import is returned as it is, one that another run is working on
    (touched within :data:`STALE_AFTER`) is left to it; a ``queued``, ``failed`` or
    interrupted one runs (again) — listings saved by an earlier run are neither duplicated nor
    counted as duplicates. Never raises for bad input: the outcome is on the returned row.
    """
    row = _claim(listing_import)
    if row is None:
        listing_import.refresh_from_db()
        return listing_import
    try:
        source = _read_stored(row)
    except ImportFailure as exc:
        with transaction.atomic():
            _finish(row, status=ImportStatus.FAILED, failure=exc.message)
        return row
    if row.total != source.total:
        row.total = source.total
        row.save(update_fields=["total", "updated_at"])
    default_platform = row.feed.platform if row.feed_id and row.feed else ""
    now = row.started_at or timezone.now()
    run = _Run(row=row)
    from ipshield.monitoring.detection import scan_pool

    try:
        with scan_pool(source.total) as run.pool:
            _run_rows(run, source, default_platform=default_platform, now=now)
        with transaction.atomic():
            _finish(row, status=ImportStatus.DONE)
    except Exception:
        logger.exception("listing import %s stopped", row.pk)
        row.refresh_from_db()
        with transaction.atomic():
            _finish(
                row,
                status=ImportStatus.FAILED,
                failure=_(
                    "导入在处理到第 %(n)s 条附近时因内部错误中断；已完成的 %(done)s 条已保存，"
                    "可以重新运行导入（不会重复导入）。"
                )
                % {"n": row.processed + 1, "done": row.processed},
            )
    return row


def _run_rows(run: _Run, source: Source, *, default_platform: str, now: dt.datetime) -> None:
    for number, record in source.rows():
        run.batch.processed += 1
        if isinstance(record, str):
            run.error(number, [("", record)])
        else:
            clean, problems = clean_row(
                record, row=number, default_platform=default_platform, now=now
            )
            if clean is None:
                run.error(number, problems)
            else:
                run.batch.rows.append(clean)
        if run.batch.processed >= BATCH_SIZE:
            run.flush()
    run.flush()
    run.finish()


# -- Feeds ------------------------------------------------------------------------------------


def _clean_feed_url(url: str) -> str:
    text = (url or "").strip()
    if not text:
        raise InvalidInput(_("请填写信息源地址。"), field="url", code=errors.FEED_URL)
    if len(text) > 500:
        raise InvalidInput(
            _("信息源地址太长（最多 500 个字符）。"), field="url", code=errors.FEED_URL
        )
    if text.partition(":")[0].lower() not in ("http", "https") or ":" not in text:
        raise InvalidInput(
            _("信息源地址必须以 http:// 或 https:// 开头。"), field="url", code=errors.FEED_URL
        )
    try:
        _url_validator(text)
    except ValidationError as exc:
        raise InvalidInput(
            _("信息源地址不是有效的网址。"), field="url", code=errors.FEED_URL
        ) from exc
    if urlsplit(text).username is not None:
        raise InvalidInput(
            _("信息源地址中不能包含用户名或密码（user:pass@）。"),
            field="url",
            code=errors.FEED_URL,
        )
    return text


@transaction.atomic
def listing_feed_add(
    *,
    actor: Any,
    name: str,
    url: str,
    platform: str = "",
    interval_minutes: int = 60,
) -> ListingFeed:
    """Add an HTTP JSON feed of listings for the actor's unit (staff only).

    It is fetched within a minute if a worker runs (task ``fetch_listing_feed``), then every
    ``interval_minutes`` (at least 5) by the worker's poll.
    """
    unit = _staff_unit(actor, message=_("只有单位工作人员可以添加商品信息源。"))
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("请填写信息源名称。"), field="name")
    if len(name) > 100:
        raise InvalidInput(_("信息源名称太长（最多 100 个字符）。"), field="name")
    url = _clean_feed_url(url)
    platform = " ".join((platform or "").split())
    if len(platform) > 64:
        raise InvalidInput(_("默认平台太长（最多 64 个字符）。"), field="platform")
    try:
        minutes = int(interval_minutes)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            _("抓取间隔应为分钟数（5 到 10080 之间的整数）。"), field="interval_minutes"
        ) from exc
    if not 5 <= minutes <= 10080:
        raise InvalidInput(
            _("抓取间隔应在 5 分钟到 10080 分钟（7 天）之间。"), field="interval_minutes"
        )
    if ListingFeed.objects.filter(unit=unit, url=url).exists():
        raise Conflict(_("本单位已经添加过这个信息源地址。"), field="url", code=errors.FEED_URL)
    feed = ListingFeed.objects.create(
        unit=unit,
        name=name,
        url=url,
        platform=platform,
        interval_minutes=minutes,
        added_by=actor,
    )
    events.listing_feed_added(actor=actor, feed=feed)
    from ipshield.monitoring.tasks import fetch_listing_feed

    pk = feed.pk
    transaction.on_commit(lambda: fetch_listing_feed.enqueue(pk))
    return feed


def _fetch_body(url: str) -> tuple[bytes, str]:
    """The feed's body, or ``b""`` and why it could not be had. Network only, no database."""
    from ipshield.evidence.capture import Fetcher, allowed_networks

    try:
        with Fetcher(
            max_bytes=import_max_bytes(),
            deadline=time.monotonic() + feed_timeout(),
            networks=allowed_networks(),
        ) as fetcher:
            fetched = fetcher.fetch(url, accept="application/json")
    except DomainError as exc:
        return b"", _("抓取信息源失败：%(reason)s") % {"reason": exc.message}
    if not 200 <= fetched.status < 300:
        return b"", _("抓取信息源失败：服务器返回 HTTP %(status)s %(reason)s。") % {
            "status": fetched.status,
            "reason": fetched.reason,
        }
    if not fetched.body.strip():
        return b"", _("抓取信息源失败：服务器返回的内容是空的。")
    return fetched.body, ""


def listing_feed_fetch(*, feed: ListingFeed) -> ListingImport:
    """Fetch a feed now and import what it returns (format ``feed``); returns the import.

    The fetch goes through the platform's SSRF-guarded fetcher (``evidence.capture.Fetcher``:
    public addresses only unless ``IPSHIELD_CAPTURE_ALLOW_NETWORKS``; at most
    ``IPSHIELD_IMPORT_MAX_MB``; ``IPSHIELD_FEED_TIMEOUT`` seconds). A refused or failed fetch,
    an answer other than 2xx, or a body that is not a listings JSON gives a ``failed`` import
    and ``feed.last_error``; ``feed.last_run_at`` is set either way.
    """
    started = timezone.now()
    body, failure = _fetch_body(feed.url)
    row = ListingImport(
        unit_id=feed.unit_id,
        actor=None,
        format=ImportFormat.FEED,
        feed=feed,
        file_name=feed.name[:200],
    )
    if body:
        try:
            row.total = read_source(body, ImportFormat.FEED, default_platform=feed.platform).total
        except ImportFailure as exc:
            failure = exc.message
        row.file.save(f"feed-{feed.pk}-{uuid.uuid4().hex}.json", ContentFile(body), save=False)
    try:
        with transaction.atomic():
            row.save()
            if failure:
                _finish(row, status=ImportStatus.FAILED, failure=failure)
            feed.last_run_at = started
            feed.last_error = failure[:500]
            feed.save(update_fields=["last_run_at", "last_error", "updated_at"])
    except BaseException:
        if row.file:
            row.file.delete(save=False)
        raise
    if failure:
        return row
    row = listing_import_run(listing_import=row)
    if row.status == ImportStatus.FAILED:
        feed.last_error = row.failure[:500]
        feed.save(update_fields=["last_error", "updated_at"])
    return row


def listing_feeds_poll_due(*, now: dt.datetime | None = None) -> list[ListingImport]:
    """Fetch every active feed that is due: never fetched, or last fetched at least its interval
    ago (less :data:`POLL_TOLERANCE`). One feed's failure never stops the others."""
    now = now or timezone.now()
    due = [
        feed
        for feed in ListingFeed.objects.filter(active=True).order_by("last_run_at", "id")
        if feed.last_run_at is None
        or feed.last_run_at + dt.timedelta(minutes=feed.interval_minutes) <= now + POLL_TOLERANCE
    ]
    results = []
    for feed in due:
        try:
            results.append(listing_feed_fetch(feed=feed))
        except Exception:
            logger.exception("listing feed %s could not be fetched", feed.pk)
    return results
