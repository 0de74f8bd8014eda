"""Web capture (网页取证): fetch a web page from the server, screenshot it, preserve it all.

An officer (for a case of their unit) or a rights holder gives a URL; :func:`evidence_capture`
fetches it, renders a screenshot, and preserves everything as ONE evidence item whose file is a
zip (取证包) and whose ledger leaf describes the capture. The receipt, the verify page and the
offline ``ipshield evidence verify`` work on the zip exactly as on an uploaded file.

The zip (取证包)
---------------
::

    manifest.json     canonical JSON: what was asked, what answered, the hashes of the others
    headers.json      canonical JSON of the final response's status line and headers
    body.<ext>        the final response's body (decoded from Content-Encoding), byte for byte
    screenshot.png    the page as headless Chromium rendered it (absent if none was taken)

The leaf
--------
The leaf is the upload leaf (``evidence.receipts``) with ``"type": "evidence.web_capture"``;
``sha256``/``sm3``/``size``/``name``/``detected_type`` are the zip's (``declared_type`` is null:
the platform made the zip; leaves before 2026-12 had ``content_type`` instead), so a verifier
who only knows upload receipts still checks the zip; ``capture`` adds what was captured::

    "capture": {"url": "https://shop.example.com/item/1",          # as requested
                "redirects": [{"url": "...", "status": 302, "location": "...",
                               "address": "93.184.216.34"}, ...],   # each hop, in order
                "final_url": "https://shop.example.com/item/1?a=b",
                "status": 200, "address": "93.184.216.34",          # the answering server
                "fetched_at": "2026-01-05T10:00:00.123+08:00",
                "body": {"name": "body.html", "sha256": "...", "sm3": "...", "size": 1234,
                         "content_type": "text/html; charset=utf-8"},
                "headers": {"name": "headers.json", "sha256": "...", "sm3": "..."},
                "screenshot": {"name": "screenshot.png", "sha256": "...", "sm3": "...",
                               "size": 56789} | null,
                "screenshot_note": "未截图：……",                   # only without a screenshot
                "manifest": {"name": "manifest.json", "sha256": "...", "sm3": "..."}}

So each part can be checked on its own too (someone who unpacked and re-zipped the package still
has the body, headers and screenshot hashes in the signed ledger).

Server-side request forgery
---------------------------
The server fetches what a user names, so a URL must not reach the platform's own network:

* only ``http``/``https``; no ``user:pass@``; at most :data:`MAX_URL_LENGTH` characters;
* the host is resolved here (``socket.getaddrinfo``) and EVERY address must be public: private,
  loopback, link-local, multicast, reserved, unspecified and other non-global addresses are
  refused, also when embedded in IPv6 (IPv4-mapped, NAT64, 6to4, Teredo) — unless inside a
  network of ``IPSHIELD_CAPTURE_ALLOW_NETWORKS``;
* the connection goes to the checked address itself (the request URL carries the IP; ``Host``
  and TLS SNI carry the name, so certificates are still checked against the name), and the
  peer address of the socket is compared with it afterwards: DNS cannot answer differently in
  between (rebinding);
* redirects are followed here, one hop at a time, each hop checked the same way and recorded;
  connections are never reused across hops and environment proxies are ignored;
* Chromium never touches the network: every request it makes is answered through the same
  checked fetcher (Playwright request routing; only GET), the main document with the very bytes
  that were hashed, and anything that escaped routing (web sockets, say) goes to a proxy
  address that refuses connections, with the loopback exemption removed.

Bounds: ``IPSHIELD_CAPTURE_MAX_MB`` (10) on the body, enforced while reading;
``IPSHIELD_CAPTURE_TIMEOUT`` (15 s) for the whole redirect chain and body (a single stalled read
may add up to one more timeout), and again for the screenshot.

>>> item = evidence_capture(actor=holder_user, url="https://shop.example.com/item/1")
>>> json.loads(item.leaf)["capture"]["status"]
200
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import json
import mimetypes
import os
import socket
import threading
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshield.cases.models import Case
from ipshield.common.errors import DomainError, InvalidInput, PermissionDenied
from ipshield.evidence import errors, leftovers, services
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import canonical_json, file_hashes

__all__ = [
    "CHROMIUM_ARGS",
    "LEAF_TYPE",
    "MAX_REDIRECTS",
    "Fetched",
    "Fetcher",
    "Hop",
    "Screenshot",
    "address_allowed",
    "allowed_networks",
    "build_package",
    "capture_max_bytes",
    "capture_of",
    "capture_timeout",
    "check_url",
    "evidence_capture",
    "normalise_url",
    "take_screenshot",
]

LEAF_TYPE = "evidence.web_capture"
MANIFEST_TYPE = "ipshield.web_capture.manifest"
DEFAULT_MAX_MB = 10
DEFAULT_TIMEOUT = 15.0
MAX_REDIRECTS = 5
MAX_URL_LENGTH = 2048
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1366, "height": 900}
MAX_SCREENSHOT_HEIGHT = 12_000  # pixels; an endless feed would otherwise make a huge PNG
MAX_SUBRESOURCES = 300
MAX_BROWSERS = 2  # Chromium instances at once per process (each takes a few hundred MB)
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120 Safari/537.36 IPShield-WebCapture/1"
)
# Hop-by-hop or describing the encoded body, which Chromium gets decoded.
_NOT_REPLAYED = frozenset(
    {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_browsers = threading.BoundedSemaphore(MAX_BROWSERS)
_BODY_SUFFIXES = {
    "text/html": ".html",
    "application/xhtml+xml": ".xhtml",
    "text/plain": ".txt",
    "application/json": ".json",
    "text/css": ".css",
    "text/javascript": ".js",
    "application/javascript": ".js",
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
    "application/xml": ".xml",
    "text/xml": ".xml",
}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


# -- Settings ---------------------------------------------------------------------------------


def _setting(name: str, default: Any) -> Any:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return default if value is None else value


def capture_max_bytes() -> int:
    """The largest body fetched: ``IPSHIELD_CAPTURE_MAX_MB`` (setting or environment), 10."""
    return int(float(_setting("IPSHIELD_CAPTURE_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def capture_timeout() -> float:
    """Seconds for the fetch (and again for the screenshot): ``IPSHIELD_CAPTURE_TIMEOUT``, 15."""
    return float(_setting("IPSHIELD_CAPTURE_TIMEOUT", DEFAULT_TIMEOUT))


def allowed_networks() -> list[Network]:
    """``IPSHIELD_CAPTURE_ALLOW_NETWORKS``: comma-separated CIDRs exempt from the address check."""
    value = _setting("IPSHIELD_CAPTURE_ALLOW_NETWORKS", "")
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    networks = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"IPSHIELD_CAPTURE_ALLOW_NETWORKS: {text!r} is not a network (CIDR such as "
                "10.0.0.0/8 or an address)."
            ) from exc
    return networks


def chromium_path() -> str | None:
    """``IPSHIELD_CAPTURE_CHROMIUM`` (default ``/usr/bin/chromium``; empty: no screenshots)."""
    path = str(_setting("IPSHIELD_CAPTURE_CHROMIUM", CHROMIUM)).strip()
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


# -- Refusals ---------------------------------------------------------------------------------


def _refuse(message: str, code: str, *, hop: int = 0, url: str = "") -> InvalidInput:
    """A refusal naming the ``url`` field; for a redirect hop, saying which hop and where to."""
    if hop:
        message = _("第 %(hop)s 次跳转（到 %(url)s）：%(reason)s") % {
            "hop": hop,
            "url": url[:200],
            "reason": message,
        }
    details = {"hop": hop, "hop_url": url[:MAX_URL_LENGTH]} if hop else None
    return InvalidInput(message, field="url", code=code, details=details)


def normalise_url(text: str) -> str:
    """The URL as given, trimmed, with ``https://`` if typed without a scheme."""
    text = (text or "").strip()
    scheme, sep, rest = text.partition(":")
    has_scheme = bool(sep) and scheme.isascii() and scheme.replace("+", "").isalnum()
    if has_scheme and not rest.startswith("//") and rest.split("/")[0].isdigit():
        has_scheme = False  # "example.com:8080/a" is a host and port, not a scheme
    return text if has_scheme or not text else "https://" + text


