"""A note's backlinks and related notes at its end, and the notes of its paper on its card.

Shown after the note's text (``_templates/blog/relations.html``), each with
its title and date, and for a related note what it shares. Pagefind does not
index them: a query finds a note by its own words, not by its neighbours'
titles. A page shows its neighbours' titles and dates, so it is written
again when they change (``page_inputs``, for ``build/incremental.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.locale import _

from .graph import Graph, Related, graph

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def reason(related: Related) -> str:
    """What a related note shares with this one, as the list says it."""
    if related.same_paper:
        return _("the same paper")
    if related.shared_papers:
        return _("%(count)s papers both discuss or cite") % {"count": related.shared_papers}
    if related.linked:
        return _("a link between the two")
    if related.shared_tags:
        return _("tags: %(tags)s") % {"tags": "、".join(related.shared_tags)}
    return _("the same category")


def add_relations(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    notes = graph(app)
    if pagename not in notes.notes:
        return
    context["note_backlinks"] = [notes.notes[doc].post for doc in notes.backlinks.get(pagename, [])]
    context["note_related"] = [(notes.notes[r.docname].post, reason(r)) for r in notes.related(pagename)]


def paper_notes(app: Sphinx, key: str, docname: str) -> list:
    """The other notes about or citing a paper, for its card on ``docname``'s page."""
    notes = graph(app)
    return [notes.notes[doc].post for doc in notes.notes_of_paper(key, but=docname)]


def shown(notes: Graph, docname: str) -> tuple:
    """What a note's page shows of other notes: backlinks, related notes and why, its paper's other notes."""

    def entry(doc: str) -> tuple:
        post = notes.notes[doc].post
        return doc, post.title, post.date

    about = notes.notes[docname].about
    return (
        [entry(doc) for doc in notes.backlinks.get(docname, [])],
        [(entry(r.docname), r) for r in notes.related(docname)],
        [entry(doc) for doc in notes.notes_of_paper(about, but=docname)] if about else [],
    )


def page_inputs(app: Sphinx) -> dict[str, object]:
    """``blog-page-inputs``: what each note's page shows of other notes."""
    notes = graph(app)
    return {docname: shown(notes, docname) for docname in notes.notes}
