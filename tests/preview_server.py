"""`make livehtml` run in a throwaway copy, and Debian's chromium to watch it.

Shared by the live preview tests and the benchmark that times them.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import VENV

CHROMIUM = "/usr/bin/chromium"
# Offline and quiet: no lookups of other hosts, no background traffic.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page, or None while the server is not up or is rewriting the file."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.IncompleteRead):
        return None


class Server:
    def __init__(self, project: Path, log: Path):
        self.project = project
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def log_tail(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-3000:]

    def wait_for(self, condition: Callable[[], object], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError(f"make livehtml exited ({self.process.returncode}):\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {timeout} s\n{self.log_tail()}")
            time.sleep(0.05)

    def page(self, path: str) -> str | None:
        return fetch(self.url + path)


@contextmanager
def livehtml(project: Path, startup_timeout: float = 300) -> Iterator[Server]:
    """``make livehtml`` on a free port of ``project``, serving once its first build is done."""
    server = Server(project, project.parent / "livehtml.log")
    with server.log.open("w") as log:
        server.process = subprocess.Popen(
            ["make", "--no-print-directory", "livehtml", f"PORT={server.port}", f"VENV={VENV}"],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: make, sphinx-autobuild and its builds stop together.
            start_new_session=True,
        )
    try:
        server.wait_for(lambda: server.page("index.html"), startup_timeout, "the first build served")
        yield server
    finally:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=30)


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(text)
