"""Show a note's paper wherever the note appears.

- The note's page: a card under the title and meta line, inside the article
  (``papers/card.html``): title, authors, venue, year, links, the BibTeX and a
  button that copies it (``_static/paper-card.js``, loaded on those pages only).
- The page head says the note is *about* the paper (JSON-LD, in
  ``publishing/page_meta.py``). It carries no Highwire ``citation_*`` tags:
  Google Scholar reads those as "this page is the paper", and would index
  the note as a copy of the paper under its authors' names.
- The Atom feeds: the paper's title and link at the top of the note's entry,
  and a ``rel="related"`` link to the paper.
"""

from __future__ import annotations

import html

from sphinx.application import Sphinx
from sphinx.locale import _

from ..publishing.feeds import EntryExtras
from ..browsing.relations import paper_notes
from .bibliography import Paper, paper_of


def add_card(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    paper = paper_of(app, pagename)
    if paper is None:
        return
    index_page = app.config.paper_index_page
    card = app.builder.templates.render(
        "papers/card.html",
        {
            **context,
            "paper": paper,
            "paper_index_url": f"{context['pathto'](index_page)}#{paper.key}",
            "paper_other_notes": paper_notes(app, paper.key, pagename),
        },
    )
    # posts.pages (priority 600) puts it under the title, after the meta line.
    context.setdefault("after_title", []).append(card)
    app.add_js_file("paper-card.js", loading_method="defer")


def feed_paper_html(paper: Paper, label: str) -> str:
    title = f"<cite>{html.escape(paper.title)}</cite>"
    if paper.main_url:
        title = f'<a href="{html.escape(paper.main_url)}">{title}</a>'
    where = html.escape(", ".join(part for part in (paper.venue, paper.year) if part))
    return f'<p class="paper-ref">{html.escape(label)}{title} ({where})</p>'


def feed_entry_extras(app: Sphinx, post) -> EntryExtras | None:
    paper = paper_of(app, post.docname)
    if paper is None:
        return None
    links = [("related", paper.main_url, paper.title)] if paper.main_url else []
    return EntryExtras(links=links, html_before=feed_paper_html(paper, _("Paper: ")))
