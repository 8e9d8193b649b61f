"""Full-text search of the published posts, indexed by Pagefind after the build.

Sphinx's own search does not serve a Chinese blog: the browser does not
segment the query (梯度上升 finds nothing, 梯度 上升 does) and the theme loads
the whole index on every page. Pagefind's extended binary (shipped in the
``pagefind_bin_extended`` wheel) segments Chinese when indexing and in the
reader's browser, and splits the index into chunks fetched per query.

- Sphinx's indexer is switched off (no ``searchindex.js``); the search page is
  still written, from ``_templates/search.html``, and ``_static/search.js``
  runs the searches in the page.
- A published post's section headings carry their section's id: Pagefind
  takes the anchors of its results from headings only.
- As soon as their pages are written, the pages of the posts that ablog
  lists as published are copied to a staging folder and indexed there, so
  that drafts and pages left in the output by earlier builds are never
  indexed; Pagefind runs while Sphinx writes the other pages and the feeds.
- The index is split into Pagefind bundles of ``post_search_bundle_posts``
  posts, by date from the oldest (``pagefind/001/``, ``pagefind/002/``...),
  listed newest first in ``pagefind/shards.json``: ``_static/search.js``
  searches the newest and merges the others into it (Pagefind's
  ``mergeIndex``). A bundle is made again only when what Pagefind reads of
  its posts (their language, title and article) changed, a post joined or
  left it, or this module's code changed: editing a post indexes its
  bundle's posts, not the whole blog.
  Each bundle costs a query its own chunks of the index, so bundles are no
  smaller than that: a small blog has one.
- Every post goes into one index of ``post_search_language``: Pagefind keeps
  one index per page language and searches the reader's page language only,
  which would hide the English posts from the Chinese search page.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ablog.blog import Blog, Post
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ..build.code_versions import source_version
from ..build.incremental import documents_to_write, keep_collected_page
from ..build.output_files import write_if_changed
from . import chinese_scripts  # Either Chinese script finds a note: the index is in Simplified characters.

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
# The bundles, newest first, for _static/search.js.
SHARDS_FILE = "shards.json"
# What each bundle was made from, beside Sphinx's environment.
STATE_FILE = "pagefind-shards.json"
# Pagefind's own search interfaces: the site searches with its JavaScript API.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)  # fmt: skip
# Pagefind's code, which a merged bundle does not need: the newest bundle's
# code searches them all.
CODE_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
HTML_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
# An element Pagefind skips whole (one that holds no element of its own kind), and data scripts.
NOT_INDEXED = re.compile(
    r'<(?P<tag>div|section|aside|nav)\b[^>]*\bdata-pagefind-ignore="all"[^>]*>.*?</(?P=tag)>'
    r'|<script type="application/json"[^>]*>.*?</script>',
    re.DOTALL,
)
# docutils puts a section's first id on <section>; any other ids come as empty
# <span>s before its heading.
SECTION_HEADING = re.compile(
    r'<section(?P<attrs>[^>]*?) id="(?P<id>[^"]+)"(?P<rest>[^>]*)>'
    r'(?P<between>\s*(?:<span id="[^"]*"></span>)*)<h(?P<level>[1-6])>'
)


def is_html_builder(app: Sphinx) -> bool:
    return isinstance(app.builder, StandaloneHTMLBuilder) and app.builder.format == "html"


def pagefind_binary() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise ExtensionError(
            "search: the package pagefind_bin_extended is missing; install requirements.txt"
        ) from None
    return get_executable()


def switch_off_sphinx_search(app: Sphinx) -> None:
    if is_html_builder(app):
        app.builder.search = False


def search_page(app: Sphinx):
    if is_html_builder(app) and not keep_collected_page(app, "search", "search.html"):
        yield "search", {}, "search.html"


def ids_on_headings(body: str) -> str:
    """Move each section's id onto its heading, where Pagefind looks for anchors."""
    return SECTION_HEADING.sub(
        lambda m: f'<section{m["attrs"]}{m["rest"]}>{m["between"]}<h{m["level"]} id="{m["id"]}">', body
    )


