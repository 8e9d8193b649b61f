"""The paper index: every entry of the bibliography, by year and by venue.

The page named by ``paper_index_page`` (``papers.md``) gets the listing from
``papers/index.html``: each paper with its authors, venue, year, links, the
notes that are about it (front matter ``paper``) and the notes that cite it
inline (sphinxcontrib-bibtex's ``{cite}`` roles). Each paper's anchor is its
BibTeX key, which the notes' paper cards link to.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .bibliography import FRONT_MATTER_KEY, Paper, papers

logger = logging.getLogger(__name__)


@dataclass
class IndexEntry:
    paper: Paper
    discussed_in: list[str]  # docnames, newest post first
    cited_in: list[str]


def notes_by_paper(env: BuildEnvironment) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    discussed, cited = {}, {}
    for docname, metadata in env.metadata.items():
        if FRONT_MATTER_KEY in metadata:
            discussed.setdefault(metadata[FRONT_MATTER_KEY], set()).add(docname)
    for ref in env.get_domain("cite").citation_refs:
        for target in ref.targets:
            cited.setdefault(target.key, set()).add(ref.docname)
    return discussed, cited


def index_entries(app: Sphinx, post_order: dict[str, int]) -> list[IndexEntry]:
    discussed, cited = notes_by_paper(app.env)

    def in_order(docnames: set[str]) -> list[str]:
        return sorted(docnames, key=lambda docname: (post_order.get(docname, len(post_order)), docname))

    return [
        IndexEntry(paper, in_order(discussed.get(key, set())), in_order(cited.get(key, set())))
        for key, paper in papers(app).items()
    ]


def add_index_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if pagename != app.config.paper_index_page or "ablog" not in context:
        return
    post_order = {post.docname: n for n, post in enumerate(context["ablog"].posts)}
    entries = index_entries(app, post_order)
    by_year = sorted(entries, key=lambda entry: (-int(entry.paper.year or 0), entry.paper.title.lower()))
    by_venue = sorted(entries, key=lambda entry: (entry.paper.venue.lower(), -int(entry.paper.year or 0)))
    titles = app.env.titles
    context["paper_index"] = {
        "by_year": [(year, list(group)) for year, group in itertools.groupby(by_year, lambda e: e.paper.year)],
        "by_venue": [(venue, list(group)) for venue, group in itertools.groupby(by_venue, lambda e: e.paper.venue)],
        "note_title": lambda docname: titles[docname].astext(),
    }


def check_index_page(app: Sphinx, env: BuildEnvironment) -> None:
    if app.config.paper_index_page not in env.found_docs:
        logger.warning(
            "paper_index_page %r is not a document; the paper cards link to it (create %s.md)",
            app.config.paper_index_page,
            app.config.paper_index_page,
        )