def check_url(text: str, *, hop: int = 0) -> httpx.URL:
    """Parse a URL that may be fetched: http(s), a host, no credentials, not too long.

    A URL typed without a scheme (``www.example.com/a``) gets ``https://``. Raises
    InvalidInput naming the field ``url``.

    >>> str(check_url("www.example.com/a#top"))
    'https://www.example.com/a'
    """
    text = (text or "").strip()
    if not text:
        raise _refuse(_("请填写要取证的网址。"), errors.CAPTURE_URL_INVALID)
    if len(text) > MAX_URL_LENGTH:
        raise _refuse(
            _("网址太长（超过 %(limit)s 个字符）。") % {"limit": MAX_URL_LENGTH},
            errors.CAPTURE_URL_INVALID,
            hop=hop,
            url=text,
        )
    if any(not char.isprintable() or char.isspace() for char in text):
        raise _refuse(
            _("网址中不能有空格或控制字符。"), errors.CAPTURE_URL_INVALID, hop=hop, url=text
        )
    text = normalise_url(text)
    scheme = text.partition(":")[0]
    if scheme.lower() not in ("http", "https"):
        raise _refuse(
            _("只能取证 http:// 或 https:// 开头的网址，不支持 %(scheme)s://。")
            % {"scheme": scheme.lower()[:20]},
            errors.CAPTURE_SCHEME_NOT_ALLOWED,
            hop=hop,
            url=text,
        )
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise _refuse(_("网址格式不正确。"), errors.CAPTURE_URL_INVALID, hop=hop, url=text) from exc
    netloc = text.split("//", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if url.userinfo or "@" in netloc:
        raise _refuse(
            _("网址中不能包含用户名或密码（user:pass@）。"),
            errors.CAPTURE_CREDENTIALS_IN_URL,
            hop=hop,
            url=text,
        )
    if not url.host:
        raise _refuse(_("网址中缺少域名。"), errors.CAPTURE_URL_INVALID, hop=hop, url=text)
    return url.copy_with(fragment=None)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found = []
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.append(address.teredo[1])
    return found


def _public(address: Address) -> bool:
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def address_allowed(address: Address | str, networks: Iterable[Network] = ()) -> bool:
    """Whether the platform may connect to ``address``: public, or in an allowed network.

    >>> address_allowed("10.0.0.1"), address_allowed("::ffff:127.0.0.1")
    (False, False)
    >>> address_allowed("127.0.0.1", [ipaddress.ip_network("127.0.0.0/8")])
    True
    """
    address = ipaddress.ip_address(address)
    networks = list(networks)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:a.b.c.d is a.b.c.d on the wire
    candidates: list[Address] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        candidates += _embedded_ipv4(address)
    for candidate in candidates:
        if any(candidate.version == net.version and candidate in net for net in networks):
            continue
        if not _public(candidate):
            return False
    return True


# -- Fetching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One redirect answered on the way: where we asked, what came back, from which address."""

    url: str
    status: int
    location: str
    address: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "location": self.location,
            "address": self.address,
        }


