"""Post excerpts and listing entries: which block the excerpt is, and their HTML, rendered once.

- A post's excerpt is its first block, as on the old site: its first
  paragraph, or the title of its first section when it opens with one.
  Footnote references are dropped from excerpts, whose footnotes are not on
  the pages that show them.
- Listing pages (the home page, ablog's year, tag, category and all-posts
  pages) and feeds show each post's excerpt and entry (``blog/entry.html``:
  title, meta line, excerpt) many times over. Each is rendered once, with its
  links relative to the site's root, and then rebased: made relative to the
  page that shows it, or absolute in a feed. A post's renderings are kept
  between builds while its source is unchanged (``build.incremental.remembered``).
- Excerpts are rendered here rather than with ablog's ``Post.to_html``, which
  nests the excerpt's ``<p>`` inside another ``<p>`` (invalid HTML) and builds
  a new docutils settings parser for every excerpt.

Listings are written in the main process and in the parallel writers
(``-j``), which are forked from it after it has written its first page: the
entries of every listed post are made for that first page, so that no
process makes them twice.
"""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath

from ablog.blog import Blog, Post, html_builder_write_doc, revise_pending_xrefs
from docutils import nodes
from docutils.utils import new_document
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..build.incremental import remembered
from .reading_time import METADATA_KEY

# An attribute holding a URL that is relative to the page it is on.
RELATIVE_URL = re.compile(r'\b(href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)([^"]*)"')
# Text with its inline markup, paragraphs, lists, quotes and math: no
# post-transform of Sphinx, the themes or the extensions acts on them. An
# excerpt made of these alone (most are plain paragraphs) is written as it
# is, without resolving (a tenth of a clean build's listings). Any other node
# (a subclass of one of these included) sends the excerpt through the
# post-transforms, so that one added later for another kind of node cannot
# miss it.
PLAIN_NODES = frozenset((
    nodes.Text, nodes.paragraph, nodes.emphasis, nodes.strong, nodes.literal, nodes.inline,
    nodes.subscript, nodes.superscript, nodes.math, nodes.math_block, nodes.bullet_list,
    nodes.enumerated_list, nodes.list_item, nodes.block_quote,
))  # fmt: skip
# A formula's MathML, in the order of the excerpt's formulas.
MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
# An entry is rendered once, its title's heading named by this stand-in, and
# shown as the h2 or h3 each listing needs.
ENTRY_HEADING = "blog-entry-heading"


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


def rebase(html: str, root: str, root_page: str) -> str:
    """HTML whose relative URLs are relative to the site's root, made relative to ``root``.

    ``root`` is the way from the page that shows the HTML to the site's root
    (``../../``, or the site's absolute address in a feed). A bare
    ``#fragment`` points into the root page the HTML was rendered for.
    """

    def rebased(match: re.Match) -> str:
        url = match[2]
        if url.startswith("#"):
            url = root_page + url
        return f'{match[1]}="{root}{url}"'

    return RELATIVE_URL.sub(rebased, html)


def root_of(app: Sphinx, pagename: str) -> str:
    """The way from a page to the site's root, as a relative URL."""
    return "../" * (len(PurePosixPath(app.builder.get_target_uri(pagename)).parts) - 1)


def root_pathto(app: Sphinx):
    """Templates' ``pathto`` for a page at the site's root."""
    base = app.builder.get_target_uri(app.config.root_doc)

    def pathto(other: str, resource: bool = False) -> str:
        if resource and "://" in other:
            return other
        target = other if resource else app.builder.get_target_uri(other)
        return relative_uri(base, target) or PurePosixPath(base).name

    return pathto


def needs_resolving(parts: list[nodes.Node]) -> bool:
    return not all(type(node) in PLAIN_NODES for part in parts for node in part.findall())


def render_nodes(app: Sphinx, parts: list[nodes.Node]) -> str:
    """Nodes of a post as HTML, with links relative to the site's root."""
    pagename = app.config.root_doc
    doctree = new_document("", app.builder.docsettings)
    doctree.extend(node.deepcopy() for node in parts)
    if needs_resolving(parts):
        revise_pending_xrefs(doctree, pagename)
        app.env.resolve_references(doctree, pagename, app.builder)
    add_permalinks, app.builder.add_permalinks = app.builder.add_permalinks, False
    try:
        return html_builder_write_doc(app.builder, pagename, doctree)
    finally:
        app.builder.add_permalinks = add_permalinks


def excerpt_at_root(app: Sphinx, post: Post) -> str:
    return remembered(app, ("excerpt", post.docname, post.section), lambda: render_nodes(app, post.excerpt))


def is_math(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.math, nodes.math_block))


def excerpt_text(app: Sphinx, post: Post) -> str:
    """The excerpt as a reader sees it, citations and links as the page shows them; math as its TeX."""
    formulas = iter([node.astext() for part in post.excerpt for node in part.findall(is_math)])
    marked_up = MATH.sub(lambda m: f" {html.escape(next(formulas, ''))} ", excerpt_at_root(app, post))
    return Markup(marked_up).striptags()


def full_text_at_root(app: Sphinx, post: Post) -> str:
    """The post's whole text without its title, for feeds."""

    def render() -> str:
        doctree = app.env.get_doctree(post.docname)
        html = render_nodes(app, doctree.children)
        return re.sub("<h1>(.*?)</h1>", "", html, count=1)

    return remembered(app, ("full text", post.docname, post.section), render)


def entry_at_root(app: Sphinx, post: Post) -> str:
    def render() -> str:
        context = {
            "ablog": Blog(app),
            "post": post,
            "entry_heading": ENTRY_HEADING,
            "pathto": root_pathto(app),
            "reading_minutes": lambda post: app.env.metadata.get(post.docname, {}).get(METADATA_KEY),
            "excerpt_html": lambda post: Markup(excerpt_at_root(app, post)),
            **(app.emit_firstresult("blog-entry-context", post) or {}),
        }
        return app.builder.templates.render("blog/entry.html", context)

    return remembered(app, ("entry", post.docname, post.section), render)


def excerpt_html(app: Sphinx, post: Post, root: str) -> str:
    """The post's excerpt, for a page whose way to the site's root is ``root``."""
    return rebase(excerpt_at_root(app, post), root, app.builder.get_target_uri(app.config.root_doc))


def full_text_html(app: Sphinx, post: Post, root: str) -> str:
    return rebase(full_text_at_root(app, post), root, app.builder.get_target_uri(app.config.root_doc))


def entry_html(app: Sphinx, post: Post, heading: str, root: str) -> Markup:
    html = entry_at_root(app, post).replace(f"<{ENTRY_HEADING} ", f"<{heading} ").replace(f"</{ENTRY_HEADING}>", f"</{heading}>")
    return Markup(rebase(html, root, app.builder.get_target_uri(app.config.root_doc)))


def render_all(app: Sphinx) -> None:
    """Every listed post's entries, before the parallel writers are forked."""
    blog = Blog(app)
    for post in [*blog.posts, *blog.drafts]:
        entry_at_root(app, post)


def forget(app: Sphinx, *args) -> None:
    app.blog_entries_rendered = False


def add_entry_function(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    if not getattr(app, "blog_entries_rendered", False):
        render_all(app)
        app.blog_entries_rendered = True
    root = root_of(app, pagename)
    context["blog_entry"] = lambda post, heading: entry_html(app, post, heading, root)