def add_heading_ids(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is not None and pagename in Blog(app).posts and "body" in context:
        context["body"] = ids_on_headings(context["body"])


def bundle_names(app: Sphinx, posts: list[Post]) -> dict[str, str]:
    """Each post's bundle: the posts by date, oldest first, ``post_search_bundle_posts`` to a bundle.

    Bundles are numbered from the oldest (``001``), so that a new post
    changes the newest bundle alone (or starts a new one).
    """
    size = app.config.post_search_bundle_posts
    ordered = sorted(posts, key=lambda post: (post.date, post.docname))
    return {post.docname: f"{1 + position // size:03d}" for position, post in enumerate(ordered)}


def indexed_part(page: Path, root: tuple[str, str]) -> str:
    """What Pagefind reads of a post's page: its language, title and root element."""
    text = page.read_text(encoding="utf-8")
    tag, css_class = root
    start = re.search(rf'<{tag}\b[^>]*class="[^"]*\b{re.escape(css_class)}\b', text)
    if start is None:
        raise ExtensionError(f"search: {page} has no <{tag} class={css_class!r}>, the post_search_root")
    head = text[: text.index(">", text.index("<html")) + 1] + (HTML_TITLE.search(text) or [""])[0]
    # What it skips (the lists of other notes, the previews' data) changes with other
    # posts: it must not make this post's bundle be indexed again.
    return head + NOT_INDEXED.sub("", text[start.start() : text.rindex(f"</{tag}>")])


def index_shard(app: Sphinx, pages: list[Path], bundle: Path, primary: bool) -> None:
    outdir = Path(app.outdir)
    shutil.rmtree(bundle, ignore_errors=True)
    with tempfile.TemporaryDirectory() as staging:
        for page in pages:
            (Path(staging) / page).parent.mkdir(parents=True, exist_ok=True)
            chinese_scripts.stage_page(outdir / page, Path(staging) / page)  # a copy, in Simplified characters
        command = [
            str(pagefind_binary()),
            "--site", staging,
            "--output-path", str(bundle),
            "--root-selector", app.config.post_search_root,
            "--exclude-selectors", ", ".join(app.config.post_search_exclude),
            "--force-language", app.config.post_search_language,
            "--quiet",
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ExtensionError(f"search: Pagefind failed:\n{result.stdout}{result.stderr}")
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    if indexed != len(pages):
        raise ExtensionError(
            f"search: Pagefind indexed {indexed} pages of {bundle.name}, but ablog lists {len(pages)}"
            f" published posts (is {app.config.post_search_root!r} on every post page?)"
        )
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    if not primary:
        for pattern in CODE_FILES:
            for path in bundle.glob(pattern):
                path.unlink()


class Indexing:
    """This build's index: each bundle made as soon as its posts are written.

    The bundles whose posts this build does not write are checked when
    writing starts; a bundle is checked once its last post page is
    written (``documents-written``), and the rest when every document is
    (``html-collect-pages``). Pagefind runs beside the rest of the build, one
    process per bundle.
    """

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.outdir = Path(app.outdir)
        self.root = search_root(app.config.post_search_root)
        self.shards: dict[str, list[str]] = {}  # bundle -> its posts' pages
        self.shard_of: dict[str, str] = {}
        posts = list(Blog(app).posts)
        bundle_of_post = bundle_names(app, posts)
        for post in posts:
            page = Path(app.builder.get_outfilename(post.docname)).relative_to(self.outdir).as_posix()
            shard = bundle_of_post[post.docname]
            self.shards.setdefault(shard, []).append(page)
            self.shard_of[post.docname] = shard
        try:
            state = json.loads((Path(app.doctreedir) / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
        self.settings = [
            app.config.post_search_root,
            app.config.post_search_exclude,
            app.config.post_search_language,
            source_version(__file__),
            chinese_scripts.version(),
        ]
        self.old = state if state.get("settings") == self.settings else {}
        # What Pagefind reads of a page, by the page's file stamp: only the
        # pages this build wrote are read again.
        self.known = {tuple(item[:3]): item[3] for item in self.old.get("pages", [])}
        self.pages_read: list[list] = []
        self.inputs: dict[str, dict] = {}
        self.newest = max(self.shards, default=None)
        writing = documents_to_write(app)
        self.pending = {
            shard: {docname for docname, of in self.shard_of.items() if of == shard}
            & (set(self.shard_of) if writing is None else writing)
            for shard in self.shards
        }
        self.written: list[str] = []
        self.runs: list[concurrent.futures.Future] = []
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
        for shard in sorted(shard for shard, pending in self.pending.items() if not pending):
            self.start(shard)

    def start(self, shard: str) -> None:
        self.pending.pop(shard)
        parts = []
        for page in sorted(self.shards[shard]):
            # String paths: this runs for every post.
            stat = os.stat(os.path.join(self.outdir, page))
            stamp = (page, stat.st_mtime_ns, stat.st_size)
            part = self.known.get(stamp) or hashlib.blake2b(
                indexed_part(self.outdir / page, self.root).encode(), digest_size=16
            ).hexdigest()
            self.pages_read.append([*stamp, part])
            parts.append([page, part])
        self.inputs[shard] = {"primary": shard == self.newest, "pages": parts}
        bundle = self.outdir / INDEX_DIR / shard
        if self.old.get("bundles", {}).get(shard) != self.inputs[shard] or not (bundle / "pagefind-entry.json").is_file():
            pages = [Path(page) for page in self.shards[shard]]
            self.runs.append(self.pool.submit(index_shard, self.app, pages, bundle, shard == self.newest))
            self.written.append(shard)

    def documents_written(self, docnames: list[str]) -> None:
        for docname in docnames:
            shard = self.shard_of.get(docname)
            if shard in self.pending:
                self.pending[shard].discard(docname)
                if not self.pending[shard]:
                    self.start(shard)

    def start_rest(self) -> None:
        for shard in sorted(self.pending):
            self.start(shard)

    def finish(self, exception: Exception | None) -> None:
        """Wait for the bundles, drop those that are gone, list them."""
        self.pool.shutdown(wait=True)
        if exception is not None:
            return
        for run in self.runs:
            run.result()
        index_dir = self.outdir / INDEX_DIR
        for stale in index_dir.iterdir() if index_dir.is_dir() else []:
            if stale.name not in self.shards and stale.name != SHARDS_FILE:
                shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        listing = json.dumps({"bundles": [f"{shard}/" for shard in sorted(self.shards, reverse=True)]}) + "\n"
        write_if_changed(index_dir / SHARDS_FILE, listing)
        state = {"settings": self.settings, "pages": sorted(self.pages_read), "bundles": self.inputs}
        (Path(self.app.doctreedir) / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
        logger.info(
            "search: %d published posts in Pagefind bundles of %d under %s/: %s (%s indexed again)",
            len(self.shard_of), self.app.config.post_search_bundle_posts, INDEX_DIR,
            ", ".join(sorted(self.shards)), ", ".join(sorted(self.written)) or "none",
        )  # fmt: skip


def begin_indexing(app: Sphinx, builder) -> None:
    app.post_search_indexing = Indexing(app) if is_html_builder(app) else None


def index_written_posts(app: Sphinx, docnames: list[str]) -> None:
    if getattr(app, "post_search_indexing", None) is not None:
        app.post_search_indexing.documents_written(docnames)


def index_the_rest(app: Sphinx) -> list:
    if getattr(app, "post_search_indexing", None) is not None:
        app.post_search_indexing.start_rest()
    return []


def finish_index(app: Sphinx, exception: Exception | None) -> None:
    if getattr(app, "post_search_indexing", None) is not None:
        app.post_search_indexing.finish(exception)


def search_root(selector: str) -> tuple[str, str]:
    """``article.bd-article`` -> the element and the class (the setting's check keeps it so)."""
    tag, css_class = selector.split(".", 1)
    return tag, css_class

