"""Serve a built site from 127.0.0.1 the way Read the Docs does.

Gzip for text files, caching headers, the site under a path prefix
(``/zh-cn/latest/``) if asked, and its ``404.html`` for any missing address.
Used by ``make audit`` (Lighthouse measures what a reader's browser would
transfer) and by the browser tests. Run alone to look at a build:
``python audit/static_server.py _build/html 8000``.
"""

from __future__ import annotations

import gzip
import io
import sys
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".inv", ".pf_meta"}


class Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, prefix: str = "/", not_found: str | None = None, **kwargs):
        self.prefix = prefix
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=1200")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        inside = path.removeprefix(self.prefix) if path.startswith(self.prefix) else "\0missing"
        return super().translate_path("/" + inside)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() and self.not_found:
            return self.send_file(Path(self.directory) / self.not_found, status=404)
        if not path.is_file():
            return super().send_head()
        return self.send_file(path)

    def send_file(self, path: Path, status: int = 200):
        body = path.read_bytes()
        compress = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in COMPRESSIBLE
        if compress:
            body = gzip.compress(body, compresslevel=6)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(root: Path, prefix: str = "/", not_found: str | None = None, port: int = 0):
    """Serve ``root`` at ``prefix`` on 127.0.0.1 in a thread; yields the server's base URL."""
    handler = partial(Handler, directory=str(root), prefix=prefix, not_found=not_found)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    root, port = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 8000
    with serve(root, port=port) as url:
        print(f"Serving {root} at {url}")
        threading.Event().wait()
