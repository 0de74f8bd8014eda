"""Web capture (网页取证) against a real HTTP server on 127.0.0.1, with real Chromium.

The server runs in a thread of the test process (``ThreadingHTTPServer``, port 0). Loopback is
refused by default, so tests that fetch from it allow ``127.0.0.0/8`` the way an administrator
would (``IPSHIELD_CAPTURE_ALLOW_NETWORKS``); the refusal tests run without that allowance.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import socket
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from ipshield.accounts import services as account_services
from ipshield.cases.models import CaseEvent
from ipshield.common.errors import InvalidInput, NotFound, PermissionDenied
from ipshield.evidence import capture, errors, ledger, selectors
from ipshield.evidence.capture import address_allowed, check_url, evidence_capture
from ipshield.evidence.models import EvidenceItem
from ipshield.evidence.receipts import canonical_json, parse_receipt, verify_receipt
from tests.cases.factories import receive

PAGE = (
    "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>保德红枣旗舰店</title>"
    "</head><body style='background:#fff'><h1>保德红枣 特级 500g 正品专卖</h1>"
    "<p>本店“保德红枣”商标由保德县红枣有限公司授权。</p>"
    "<img src='/logo.png' width='40' height='40' alt='logo'></body></html>"
).encode()
CHROMIUM = "/usr/bin/chromium"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xb4\x23\x18" * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


LOGO = _png()


@dataclass
class Site:
    """The test server: its base URL and what it saw (path, Host header, User-Agent)."""

    base: str
    port: int
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    hanging: threading.Event = field(default_factory=threading.Event)  # /hanging was requested

    def url(self, path: str) -> str:
        return self.base + path


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep the test output clean
            pass

        def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            # The client may have given up already (the time-limit tests).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def _redirect(self, status: int, location: str) -> None:
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            path = self.path
            site.seen.append((path, self.headers.get("Host", ""), self.headers.get("User-Agent")))
            if path == "/page":
                self._send(200, PAGE, "text/html; charset=utf-8", X_Shop="保德".encode().hex())
            elif path == "/logo.png":
                self._send(200, LOGO, "image/png")
            elif path == "/redirect":
                self._redirect(302, "/hop2")
            elif path == "/hop2":
                self._redirect(301, f"http://127.0.0.1:{site.port}/page")
            elif path.startswith("/loop"):
                self._redirect(302, f"/loop{len(path)}")
            elif path == "/to-private":
                self._redirect(302, "http://10.20.30.40/admin")
            elif path == "/to-file":
                self._redirect(302, "file:///etc/passwd")
            elif path == "/big-declared":
                self._send(200, b"x" * (2 * 1024 * 1024), "text/plain")
            elif path == "/big-streamed":
                # No Content-Length: HTTP/1.0, the body ends when the connection closes.
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b"y" * 32 * 1024)
            elif path == "/slow":
                site.stop.wait()  # answers only when the test is over: nothing to race against
                self._send(200, b"too late", "text/plain")
            elif path == "/hanging":
                # An image that starts and never finishes: a byte now and then until the test
                # ends. Requesting it is the event the test waits on (see CaptureClock).
                site.hanging.set()
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    while not site.stop.wait(0.05):
                        self.wfile.write(b"\0")
                        self.wfile.flush()
            elif path == "/not-found":
                self._send(404, "页面不存在".encode(), "text/plain; charset=utf-8")
            else:
                self._send(404, b"", "text/plain")

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    port = server.server_address[1]
    site = Site(base=f"http://127.0.0.1:{port}", port=port)
    server.RequestHandlerClass = _handler(site)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield site
    site.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _capture_settings(settings):
    """Fast defaults: no screenshot (the Chromium tests turn it on) and a short time limit."""
    settings.IPSHIELD_CAPTURE_CHROMIUM = ""
    settings.IPSHIELD_CAPTURE_TIMEOUT = 5
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = ""


@pytest.fixture
def loopback(settings) -> None:
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = "127.0.0.0/8"


@pytest.fixture
def chromium(settings) -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Web capture screenshots need Chromium at {CHROMIUM} (Debian package 'chromium').",
            pytrace=False,
        )
    settings.IPSHIELD_CAPTURE_CHROMIUM = CHROMIUM
    # The page loads when it loads: the test waits for that, however busy the machine is. The
    # time limit only ends a test that would otherwise hang.
    settings.IPSHIELD_CAPTURE_TIMEOUT = 120
    return CHROMIUM


class CaptureClock:
    """The capture module's clock for one test: time stands still until ``expired`` is set,
    then the capture's time limit is over at once.

    A capture's time limit counts from before Chromium starts; a test giving it a short
    budget depended on how fast the machine starts a browser. With this clock nothing counts
    until the event the test waits for (``Site.hanging``: Chromium asked for the image), and
    from then on everything is late.
    """

    def __init__(self, expired: threading.Event) -> None:
        self.expired = expired
        self.start = time.monotonic()

    def monotonic(self) -> float:
        return self.start + (10**6 if self.expired.is_set() else 0.0)

    def __getattr__(self, name: str):
        return getattr(time, name)


def _zip(item: EvidenceItem) -> zipfile.ZipFile:
    with item.file.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _leaf(item: EvidenceItem) -> dict:
    return json.loads(item.leaf)


# -- A full capture ---------------------------------------------------------------------------


def test_rights_holder_captures_a_page_through_redirects_with_a_screenshot(
    world, login, site, loopback, chromium
):
    client = login(world.holder_user)
    response = client.post("/evidence/capture/", {"capture-url": site.url("/redirect")})
    item = EvidenceItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/evidence/{item.pk}/"

    leaf = _leaf(item)
    assert leaf["type"] == "evidence.web_capture" and leaf["detected_type"] == "application/zip"
    assert leaf["declared_type"] is None and item.file.name.endswith(".zip")
    shot = leaf["capture"]
    assert shot["url"] == site.url("/redirect")
    assert shot["redirects"] == [
        {"url": site.url("/redirect"), "status": 302, "location": "/hop2", "address": "127.0.0.1"},
        {
            "url": site.url("/hop2"),
            "status": 301,
            "location": site.url("/page"),
            "address": "127.0.0.1",
        },
    ]
    assert shot["final_url"] == site.url("/page") and shot["status"] == 200
    assert shot["fetched_at"].endswith("+08:00")

    # The zip holds exactly what the leaf's hashes say, and the item's hash is the zip's.
    with item.file.open("rb") as handle:
        package = handle.read()
    assert _sha256(package) == item.sha256 == leaf["sha256"] and item.size == len(package)
    archive = zipfile.ZipFile(io.BytesIO(package))
    assert sorted(archive.namelist()) == [
        "body.html",
        "headers.json",
        "manifest.json",
        "screenshot.png",
    ]
    body = archive.read("body.html")
    assert body == PAGE and "保德红枣 特级" in body.decode("utf-8")
    assert shot["body"]["sha256"] == _sha256(PAGE) and shot["body"]["size"] == len(PAGE)
    assert shot["body"]["content_type"] == "text/html; charset=utf-8"
    headers_json = archive.read("headers.json")
    assert shot["headers"]["sha256"] == _sha256(headers_json)
    headers = json.loads(headers_json)
    assert canonical_json(headers) == headers_json and headers["status"] == 200
    assert ["X-Shop", "保德".encode().hex()] in headers["headers"]
    png = archive.read("screenshot.png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert shot["screenshot"]["sha256"] == _sha256(png)
    width, height = struct.unpack(">II", png[16:24])
    assert width == capture.VIEWPORT["width"] and height >= 200
    manifest = json.loads(archive.read("manifest.json"))
    assert shot["manifest"]["sha256"] == _sha256(archive.read("manifest.json"))
    assert manifest["final_url"] == shot["final_url"] and manifest["screenshot_loaded"] is True
    assert manifest["client"]["browser"].startswith("Chromium")

    # Chromium loaded the page's image through the platform's checked fetcher (its user agent),
    # never by itself; the main document was not fetched a second time.
    logo_requests = [seen for seen in site.seen if seen[0] == "/logo.png"]
    assert logo_requests and all(ua == capture.USER_AGENT for _, _, ua in logo_requests)
    assert [seen[0] for seen in site.seen].count("/page") == 1

    # The existing receipt and verify flow work on the zip unchanged.
    receipt = json.loads(client.get(f"/evidence/{item.pk}/receipt.json").content)
    assert receipt["leaf"] == leaf
    public_key = Client().get("/verify/public-key.pem").content
    assert verify_receipt(parse_receipt(receipt), sha256=item.sha256, public_key=public_key).ok
    download = client.get(f"/evidence/{item.pk}/file")
    assert download["Content-Type"] == "application/zip"
    assert _sha256(b"".join(download.streaming_content)) == item.sha256
    verify_page = Client().post(
        "/verify/",
        {"file": io.BytesIO(package), "receipt_text": json.dumps(receipt, ensure_ascii=False)},
    )
    assert "通过：该文件" in verify_page.content.decode()

    detail = client.get(f"/evidence/{item.pk}/").content.decode()
    assert 'data-testid="web-capture"' in detail and site.url("/page") in detail
    assert "下载取证包（ZIP）" in detail and shot["screenshot"]["sha256"] in detail


def test_a_hanging_subresource_does_not_hang_the_screenshot(
    world, site, loopback, chromium, monkeypatch
):
    # The page's image never finishes: once the time limit is over it is given up (and listed
    # as blocked) and the page is shot. The limit ends when Chromium has asked for the image,
    # not after some seconds a busy machine may need just to start the browser.
    monkeypatch.setattr(capture, "time", CaptureClock(expired=site.hanging))
    page = site.url("/page")
    fetched = capture.Fetched(
        requested_url=page,
        hops=[],
        final_url=page,
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        address="127.0.0.1",
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=b"<h1>\xe4\xbf\x9d\xe5\xbe\xb7</h1><img src='/hanging'>",
        fetched_at=capture._now_ms(),
    )
    shot = capture.take_screenshot(
        fetched, timeout=120, max_bytes=1024 * 1024, networks=capture.allowed_networks()
    )
    assert site.hanging.is_set()
    assert shot.png is not None and shot.png.startswith(b"\x89PNG")
    assert shot.blocked == [site.url("/hanging")]


def test_without_chromium_the_capture_succeeds_and_says_no_screenshot(world, site, loopback):
    item = evidence_capture(actor=world.holder_user, url=site.url("/page"))
    shot = _leaf(item)["capture"]
    assert shot["screenshot"] is None and "未截图" in shot["screenshot_note"]
    assert "screenshot.png" not in _zip(item).namelist()
    assert shot["redirects"] == [] and shot["body"]["sha256"] == _sha256(PAGE)


def test_an_error_page_is_captured_with_its_status(world, site, loopback):
    item = evidence_capture(actor=world.holder_user, url=site.url("/not-found"))
    shot = _leaf(item)["capture"]
    assert shot["status"] == 404 and shot["body"]["name"] == "body.txt"
    assert _zip(item).read("body.txt").decode() == "页面不存在"


def test_api_capture_for_a_case_answers_with_the_receipt(world, site, loopback):
    case = receive(world)
    _token, secret = account_services.token_issue(
        actor=world.admin, unit=world.market, name="执法办案系统"
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(
        "/api/v1/evidence/captures",
        {"url": site.url("/redirect"), "case_id": case.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    leaf = body["receipt"]["leaf"]
    assert leaf["type"] == "evidence.web_capture" and leaf["case"] == case.number
    assert len(leaf["capture"]["redirects"]) == 2
    assert body["item"]["sha256"] == leaf["sha256"] and body["item"]["case_number"] == case.number
    download = client.get(f"/api/v1/evidence/{body['item']['id']}/file")
    assert _sha256(b"".join(download.streaming_content)) == leaf["sha256"]
    checked = selectors.verify_public(sha256=leaf["sha256"], receipt=body["receipt"])
    assert checked.ok


def test_officer_captures_for_their_case_from_the_case_page(world, login, site, loopback):
    case = receive(world)
    response = login(world.officer).post(
        f"/evidence/cases/{case.pk}/capture/", {"url": site.url("/page")}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/cases/{case.pk}/#evidence"
    item = EvidenceItem.objects.get()
    assert item.case == case and item.unit == world.market
    note = CaseEvent.objects.filter(case=case).order_by("seq").last()
    assert note is not None and "网页取证" in note.note and item.sha256 in note.note

    stranger = login(world.officer_other).post(
        f"/evidence/cases/{case.pk}/capture/", {"url": site.url("/page")}
    )
    assert stranger.status_code == 404 and EvidenceItem.objects.count() == 1


def test_the_case_panel_and_the_list_page_offer_capture_to_those_who_may(world, login):
    from tests.evidence.test_views import _panel

    case = receive(world)
    assert f'action="/evidence/cases/{case.pk}/capture/"' in _panel(world, world.officer, case)
    assert "case-evidence-capture" not in _panel(world, world.auditor, case)
    assert "case-evidence-capture" not in _panel(world, world.officer_other, case)
    assert (
        'data-testid="evidence-capture"'
        in login(world.holder_user).get("/evidence/").content.decode()
    )
    public = login(world.public_user).get("/evidence/").content.decode()
    assert 'data-testid="evidence-capture"' not in public


# -- Refusals ---------------------------------------------------------------------------------


def _refusal(actor, url: str, code: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        evidence_capture(actor=actor, url=url)
    error = caught.value
    assert error.field == "url" and error.code == code, (error.code, error.message)
    assert EvidenceItem.objects.count() == 0
    return error


@pytest.mark.parametrize(
    ("url", "code", "words"),
    [
        ("http://10.1.2.3/", errors.CAPTURE_ADDRESS_BLOCKED, "内网、本机或保留地址"),
        ("http://192.168.1.1:8080/", errors.CAPTURE_ADDRESS_BLOCKED, "内网、本机或保留地址"),
        ("http://169.254.169.254/latest/", errors.CAPTURE_ADDRESS_BLOCKED, "内网"),
        ("http://[::1]/", errors.CAPTURE_ADDRESS_BLOCKED, "内网"),
        ("http://[::ffff:10.0.0.1]/", errors.CAPTURE_ADDRESS_BLOCKED, "内网"),
        ("http://0.0.0.0/", errors.CAPTURE_ADDRESS_BLOCKED, "内网"),
        ("http://0x7f.1/", errors.CAPTURE_ADDRESS_BLOCKED, "内网"),  # 127.0.0.1 in disguise
        ("http://224.0.0.1/", errors.CAPTURE_ADDRESS_BLOCKED, "内网"),
        ("file:///etc/passwd", errors.CAPTURE_SCHEME_NOT_ALLOWED, "不支持 file://"),
        ("ftp://ftp.example.com/a.zip", errors.CAPTURE_SCHEME_NOT_ALLOWED, "不支持 ftp://"),
        ("javascript:alert(1)", errors.CAPTURE_SCHEME_NOT_ALLOWED, "只能取证 http://"),
        ("http://user:pass@example.com/", errors.CAPTURE_CREDENTIALS_IN_URL, "用户名或密码"),
        ("http://admin@example.com/", errors.CAPTURE_CREDENTIALS_IN_URL, "用户名或密码"),
        ("", errors.CAPTURE_URL_INVALID, "请填写要取证的网址"),
        ("http://exa mple.com/", errors.CAPTURE_URL_INVALID, "空格"),
        ("https://" + "a" * 3000 + ".com/", errors.CAPTURE_URL_INVALID, "网址太长"),
    ],
)
def test_refused_urls_name_the_url_field(world, url, code, words):
    error = _refusal(world.holder_user, url, code)
    assert words in str(error.message)


def test_loopback_is_refused_unless_the_administrator_allows_it(world, site, settings):
    error = _refusal(world.holder_user, site.url("/page"), errors.CAPTURE_ADDRESS_BLOCKED)
    assert "内网、本机或保留地址" in str(error.message)
    assert site.seen == []  # refused before any connection
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = "10.0.0.0/8, 127.0.0.0/8"
    assert evidence_capture(actor=world.holder_user, url=site.url("/page")).pk


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(world, site, loopback):
    error = _refusal(world.holder_user, site.url("/to-private"), errors.CAPTURE_ADDRESS_BLOCKED)
    assert "第 1 次跳转" in str(error.message) and "10.20.30.40" in str(error.message)
    assert error.details["hop"] == 1


def test_a_redirect_to_a_file_url_is_refused(world, site, loopback):
    error = _refusal(world.holder_user, site.url("/to-file"), errors.CAPTURE_SCHEME_NOT_ALLOWED)
    assert "第 1 次跳转" in str(error.message)


def test_more_than_five_redirects_are_refused(world, site, loopback):
    error = _refusal(world.holder_user, site.url("/loop"), errors.CAPTURE_TOO_MANY_REDIRECTS)
    assert "超过 5 次" in str(error.message)
    assert len([seen for seen in site.seen if seen[0].startswith("/loop")]) == 6


@pytest.mark.parametrize("path", ["/big-declared", "/big-streamed"])
def test_an_oversized_page_is_refused_while_reading(world, site, loopback, settings, path):
    settings.IPSHIELD_CAPTURE_MAX_MB = 1
    error = _refusal(world.holder_user, site.url(path), errors.CAPTURE_TOO_LARGE)
    assert "1.0\xa0MB" in str(error.message)


def test_a_slow_page_is_refused_after_the_time_limit(world, site, loopback, settings):
    settings.IPSHIELD_CAPTURE_TIMEOUT = 1
    # /slow answers only after the test: a refusal can only come from the time limit.
    error = _refusal(world.holder_user, site.url("/slow"), errors.CAPTURE_TIMEOUT)
    assert "1 秒内没有完整返回" in str(error.message)


def test_an_unresolvable_or_closed_server_is_refused(world, loopback):
    _refusal(world.holder_user, "http://no-such-host.invalid/", errors.CAPTURE_HOST_NOT_FOUND)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    try:
        port = closed.getsockname()[1]
        _refusal(world.holder_user, f"http://127.0.0.1:{port}/", errors.CAPTURE_UNREACHABLE)
    finally:
        closed.close()


def test_api_refusals_carry_the_code_and_the_url_field(world, login):
    client = login(world.holder_user)
    for url, code in [
        ("http://127.0.0.1/", errors.CAPTURE_ADDRESS_BLOCKED),
        ("file:///etc/passwd", errors.CAPTURE_SCHEME_NOT_ALLOWED),
        ("https://u:p@example.com/", errors.CAPTURE_CREDENTIALS_IN_URL),
    ]:
        response = client.post(
            "/api/v1/evidence/captures", {"url": url}, content_type="application/json"
        )
        assert response.status_code == 400, url
        body = response.json()
        assert body["code"] == code and body["field"] == "url" and body["message"]


def test_the_page_form_shows_the_refusal_next_to_the_url(world, login):
    response = login(world.holder_user).post(
        "/evidence/capture/", {"capture-url": "http://192.168.0.1/"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field="url"' in html and "内网、本机或保留地址" in html
    assert 'value="http://192.168.0.1/"' in html  # the input is kept


def test_who_may_capture(world, login):
    case = receive(world, unit=world.other_market)
    with pytest.raises(PermissionDenied):
        evidence_capture(actor=world.public_user, url="https://example.com/")
    with pytest.raises(PermissionDenied):  # an officer must capture for a case
        evidence_capture(actor=world.officer, url="https://example.com/")
    with pytest.raises(NotFound):  # not their unit's case (checked before any fetch)
        evidence_capture(actor=world.officer, url="https://example.com/", case=case)


# -- The address checks themselves --------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT: not global
        ("169.254.169.254", False),
        ("0.0.0.0", False),  # noqa: S104
        ("255.255.255.255", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
    ],
)
def test_address_allowed(address, allowed):
    assert address_allowed(address) is allowed


def test_allowed_networks_exempt_only_their_addresses(settings):
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = "127.0.0.0/8"
    networks = capture.allowed_networks()
    assert address_allowed("127.0.0.1", networks) and address_allowed("::ffff:127.0.0.2", networks)
    assert not address_allowed("::1", networks) and not address_allowed("10.0.0.1", networks)
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = "127.0.0.0/8, intranet"
    with pytest.raises(ImproperlyConfigured, match="intranet"):
        capture.allowed_networks()


def test_urls_without_a_scheme_get_https():
    assert str(check_url(" www.example.com/红枣?q=1#top ")) == (
        "https://www.example.com/%E7%BA%A2%E6%9E%A3?q=1"
    )
    assert str(check_url("example.com:8080/a")) == "https://example.com:8080/a"


# -- DNS rebinding ------------------------------------------------------------------------------


def test_the_connection_goes_to_the_checked_address(world, site, loopback, monkeypatch):
    """A name resolved once to an allowed address is connected to there, whatever DNS says next.

    Only DNS is simulated (a rebinding resolver needs a DNS server we control); the HTTP is the
    real server's.
    """
    real = socket.getaddrinfo
    calls: list[str] = []

    def rebinding(host, port, *args, **kwargs):
        if host == "shop.rebind.test":
            calls.append(host)
            target = "127.0.0.1" if len(calls) == 1 else "10.9.8.7"
            return real(target, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"http://shop.rebind.test:{site.port}/page"
    item = evidence_capture(actor=world.holder_user, url=url)
    shot = _leaf(item)["capture"]
    assert shot["final_url"] == url and shot["address"] == "127.0.0.1"
    assert calls == ["shop.rebind.test"]  # resolved once, by us, never by the HTTP client
    assert site.seen[-1][:2] == ("/page", f"shop.rebind.test:{site.port}")  # Host kept

    # Each redirect hop is resolved and checked again: /redirect sends the client to /hop2 on
    # the same name, which now answers an internal address; that hop is refused.
    calls.clear()
    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"http://shop.rebind.test:{site.port}/redirect"
    with pytest.raises(InvalidInput) as caught:
        evidence_capture(actor=world.holder_user, url=url)
    assert caught.value.code == errors.CAPTURE_ADDRESS_BLOCKED
    assert caught.value.details["hop"] == 1 and len(calls) == 2


def test_the_ledger_gets_nothing_from_a_refused_capture(world):
    before = ledger.evidence_log().size
    with pytest.raises(InvalidInput):
        evidence_capture(actor=world.holder_user, url="http://10.0.0.1/")
    assert ledger.evidence_log().size == before
