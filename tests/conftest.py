"""Shared fixtures: the site built once by ``make html``, throwaway copies, a browser.

The tests look at what a reader gets: they parse the built HTML and XML, and
drive Debian's chromium (through Playwright) where a real browser matters. The
site is built with the same command as everywhere else, into a temporary
folder; its output log is kept so that a test can require zero warnings.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
# Small blogs made for the tests of the engine's features, laid out as Sphinx's
# test roots, built with the project's own make html.
ROOTS = Path(__file__).resolve().parent / "roots"
# Their conf.py reads the project's settings and templates from here, wherever they are copied.
os.environ["PAPER_NOTES_PROJECT"] = str(PROJECT)
# One static server for the browser tests and make audit: as Read the Docs serves.
sys.path.insert(0, str(PROJECT / "audit"))
from sample_site import COPY_IGNORE  # noqa: E402
from static_server import serve  # noqa: E402

# The author's time zone (blog_timezone): a post dated after today there is not published.
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The virtual environment running the tests builds the copies too.
VENV = Path(sys.prefix)


@dataclass
class Build:
    source: Path
    outdir: Path
    returncode: int
    log: str

    @property
    def html(self) -> Path:
        return self.outdir / "html"

    @property
    def base_url(self) -> str:
        """The site's canonical address, as its home page gives it."""
        canonical = self.page("index.html").select_one("link[rel=canonical]")["href"]
        return canonical.removesuffix("index.html")

    def page(self, path: str) -> BeautifulSoup:
        return BeautifulSoup((self.html / path).read_text(encoding="utf-8"), "lxml")

    @cached_property
    def posts(self) -> list[Post]:
        """The published posts, newest first, as their files declare them."""
        posts = (Post.read(path, self.source) for path in (self.source / "posts").glob("*/*.md"))
        return sorted((post for post in posts if not post.draft), key=lambda post: post.date, reverse=True)


@dataclass
class Post:
    """A post as its source file declares it."""

    source: Path
    docname: str
    title: str
    date: dt.date
    category: str | None
    tags: list[str]
    language: str
    draft: bool

    @classmethod
    def read(cls, path: Path, project: Path) -> Post:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        front_matter = yaml.safe_load(text.split("---\n")[1])
        return cls(
            source=path,
            docname=path.relative_to(project).with_suffix("").as_posix(),
            title=front_matter["title"],
            date=front_matter["date"],
            category=front_matter.get("category"),
            tags=[tag.strip() for tag in front_matter.get("tags", "").split(",") if tag.strip()],
            language=front_matter.get("language", "zh-CN"),
            draft=front_matter.get("draft", False) is True or front_matter["date"] > dt.datetime.now(SHANGHAI).date(),
        )

    @property
    def html_path(self) -> str:
        return self.docname + ".html"


def make_html(source: Path, outdir: Path, env: dict | None = None, preview: bool = False) -> Build:
    """Run the project's own build command on ``source`` (in preview mode: drafts too).

    ``source`` is a copy of the project, or a test blog built with this project's Makefile.
    """
    options = ["SPHINXOPTS=-n -W --keep-going -t preview"] if preview else []
    project = source if (source / "Makefile").is_file() else PROJECT
    result = subprocess.run(
        ["make", "--no-print-directory", "html", f"SOURCEDIR={source}", f"BUILDDIR={outdir}", f"VENV={VENV}", *options],
        cwd=project,
        capture_output=True,
        text=True,
        # Plain text logs to parse: Sphinx colours its output when CI is set.
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )
    return Build(source, outdir, result.returncode, result.stdout + result.stderr)


def built(source: Path, outdir: Path, env: dict | None = None, preview: bool = False) -> Build:
    """``make_html`` that must succeed: a failed build fails the test with its log."""
    build = make_html(source, outdir, env, preview)
    assert build.returncode == 0, build.log
    return build


# The build command with feeds in full text (blog_feed_fulltext), for make_html's env.
FULL_TEXT_FEEDS = {"SPHINXOPTS": "-n -W --keep-going -D blog_feed_fulltext=1"}


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    build = built(PROJECT, tmp_path_factory.mktemp("site"))
    return build


RTD_CANONICAL_URL = "https://example.readthedocs.io/zh-cn/latest/"
# What Read the Docs sets in a build of version "latest" of a project "example".
RTD_ENVIRONMENT = {
    "READTHEDOCS": "True",
    "READTHEDOCS_PROJECT": "example",
    "READTHEDOCS_LANGUAGE": "zh-cn",
    "READTHEDOCS_VERSION": "latest",
    "READTHEDOCS_VERSION_TYPE": "branch",
    "READTHEDOCS_CANONICAL_URL": RTD_CANONICAL_URL,
}


