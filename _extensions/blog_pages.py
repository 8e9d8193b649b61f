"""What the blog's pages show around ablog's data.

- Excerpts: a post's excerpt is its first block, as on the old site: its first
  paragraph, or the title of its first section when it opens with one.
  Footnote references are dropped from excerpts, whose footnotes are not on
  the listing pages that show them. Listings render excerpts here rather than
  with ablog's ``Post.to_html``, which nests the excerpt's ``<p>`` inside
  another ``<p>`` (invalid HTML) and builds a new docutils settings parser
  for every excerpt.
- Home page: the posts grouped by year, newest first (``blog_years``).
- Post pages: date, reading time, category and tags under the title, and the
  theme's own previous/next links pointing to the older and newer post.
- English posts get ``<html lang="en">``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from ablog.blog import Blog, Post, html_builder_write_doc, revise_pending_xrefs
from docutils import nodes
from docutils.utils import new_document
from sphinx.application import Sphinx

from reading_time import METADATA_KEY

FIRST_H1_END = re.compile(r"</h1>")


def first_block_excerpt(doctree: nodes.document) -> list[nodes.Node] | None:
    """Return the post's opening block when it is a section title, else None."""
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return None
    for child in top.children:
        if isinstance(child, (nodes.title, nodes.target, nodes.comment)):
            continue
        if isinstance(child, nodes.section):
            return [nodes.paragraph("", "", *child[0].deepcopy().children)]
        return None
    return None


def set_excerpts(app: Sphinx, doctree: nodes.document) -> None:
    """Runs after ablog's ``process_posts`` has recorded the post."""
    for postinfo in getattr(app.env, "ablog_posts", {}).get(app.env.docname, []):
        excerpt = first_block_excerpt(doctree) or postinfo["excerpt"]
        for node in excerpt:
            for ref in list(node.findall(nodes.footnote_reference)):
                ref.parent.remove(ref)
        postinfo["excerpt"] = excerpt


def excerpt_html(app: Sphinx, post, pagename: str) -> str:
    """The post's excerpt as HTML, with references resolved from ``pagename``."""
    doctree = new_document("", app.builder.docsettings)
    doctree.extend(node.deepcopy() for node in post.excerpt)
    revise_pending_xrefs(doctree, pagename)
    app.env.resolve_references(doctree, pagename, app.builder)
    add_permalinks, app.builder.add_permalinks = app.builder.add_permalinks, False
    try:
        return html_builder_write_doc(app.builder, pagename, doctree)
    finally:
        app.builder.add_permalinks = add_permalinks


def posts_by_year(posts: Iterable[Post]) -> list[tuple[int, list[Post]]]:
    """Posts, given newest first, grouped by year."""
    return [(year, list(group)) for year, group in itertools.groupby(posts, key=lambda p: p.date.year)]


def add_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "ablog" not in context:
        return
    blog: Blog = context["ablog"]
    metadata = app.env.metadata
    context["reading_minutes"] = lambda post: metadata.get(post.docname, {}).get(METADATA_KEY)
    context["excerpt_html"] = lambda post: excerpt_html(app, post, pagename)
    if pagename == app.config.root_doc:
        context["blog_years"] = posts_by_year(blog.posts)
    if pagename not in blog:
        return
    post = blog[pagename]
    context["blog_post"] = post
    if "en" in [str(coll.label) for coll in post.language]:
        context["language"] = "en"
    pathto = context["pathto"]
    # ablog links published posts only; a draft or future post (in the preview)
    # has no neighbours (ablog leaves its links at -1).
    older, newer = (post.prev, post.next) if post.published else (None, None)
    context["prev"] = {"link": pathto(older.docname), "title": older.title} if older else None
    context["next"] = {"link": pathto(newer.docname), "title": newer.title} if newer else None
    meta = app.builder.templates.render("blog/post-meta.html", {**context, "post": post})
    # Under the title: the meta line, then what other extensions put in
    # ``after_title`` before this handler ran (the paper card).
    under_title = meta + "".join(context.get("after_title", []))
    context["body"] = FIRST_H1_END.sub(lambda m: m.group(0) + under_title, context["body"], count=1)


def setup(app: Sphinx) -> dict:
    # After ablog's own doctree-read handler (default priority 500).
    app.connect("doctree-read", set_excerpts, priority=600)
    app.connect("html-page-context", add_page_context, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