@dataclass(frozen=True)
class Fetched:
    """The final response of a capture, after its redirects."""

    requested_url: str
    hops: list[Hop]
    final_url: str
    status: int
    reason: str
    http_version: str
    address: str
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: dt.datetime

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value.strip()[:200]
        return ""


def _resolve(host: str, port: int, timeout: float) -> list[Address]:
    """``getaddrinfo`` with a time limit (the system resolver has none we control)."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True, name="ipshield-capture-dns")
    thread.start()
    thread.join(max(timeout, 0.1))
    if thread.is_alive():
        raise TimeoutError(host)
    if "error" in result:
        raise result["error"]
    addresses: list[Address] = []
    for _family, _type, _proto, _canon, sockaddr in result["infos"]:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class _Timeout(Exception):
    pass


class Fetcher:
    """Fetches URLs with every SSRF check, redirect recording, and the size and time bounds.

    One fetcher serves one capture (its page and, for the screenshot, everything the page
    loads). ``deadline`` is a ``time.monotonic()`` value shared by all its fetches.
    """

    def __init__(self, *, max_bytes: int, deadline: float, networks: list[Network]) -> None:
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.networks = networks
        # No keep-alive: a connection opened (and TLS-checked) for one host name must never
        # answer for another that happens to share the address. No environment proxies: they
        # would connect somewhere other than the checked address.
        self.client = httpx.Client(
            trust_env=False,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Timeout
        return left

    def _addresses(self, url: httpx.URL, *, hop: int) -> list[Address]:
        host = url.raw_host.decode("ascii")
        try:
            literal: Address | None = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            addresses = [literal]
        else:
            try:
                addresses = _resolve(host, url.port or _default_port(url), self.remaining())
            except TimeoutError as exc:
                raise _Timeout from exc
            except (OSError, UnicodeError) as exc:
                raise _refuse(
                    _("找不到该网址的服务器（域名 %(host)s 无法解析）。") % {"host": url.host},
                    errors.CAPTURE_HOST_NOT_FOUND,
                    hop=hop,
                    url=str(url),
                ) from exc
        if not addresses:
            raise _refuse(
                _("找不到该网址的服务器（域名 %(host)s 无法解析）。") % {"host": url.host},
                errors.CAPTURE_HOST_NOT_FOUND,
                hop=hop,
                url=str(url),
            )
        # Every address must pass, not just one: a name answering both a public and an
        # internal address is exactly what an attacker would set up.
        if not all(address_allowed(address, self.networks) for address in addresses):
            raise _refuse(
                _(
                    "该网址指向内网、本机或保留地址，出于安全原因平台不访问这类地址；"
                    "请填写互联网上公开的网址。"
                ),
                errors.CAPTURE_ADDRESS_BLOCKED,
                hop=hop,
                url=str(url),
            )
        return addresses

    def _request_once(
        self, url: httpx.URL, address: Address, headers: dict[str, str], *, hop: int
    ) -> httpx.Response:
        host_header = url.netloc.decode("ascii")
        pinned = url.copy_with(host=str(address))
        extensions: dict[str, Any] = {}
        if url.scheme == "https":
            extensions["sni_hostname"] = url.raw_host.decode("ascii")
        request = self.client.build_request(
            "GET",
            pinned,
            headers={**headers, "Host": host_header},
            timeout=httpx.Timeout(self.remaining()),
            extensions=extensions,
        )
        response = self.client.send(request, stream=True)
        peer = _peer_address(response)
        if peer is None or peer != address:
            response.close()
            raise _refuse(
                _("连接到的服务器地址与检查过的地址不一致，已中止取证。"),
                errors.CAPTURE_ADDRESS_BLOCKED,
                hop=hop,
                url=str(url),
            )
        return response

    def _open(
        self, url: httpx.URL, headers: dict[str, str], *, hop: int
    ) -> tuple[httpx.Response, Address]:
        addresses = self._addresses(url, hop=hop)
        last: Exception | None = None
        for address in addresses:
            try:
                return self._request_once(url, address, headers, hop=hop), address
            except httpx.TimeoutException as exc:
                raise _Timeout from exc
            except httpx.TransportError as exc:  # refused, reset, TLS failure: try the next
                last = exc
        raise _refuse(
            _("无法连接到该网址的服务器（%(reason)s）。") % {"reason": _reason(last)},
            errors.CAPTURE_UNREACHABLE,
            hop=hop,
            url=str(url),
        )

    def fetch(self, text: str, *, accept: str | None = None) -> Fetched:
        """GET ``text``, following up to :data:`MAX_REDIRECTS` redirects, each hop checked.

        Raises InvalidInput (field ``url``) with a stable code for anything refused.
        """
        try:
            return self._fetch(text, accept=accept)
        except _Timeout as exc:
            raise _refuse(
                _("网页在 %(seconds)s 秒内没有完整返回，已停止取证。")
                % {"seconds": _seconds(capture_timeout())},
                errors.CAPTURE_TIMEOUT,
            ) from exc

    def _fetch(self, text: str, *, accept: str | None) -> Fetched:
        url = check_url(text)
        requested = normalise_url(text)
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": accept or "text/html,application/xhtml+xml,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
        }
        hops: list[Hop] = []
        while True:
            response, address = self._open(url, headers, hop=len(hops))
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES and location:
                    hops.append(Hop(str(url), response.status_code, location, str(address)))
                    if len(hops) > MAX_REDIRECTS:
                        raise _refuse(
                            _("网址跳转超过 %(limit)s 次，已停止取证。") % {"limit": MAX_REDIRECTS},
                            errors.CAPTURE_TOO_MANY_REDIRECTS,
                        )
                    try:
                        target = url.join(location)
                    except (httpx.InvalidURL, ValueError, UnicodeError):
                        target_text = location
                    else:
                        target_text = str(target)
                    url = check_url(target_text, hop=len(hops))
                    continue
                body = self._read(response)
                return Fetched(
                    requested_url=requested,
                    hops=hops,
                    final_url=str(url),
                    status=response.status_code,
                    reason=response.reason_phrase,
                    http_version=response.http_version,
                    address=str(address),
                    headers=_header_pairs(response),
                    body=body,
                    fetched_at=_now_ms(),
                )
            finally:
                response.close()

    def _read(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large(int(declared))
        buffer = bytearray()
        try:
            for chunk in response.iter_bytes():
                buffer += chunk
                if len(buffer) > self.max_bytes:
                    raise self._too_large(None)
                self.remaining()
        except httpx.TimeoutException as exc:
            raise _Timeout from exc
        except httpx.DecodingError as exc:
            raise _refuse(
                _("网页内容的压缩格式无法解码（%(reason)s）。") % {"reason": _reason(exc)},
                errors.CAPTURE_UNREACHABLE,
            ) from exc
        except httpx.TransportError as exc:
            raise _refuse(
                _("读取网页内容时连接中断（%(reason)s）。") % {"reason": _reason(exc)},
                errors.CAPTURE_UNREACHABLE,
            ) from exc
        return bytes(buffer)

    def _too_large(self, size: int | None) -> InvalidInput:
        if size is not None:
            message = _("网页内容太大（%(size)s），网页取证的上限为 %(limit)s。") % {
                "size": filesizeformat(size),
                "limit": filesizeformat(self.max_bytes),
            }
        else:
            message = _("网页内容超过了网页取证的上限 %(limit)s。") % {
                "limit": filesizeformat(self.max_bytes)
            }
        return _refuse(message, errors.CAPTURE_TOO_LARGE)


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def _peer_address(response: httpx.Response) -> Address | None:
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if not peer:
        return None
    try:
        return ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
    except ValueError:
        return None


def _header_pairs(response: httpx.Response) -> list[tuple[str, str]]:
    encoding = response.headers.encoding
    return [(name.decode(encoding), value.decode(encoding)) for name, value in response.headers.raw]


def _reason(exc: BaseException | None) -> str:
    text = str(exc or "").strip() or type(exc).__name__
    return text[:200]


def _seconds(value: float) -> str:
    return f"{value:g}"


def _now_ms() -> dt.datetime:
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


# -- Screenshot -------------------------------------------------------------------------------


@dataclass
class Screenshot:
    """The rendered page, or why there is none (``note``, Chinese: it goes into the record)."""

    png: bytes | None
    note: str = ""
    loaded: bool = False
    browser: str | None = None
    blocked: list[str] = field(default_factory=list)


def take_screenshot(
    fetched: Fetched, *, timeout: float, max_bytes: int, networks: list[Network]
) -> Screenshot:
    """Render ``fetched`` in headless Chromium and take a full-page PNG screenshot.

    Chromium is shown the captured body for the main document; everything else the page loads
    goes through a :class:`Fetcher` (same checks, shared ``max_bytes`` and ``timeout``). Runs
    in a thread of its own: Playwright's sync API keeps an event loop in its thread, which must
    not be the request's (Django refuses ORM calls there). Never raises: without Chromium, or
    when it fails, the capture goes on without a screenshot and ``note`` says why.
    """
    path = chromium_path()
    if path is None:
        return Screenshot(None, "未截图：本服务器没有可用的 Chromium 浏览器。")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return Screenshot(None, "未截图：本服务器没有安装 Playwright。")
    if not _browsers.acquire(timeout=timeout):
        return Screenshot(None, "未截图：截图服务繁忙（同时进行的网页取证过多）。")
    result: dict[str, Screenshot] = {}
    thread = threading.Thread(
        target=_screenshot_worker,
        args=(fetched, path, timeout, max_bytes, networks, result),
        daemon=True,
        name="ipshield-capture-screenshot",
    )
    thread.start()
    thread.join(timeout + 30)  # the browser's own limits stop it well before this
    if thread.is_alive() or "shot" not in result:
        return Screenshot(None, "未截图：浏览器未能在时限内完成截图。")
    return result["shot"]


def _replay_headers(headers: list[tuple[str, str]]) -> dict[str, str]:
    replay: dict[str, str] = {}
    for name, value in headers:
        lower = name.lower()
        if lower in _NOT_REPLAYED or lower == "set-cookie":
            continue
        replay[lower] = value
    return replay


def _screenshot_worker(
    fetched: Fetched,
    path: str,
    timeout: float,
    max_bytes: int,
    networks: list[Network],
    result: dict[str, Screenshot],
) -> None:
    try:
        result["shot"] = _render(fetched, path, timeout, max_bytes, networks)
    except Exception as exc:  # the capture must not fail for the screenshot's sake
        result["shot"] = Screenshot(None, f"未截图：浏览器出错（{_reason(exc)}）。")
    finally:
        _browsers.release()  # here, not in the caller: a browser outliving the wait still counts


def _render(
    fetched: Fetched, path: str, timeout: float, max_bytes: int, networks: list[Network]
) -> Screenshot:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Route, sync_playwright

    shot = Screenshot(None)
    deadline = time.monotonic() + timeout
    budget = {"bytes": max_bytes, "requests": MAX_SUBRESOURCES}
    state = {"main_served": False}
    # A port nothing listens on, held for the browser's lifetime: Chromium's proxy, so that any
    # request escaping the routing below fails instead of reaching the network.
    dead = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    dead.bind(("127.0.0.1", 0))
    dead_port = dead.getsockname()[1]
    fetcher = Fetcher(max_bytes=max_bytes, deadline=deadline, networks=networks)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=path,
                headless=True,
                args=CHROMIUM_ARGS,
                proxy={"server": f"http://127.0.0.1:{dead_port}", "bypass": "<-loopback>"},
                timeout=max(timeout, 5) * 1000,
            )
            shot.browser = f"Chromium {browser.version}"
            try:
                context = browser.new_context(
                    viewport=VIEWPORT,  # type: ignore[arg-type]
                    locale="zh-CN",
                    timezone_id="Asia/Shanghai",
                    service_workers="block",
                    accept_downloads=False,
                )
                page = context.new_page()

                def handle(route: Route) -> None:
                    request = route.request
                    is_main = (
                        not state["main_served"]
                        and request.is_navigation_request()
                        and request.frame == page.main_frame
                    )
                    if is_main:
                        state["main_served"] = True
                        route.fulfill(
                            status=fetched.status,
                            headers=_replay_headers(fetched.headers),
                            body=fetched.body,
                        )
                        return
                    if (
                        request.method != "GET"
                        or budget["requests"] <= 0
                        or time.monotonic() > deadline
                    ):
                        route.abort("blockedbyclient")
                        return
                    budget["requests"] -= 1
                    fetcher.max_bytes = max(budget["bytes"], 0)
                    try:
                        got = fetcher.fetch(request.url, accept=request.headers.get("accept"))
                    except DomainError:
                        if len(shot.blocked) < 50:
                            shot.blocked.append(request.url[:500])
                        route.abort("blockedbyclient")
                        return
                    except Exception:
                        route.abort("failed")
                        return
                    budget["bytes"] -= len(got.body)
                    route.fulfill(
                        status=got.status, headers=_replay_headers(got.headers), body=got.body
                    )

                page.route("**/*", handle)
                remaining_ms = max(deadline - time.monotonic(), 1) * 1000
                try:
                    page.goto(fetched.final_url, wait_until="load", timeout=remaining_ms)
                    shot.loaded = True
                except PlaywrightError:
                    shot.loaded = False  # take what has rendered so far
                height = page.evaluate(
                    "() => Math.max(document.documentElement ? "
                    "document.documentElement.scrollHeight : 0, "
                    "document.body ? document.body.scrollHeight : 0)"
                )
                options: dict[str, Any] = {"type": "png", "timeout": 10_000}
                if isinstance(height, int | float) and height > MAX_SCREENSHOT_HEIGHT:
                    options["clip"] = {
                        "x": 0,
                        "y": 0,
                        "width": VIEWPORT["width"],
                        "height": MAX_SCREENSHOT_HEIGHT,
                    }
                    options["full_page"] = True
                else:
                    options["full_page"] = True
                shot.png = page.screenshot(**options)
                if not shot.loaded:
                    shot.note = "页面未在时限内加载完毕，截图为时限到达时的画面。"
            finally:
                browser.close()
    finally:
        fetcher.close()
        dead.close()
    return shot


# -- The package ------------------------------------------------------------------------------


def _body_name(content_type: str) -> str:
    mime = content_type.split(";", 1)[0].strip().lower()
    suffix = _BODY_SUFFIXES.get(mime) or mimetypes.guess_extension(mime) or ".bin"
    if not (suffix.startswith(".") and suffix[1:].isalnum() and len(suffix) <= 8):
        suffix = ".bin"
    return "body" + suffix


def _part(name: str, data: bytes, **extra: Any) -> dict[str, Any]:
    sha256, sm3, size = file_hashes([data])
    return {"name": name, "sha256": sha256, "sm3": sm3, "size": size, **extra}


def build_package(
    fetched: Fetched, shot: Screenshot, *, max_bytes: int, timeout: float
) -> tuple[bytes, dict[str, Any]]:
    """The zip (取证包) and the ``capture`` object of the leaf (schema in the module docs)."""
    fetched_at = timezone.localtime(fetched.fetched_at)
    headers_json = canonical_json(
        {
            "http_version": fetched.http_version,
            "status": fetched.status,
            "reason": fetched.reason,
            "headers": [[name, value] for name, value in fetched.headers],
        }
    )
    body = _part(_body_name(fetched.content_type), fetched.body)
    body["content_type"] = fetched.content_type
    headers = _part("headers.json", headers_json)
    screenshot = _part("screenshot.png", shot.png) if shot.png is not None else None
    capture: dict[str, Any] = {
        "url": fetched.requested_url,
        "redirects": [hop.as_dict() for hop in fetched.hops],
        "final_url": fetched.final_url,
        "status": fetched.status,
        "address": fetched.address,
        "fetched_at": fetched_at.isoformat(timespec="milliseconds"),
        "body": body,
        "headers": {key: headers[key] for key in ("name", "sha256", "sm3")},
        "screenshot": screenshot,
    }
    if screenshot is None or shot.note:
        capture["screenshot_note"] = shot.note
    manifest = canonical_json(
        {
            "type": MANIFEST_TYPE,
            "version": 1,
            **capture,
            "reason": fetched.reason,
            "http_version": fetched.http_version,
            "screenshot_loaded": shot.loaded if screenshot is not None else None,
            "blocked_subresources": shot.blocked,
            "client": {
                "user_agent": USER_AGENT,
                "httpx": httpx.__version__,
                "browser": shot.browser,
                "viewport": VIEWPORT if screenshot is not None else None,
            },
            "limits": {
                "max_bytes": max_bytes,
                "timeout_seconds": timeout,
                "max_redirects": MAX_REDIRECTS,
            },
        }
    )
    manifest_part = _part("manifest.json", manifest)
    capture["manifest"] = {key: manifest_part[key] for key in ("name", "sha256", "sm3")}

    stamp = fetched_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        entries: list[tuple[str, bytes]] = [
            ("manifest.json", manifest),
            ("headers.json", headers_json),
            (body["name"], fetched.body),
        ]
        if shot.png is not None:
            entries.append(("screenshot.png", shot.png))
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue(), capture


def _package_name(fetched: Fetched) -> str:
    host = httpx.URL(fetched.final_url).host or "web"
    stamp = timezone.localtime(fetched.fetched_at).strftime("%Y%m%d-%H%M%S")
    return f"网页取证-{host[:100]}-{stamp}.zip"


# -- The service ------------------------------------------------------------------------------


def evidence_capture(*, actor: Any, url: str, case: Case | None = None) -> EvidenceItem:
    """Capture the web page at ``url`` and preserve it as one evidence item (its zip).

    Who may: as :func:`evidence.services.evidence_preserve` — a rights holder on their own, or
    for a case its complaint's submitter or the handling unit's staff. Nothing is fetched
    before those checks, nothing is written if the fetch is refused, and the network work
    happens outside any database transaction.

    >>> item = evidence_capture(actor=officer, url="https://shop.example.com/item/1", case=case)
    >>> item.content_type
    'application/zip'
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    if case is None:
        services._check_standalone(actor)
    else:
        services._check_case(actor, case, lock=False)
    max_bytes = capture_max_bytes()
    timeout = capture_timeout()
    networks = allowed_networks()
    with Fetcher(
        max_bytes=max_bytes, deadline=time.monotonic() + timeout, networks=networks
    ) as fetcher:
        fetched = fetcher.fetch(url)
    shot = take_screenshot(fetched, timeout=timeout, max_bytes=max_bytes, networks=networks)
    package, capture = build_package(fetched, shot, max_bytes=max_bytes, timeout=timeout)
    sha256, sm3, size = file_hashes([package])
    name = _package_name(fetched)
    item = EvidenceItem(
        owner=actor,
        original_name=name,
        content_type="application/zip",
        size=size,
        sha256=sha256,
        sm3=sm3,
    )
    with leftovers.writing():
        item.file.save(services._storage_name(item.content_type), ContentFile(package), save=False)
        return services.preserve_stored(
            actor=actor,
            item=item,
            case=case,
            leaf_extra={"type": LEAF_TYPE, "capture": capture},
            case_note=lambda index: (
                _("网页取证：%(url)s（HTTP %(status)s，SHA-256 %(sha)s，存证序号 %(index)s）")
                % {
                    "url": fetched.final_url[:500],
                    "status": fetched.status,
                    "sha": sha256,
                    "index": index,
                }
            ),
        )


def capture_of(item: EvidenceItem) -> dict[str, Any] | None:
    """The ``capture`` object of a web capture's leaf (None for an uploaded file)."""
    leaf = json.loads(item.leaf)
    if leaf.get("type") != LEAF_TYPE:
        return None
    capture = leaf.get("capture")
    return capture if isinstance(capture, dict) else None