def read_the_docs_build(source: Path, output: Path) -> Build:
    """Run the HTML build commands of .readthedocs.yaml as Read the Docs does."""
    config = yaml.safe_load((source / ".readthedocs.yaml").read_text(encoding="utf-8"))
    env = {
        **os.environ,
        **RTD_ENVIRONMENT,
        "READTHEDOCS_OUTPUT": str(output),
        # Read the Docs runs the commands with its virtual environment first on PATH.
        "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}",
    }
    log, returncode = "", 0
    for command in config["build"]["jobs"]["build"]["html"]:
        result = subprocess.run(["bash", "-c", command], cwd=source, capture_output=True, text=True, env=env)
        log += f"$ {command}\n{result.stdout}{result.stderr}"
        returncode = returncode or result.returncode
    return Build(source, output, returncode, log)


@pytest.fixture(scope="session")
def rtd_site(tmp_path_factory) -> Build:
    """The site as Read the Docs builds it, from a copy of the project."""
    root = tmp_path_factory.mktemp("rtd")
    shutil.copytree(PROJECT, root / "project", ignore=COPY_IGNORE)
    build = read_the_docs_build(root / "project", root / "output")
    assert build.returncode == 0, build.log
    return build


def copy_root(name: str, target: Path) -> Path:
    """A copy of the test blog ``tests/roots/test-<name>`` to change and build."""
    shutil.copytree(ROOTS / f"test-{name}", target)
    return target


@pytest.fixture
def blog_copy(tmp_path) -> Path:
    """A copy of the small test blog (``tests/roots/test-blog``)."""
    return copy_root("blog", tmp_path / "blog")


@pytest.fixture
def features_copy(tmp_path) -> Path:
    """A copy of the feature tests' blog (``tests/roots/test-features``) to change and build."""
    return copy_root("features", tmp_path / "features")


@pytest.fixture(scope="session")
def features(tmp_path_factory) -> Build:
    """The feature tests' blog built once by ``make html``, for the tests that only read it.

    Built from a copy outside any git checkout: no post has an "updated on" date.
    """
    folder = tmp_path_factory.mktemp("features")
    return built(copy_root("features", folder / "blog"), folder / "out")


@pytest.fixture(scope="session")
def features_full_text(tmp_path_factory) -> Build:
    """The feature tests' blog with feeds in full text (``blog_feed_fulltext``)."""
    folder = tmp_path_factory.mktemp("features-full-text")
    return built(copy_root("features", folder / "blog"), folder / "out", FULL_TEXT_FEEDS)


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


@pytest.fixture(scope="session")
def served_rtd_site(rtd_site):
    """The Read the Docs build, served under its canonical path with its 404 page."""
    with serve(rtd_site.html, prefix=urlsplit(rtd_site.base_url).path, not_found="404.html") as url:
        yield url.rstrip("/")


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


# Pages in a browser: the screen sizes, a fresh context per page with its log, axe-core.
AXE = PROJECT / "audit" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDE = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 412, "height": 915}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test`, or `npm ci --prefix audit` (audit/package.json pins axe-core)")
    return AXE.read_text(encoding="utf-8")


@dataclass
class PageLog:
    """What a page requested, and what went wrong: failed loads, console errors and warnings."""

    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def record(self, page) -> None:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("console", lambda m: self.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))


@pytest.fixture
def new_page(browser):
    """Opens a page in a fresh browser context; returns it with its log."""
    contexts = []

    def open_page(url: str, blocked: str | None = None, **context_options):
        context = browser.new_context(**{**WIDE, **context_options})
        contexts.append(context)
        if blocked:
            context.route(blocked, lambda route: route.abort())
        page = context.new_page()
        log = PageLog()
        log.record(page)
        page.goto(url)
        settle(page)
        return page, log

    yield open_page
    for context in contexts:
        context.close()


def settle(page, network_idle: bool = False) -> None:
    """Wait until the page is shown: loaded, fonts ready, the search page's results in.

    With ``network_idle``, until nothing has been requested for half a second.
    """
    page.wait_for_load_state("networkidle" if network_idle else "load")
    page.evaluate("document.fonts.ready.then(() => true)")
    if "search.html?q=" in page.url:
        page.locator(".post-search-results--done").wait_for()


def run_axe(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}: {[node['target'] for node in violation['nodes']]}"
        for violation in result["violations"]
    ]
