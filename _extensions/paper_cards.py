"""Show a note's paper wherever the note appears.

- The note's page: a card under the title and meta line, inside the article
  (``papers/card.html``): title, authors, venue, year, links, the BibTeX and a
  button that copies it (``_static/paper-card.js``, loaded on those pages only).
- The page head: Highwire ``citation_*`` meta tags, which reference managers
  and scholarly search engines read.
- The Atom feeds: the paper's title and link at the top of the note's entry,
  and a ``rel="related"`` link to the paper.
"""

from __future__ import annotations

import html

from lxml import etree
from sphinx.application import Sphinx
from sphinx.locale import _

from atom_feeds import feeds_written
from bibliography import Paper, paper_of

ATOM = "{http://www.w3.org/2005/Atom}"


def citation_meta_tags(paper: Paper) -> str:
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", author) for author in paper.authors]
    tags.append(("citation_publication_date", paper.year))
    if paper.venue:
        venue_tag = "citation_journal_title" if paper.type == "article" else "citation_conference_title"
        tags.append((venue_tag, paper.venue))
    if paper.arxiv:
        tags.append(("citation_arxiv_id", paper.arxiv))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    return "".join(
        f'\n<meta name="{name}" content="{html.escape(value)}" />' for name, value in tags
    )


def add_card(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    paper = paper_of(app, pagename)
    if paper is None:
        return
    index_page = app.config.paper_index_page
    card = app.builder.templates.render(
        "papers/card.html",
        {**context, "paper": paper, "paper_index_url": f"{context['pathto'](index_page)}#{paper.key}"},
    )
    # blog_pages (priority 600) puts it under the title, after the meta line.
    context.setdefault("after_title", []).append(card)
    context["metatags"] += citation_meta_tags(paper)
    app.add_js_file("paper-card.js", loading_method="defer")


def feed_paper_html(paper: Paper, label: str) -> str:
    title = f"<cite>{html.escape(paper.title)}</cite>"
    if paper.main_url:
        title = f'<a href="{html.escape(paper.main_url)}">{title}</a>'
    where = html.escape(", ".join(part for part in (paper.venue, paper.year) if part))
    return f'<p class="paper-ref">{html.escape(label)}{title} ({where})</p>'


def add_papers_to_feeds(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not app.config.blog_baseurl:
        return
    base = app.config.blog_baseurl.rstrip("/") + "/"
    docnames = {base + app.builder.get_target_uri(docname): docname for docname in app.env.found_docs}
    label = _("Paper: ")
    for path in feeds_written(app):
        tree = etree.parse(str(path))
        for entry in tree.getroot().iter(f"{ATOM}entry"):
            link = entry.find(f"{ATOM}link")
            paper = paper_of(app, docnames.get(link.get("href"), ""))
            if paper is None:
                continue
            if paper.main_url:
                related = etree.Element(f"{ATOM}link", rel="related", href=paper.main_url, title=paper.title)
                link.addnext(related)
            content = entry.find(f"{ATOM}content")
            if content is not None:
                content.text = feed_paper_html(paper, label) + (content.text or "")
        tree.write(str(path), encoding="utf-8", xml_declaration=True, pretty_print=True)


def setup(app: Sphinx) -> dict:
    app.setup_extension("bibliography")
    # After Sphinx's collector has read the front matter into env.metadata.
    # Before blog_pages (600), which puts the meta line and then after_title under the title.
    app.connect("html-page-context", add_card, priority=590)
    # Before atom_feeds (500), which rewrites the feeds' links and dates.
    app.connect("build-finished", add_papers_to_feeds, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
