"""A static host for the benchmark: serves a built site on 127.0.0.1, gzipped as a static host
(nginx with `gzip on` and the usual gzip_types) would serve it, and logs every response.

The search box's index is fetched by Pagefind's Web Worker (and Material's search index is fed to
one), whose requests the page's DevTools session does not see: the server sees everything, so
the bytes are counted here.

- Text types (HTML, CSS, JavaScript, JSON, SVG, XML, plain text) are gzipped (level 6, the level
  most hosts use) when the request says Accept-Encoding: gzip, compressed once and kept.
- Everything else is sent as it is: Pagefind's .pf_* and .pagefind files (its index, fragments
  and wasm) are gzip streams already (gzipping them again saves nothing: see gzip_gain), fonts
  and images are compressed formats.
- Each response is logged as (arrival time, end time, path, status, body bytes, encoding); times
  are time.time(), the clock a page's Date.now() reads.
"""

from __future__ import annotations

import gzip
import mimetypes
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
         ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml", ".wasm": "application/wasm",
         ".woff2": "font/woff2", ".map": "application/json", ".xml": "application/xml", ".txt": "text/plain",
         ".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
         ".pf_fragment": "application/octet-stream", ".pf_filter": "application/octet-stream",
         ".pagefind": "application/octet-stream"}
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
LEVEL = 6


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def compressible(path: Path) -> bool:
    return content_type(path).startswith(COMPRESSIBLE)


def served_bytes(path: Path) -> int:
    """The bytes a host with gzip on sends for this file."""
    data = path.read_bytes()
    return len(gzip.compress(data, LEVEL)) if compressible(path) else len(data)


@dataclass(frozen=True)
class Hit:
    start: float
    end: float
    path: str
    status: int
    bytes: int
    encoding: str


class SiteServer:
    """with SiteServer(site) as server: server.url, server.log (a list of Hit), server.clear()."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        self._gzipped: dict[Path, bytes] = {}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as browsers and hosts use

            def log_message(self, *args):
                pass

            def do_GET(self):
                start = time.time()
                path = unquote(urlsplit(self.path).path)
                file = owner.resolve(path)
                if file is None:
                    body = b"not found"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    owner.record(Hit(start, time.time(), path, 404, len(body), ""))
                    return
                gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "") and compressible(file)
                body = owner.gzipped(file) if gzip_ok else file.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", content_type(file))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-cache")
                if gzip_ok:
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                owner.record(Hit(start, time.time(), path, 200, len(body), "gzip" if gzip_ok else ""))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def resolve(self, path: str) -> Path | None:
        target = (self.root / path.lstrip("/")).resolve()
        if target != self.root and self.root not in target.parents:
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def gzipped(self, file: Path) -> bytes:
        """Compressed once per file, as a host with gzip_static (or a cache in front) serves it."""
        with self._lock:
            data = self._gzipped.get(file)
        if data is None:
            data = gzip.compress(file.read_bytes(), LEVEL)
            with self._lock:
                self._gzipped[file] = data
        return data

    def warm(self, files) -> None:
        """Compress these files ahead of the measurements (a host compresses ahead of time too)."""
        for file in files:
            if compressible(file):
                self.gzipped(file.resolve())

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.log.append(hit)

    def clear(self) -> None:
        with self._lock:
            self.log.clear()

    def hits(self) -> list[Hit]:
        with self._lock:
            return list(self.log)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()


def gzip_gain(files) -> float:
    """Bytes saved by gzipping these (already compressed) files again, as a fraction."""
    raw = packed = 0
    for file in files:
        data = file.read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data, LEVEL))
    return 1 - packed / raw if raw else 0.0
