"""What a link leads to, shown where the link is: a note's title, date and opening words; a paper; a footnote.

sphinx-hoverxref asks Read the Docs' embed API for its previews (a request
to another host) and is archived; sphinx-tippy loads tippy.js from a CDN and
breaks with ``-j`` (its issue #9). The previews here are made at build time
from the site's own data and travel in the page itself, so they work offline
and from a copy opened from disk:

- each note page carries, in a ``<script type="application/json">``, the
  title, date and opening words (the excerpt as text) of every note it links
  to, and the title, authors, venue and year of every paper it cites;
- a footnote's preview is its own text, already on the page;
- ``_static/link-previews.js`` shows them in one tooltip when a link is
  hovered with a mouse or focused with the keyboard, hides it on Escape, and
  names it as the link's description for screen readers. A tap on a touch
  screen follows the link, as before: a footnote or a citation jumps to its
  text at the end of the note.

A page carries what it shows of other notes, so it is written again when
they change (``page_inputs``, for ``build/incremental.py``).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from markupsafe import Markup
from sphinx.locale import _

from ..papers.bibliography import papers
from ..posts.excerpts import excerpt_text
from .graph import graph

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SCRIPT = "link-previews.js"
# Opening words of a note: enough for a line or two of a tooltip.
OPENING_CHARACTERS = 120
FOOTNOTE = re.compile(r'class="footnote-reference')


def opening_words(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= OPENING_CHARACTERS else text[: OPENING_CHARACTERS - 1].rstrip() + "…"


def authors(names: tuple[str, ...]) -> str:
    """At most three names, as the paper card shows them."""
    return ", ".join(names) if len(names) <= 3 else f"{', '.join(names[:3])} {_('et al.')}"


def cited_keys(app: Sphinx, docname: str) -> list[str]:
    return sorted(
        {target.key for ref in app.env.get_domain("cite").citation_refs if ref.docname == docname for target in ref.targets}
    )


def preview_data(app: Sphinx, docname: str) -> dict:
    """The notes a note links to, by their page's path from the site's root; the papers it cites, by anchor."""
    notes = graph(app)
    date_format = app.config.post_date_format
    linked = {}
    for target in sorted(notes.links.get(docname, ())):
        post = notes.notes[target].post
        linked[app.builder.get_target_uri(target)] = {
            "title": post.title,
            "date": post.date.strftime(date_format),
            "text": opening_words(excerpt_text(app, post)),
        }
    cited = {}
    for key in cited_keys(app, docname):
        paper = papers(app).get(key)
        if paper is not None:
            cited[app.config.bibtex_cite_id.format(key=key)] = {
                "title": paper.title,
                "authors": authors(paper.authors),
                "venue": paper.venue,
                "year": paper.year,
            }
    return {"notes": linked, "papers": cited}


def add_previews(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename not in graph(app).notes:
        return
    data = preview_data(app, pagename)
    if not (data["notes"] or data["papers"] or FOOTNOTE.search(context.get("body", ""))):
        return
    # "</" inside a string would end the <script> element early.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    context["link_previews"] = Markup(payload)
    app.add_js_file(SCRIPT, loading_method="defer")


def page_inputs(app: Sphinx) -> dict[str, object]:
    """``blog-page-inputs``: what each note's page shows of the notes and papers it links to.

    Asked for before pages are written, when excerpts are not rendered yet:
    a linked note's excerpt counts by its text.
    """
    notes = graph(app)
    return {
        docname: (
            [
                (target, notes.notes[target].post.title, notes.notes[target].post.date,
                 [part.astext() for part in notes.notes[target].post.excerpt])
                for target in sorted(notes.links.get(docname, ()))
            ],
            [papers(app).get(key) for key in cited_keys(app, docname)],
        )
        for docname in notes.notes
    }  # fmt: skip
