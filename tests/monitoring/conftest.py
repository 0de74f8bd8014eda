"""Each monitoring test gets its own data directory (imports, evidence ledger) and, when asked, a
real local marketplace site to capture listing pages from."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ipshield.evidence import ledger
from ipshield.monitoring import detection, register


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Iterator[Path]:
    directory = tmp_path / "data"
    directory.mkdir()
    settings.DATA_DIR = directory
    settings.MEDIA_ROOT = directory / "uploads"
    detection.forget_index()
    register.forget()
    yield directory
    ledger.close_all()
    detection.forget_index()
    register.forget()


class Shop:
    """A marketplace on 127.0.0.1 serving ``/item/<n>`` pages (anything else: 404)."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/item/"):
            body = (
                "<html><head><meta charset='utf-8'><title>康帅傅 红烧牛肉面</title></head>"
                "<body><h1>康帅傅 红烧牛肉面 整箱 24 袋</h1><p>¥19.90</p></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def shop(settings) -> Iterator[Shop]:
    settings.IPSHIELD_CAPTURE_ALLOW_NETWORKS = "127.0.0.0/8"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Shop(server)
    server.shutdown()
    server.server_close()
