"""Shared fixtures: the site built once by ``make html``, throwaway copies, a browser.

The tests look at what a reader gets: they parse the built HTML and XML, and
drive Debian's chromium (through Playwright) where a real browser matters. The
site is built with the same command as everywhere else, into a temporary
folder; its output log is kept so that a test can require zero warnings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
# The virtual environment running the tests builds the copies too.
VENV = Path(sys.prefix)
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "_build", "__pycache__", ".pytest_cache", "artifacts")


@dataclass
class Build:
    source: Path
    outdir: Path
    returncode: int
    log: str

    @property
    def html(self) -> Path:
        return self.outdir / "html"

    def page(self, path: str) -> BeautifulSoup:
        return BeautifulSoup((self.html / path).read_text(encoding="utf-8"), "lxml")

    @cached_property
    def posts(self) -> list[Post]:
        return sorted(
            (Post.read(path, self.source) for path in (self.source / "posts").glob("*/*.md")),
            key=lambda post: post.date,
            reverse=True,
        )


@dataclass
class Post:
    """A post as its source file declares it."""

    source: Path
    docname: str
    title: str
    date: dt.date
    category: str
    tags: list[str]
    language: str

    @classmethod
    def read(cls, path: Path, project: Path) -> Post:
        front_matter = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        return cls(
            source=path,
            docname=path.relative_to(project).with_suffix("").as_posix(),
            title=front_matter["title"],
            date=front_matter["date"],
            category=front_matter["category"],
            tags=[tag.strip() for tag in front_matter["tags"].split(",")],
            language=front_matter.get("language", "zh-CN"),
        )

    @property
    def html_path(self) -> str:
        return self.docname + ".html"


def make_html(source: Path, outdir: Path, env: dict | None = None) -> Build:
    """Run the project's own build command on ``source``."""
    result = subprocess.run(
        ["make", "--no-print-directory", "html", f"BUILDDIR={outdir}", f"VENV={VENV}"],
        cwd=source,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return Build(source, outdir, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    build = make_html(PROJECT, tmp_path_factory.mktemp("site"))
    assert build.returncode == 0, build.log
    return build


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project to change and build without touching the real one."""
    copy = tmp_path / "project"
    shutil.copytree(PROJECT, copy, ignore=COPY_IGNORE)
    return copy


def write_post(project: Path, relpath: str, front_matter: str, body: str = "正文。\n") -> Path:
    path = project / "posts" / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front_matter.strip()}\n---\n\n{body}", encoding="utf-8")
    return path


# -- Browser -------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
# Headless and offline: no sandbox (tests may run as root), no GPU, no QUIC, no
# background traffic, and no host but 127.0.0.1 resolves (without it Chromium
# still looks up Google hosts).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` as plain static files on 127.0.0.1; yield its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=directory))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(site) -> Iterator[str]:
    """The base URL of the built site, served on a free port of 127.0.0.1."""
    with serve(site.html) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless, driven by Playwright (no downloaded browser)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, or apt-get install the packages in tests/system-packages.txt")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
