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
- When the build has finished, the pages of the posts that ablog lists as
  published are copied to a staging folder and indexed there, so that drafts
  and pages left in the output by earlier builds are never indexed. The index
  goes to ``pagefind/`` in the output.
- Every post goes into one index of ``post_search_language``: Pagefind keeps
  one index per page language and searches the reader's page language only,
  which would hide the English posts from the Chinese search page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ablog.blog import Blog
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

INDEX_DIR = "pagefind"
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
            "post_search: the package pagefind_bin_extended is missing; install requirements.txt"
        ) from None
    return get_executable()


def published_posts(app: Sphinx) -> list[str]:
    return [post.docname for post in Blog(app).posts]


def switch_off_sphinx_search(app: Sphinx) -> None:
    if is_html_builder(app):
        app.builder.search = False


def search_page(app: Sphinx):
    if is_html_builder(app):
        yield "search", {}, "search.html"


def ids_on_headings(body: str) -> str:
    """Move each section's id onto its heading, where Pagefind looks for anchors."""
    return SECTION_HEADING.sub(
        lambda m: f'<section{m["attrs"]}{m["rest"]}>{m["between"]}<h{m["level"]} id="{m["id"]}">', body
    )


def add_heading_ids(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is not None and pagename in Blog(app).posts and "body" in context:
        context["body"] = ids_on_headings(context["body"])


def build_index(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not is_html_builder(app):
        return
    outdir = Path(app.outdir)
    pages = [Path(app.builder.get_outfilename(docname)).relative_to(outdir) for docname in published_posts(app)]
    index_dir = outdir / INDEX_DIR
    shutil.rmtree(index_dir, ignore_errors=True)
    with tempfile.TemporaryDirectory() as staging:
        for page in pages:
            (Path(staging) / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(outdir / page, Path(staging) / page)
        command = [
            str(pagefind_binary()),
            "--site", staging,
            "--output-path", str(index_dir),
            "--root-selector", app.config.post_search_root,
            "--exclude-selectors", ", ".join(app.config.post_search_exclude),
            "--force-language", app.config.post_search_language,
            "--quiet",
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise ExtensionError(f"post_search: Pagefind failed:\n{result.stdout}{result.stderr}")
    entry = json.loads((index_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    if indexed != len(pages):
        raise ExtensionError(
            f"post_search: Pagefind indexed {indexed} pages, but ablog lists {len(pages)} published posts"
            f" (is {app.config.post_search_root!r} on every post page?)"
        )
    logger.info("post_search: indexed %d published posts into %s/", indexed, INDEX_DIR)


def setup(app: Sphinx) -> dict:
    app.add_config_value("post_search_root", "article", "html", types=[str])
    app.add_config_value("post_search_exclude", [], "html", types=[list])
    app.add_config_value("post_search_language", "zh-cn", "html", types=[str])
    app.connect("builder-inited", switch_off_sphinx_search)
    app.connect("html-collect-pages", search_page)
    app.connect("html-page-context", add_heading_ids)
    app.connect("build-finished", build_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
