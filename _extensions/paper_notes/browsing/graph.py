"""What the published notes share: links, papers, tags, category; and so their backlinks and related notes.

No Sphinx or ablog site has backlinks (sphinx-doc/sphinx#8946 has asked
since 2021), and ablog's related posts do not exist: both are made here,
once per build, from what reading recorded: each note's ``{ref}`` and
``{doc}`` links (``build/post_records.py``), the paper it is about (front
matter ``paper``), the papers it cites (sphinxcontrib-bibtex), its tags and
category. Drafts are in none of it.

- **Backlinks** of a note: the other notes whose text links to it (or to
  one of its sections), newest first.
- **Related notes**: at most ``RELATED_NOTES`` others, ranked by what they
  share, in this order of weight: the same paper, then how many papers both
  discuss or cite, then a link either way, then how many tags, then the
  category; a tie goes to the note nearer in date, then to the name, so the
  order never depends on the build. A note that shares nothing is never
  listed.
- **The notes of a paper**: those that discuss it or cite it, for the paper
  card.

Ranking looks only at notes that share something with the note (through
indexes by paper, tag and link), and at those sharing the category only
when fewer than ``RELATED_NOTES`` share more. The ranking of every note is
kept beside the environment (a speed-up) while what it depends on, every
note's papers, tags, category, links and date, is the same: a build that
changes no such thing ranks nothing.
"""

from __future__ import annotations

import hashlib
import heapq
import pickle
from collections import Counter
from pathlib import Path
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ablog.blog import Blog, Post

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

RELATED_NOTES = 5
FRONT_MATTER_PAPER = "paper"
# The rankings of the last build and what they were made from, in the doctree folder.
RANKED_FILE = "related-notes.pickle"


@dataclass(frozen=True)
class Note:
    docname: str
    post: Post
    about: str | None  # the paper it discusses
    papers: frozenset[str]  # the paper it discusses and the papers it cites
    tags: frozenset[str]
    category: str | None


@dataclass(frozen=True)
class Related:
    docname: str
    same_paper: bool
    shared_papers: int
    linked: bool
    shared_tags: tuple[str, ...]
    same_category: bool


@dataclass
class Graph:
    notes: dict[str, Note]
    links: dict[str, set[str]]  # note -> the notes it links to
    backlinks: dict[str, list[str]] = field(default_factory=dict)  # note -> notes linking to it, newest first
    citing: dict[str, set[str]] = field(default_factory=dict)  # paper -> notes citing it
    index: Index | None = None  # made when related notes are first asked for
    ranked: dict[str, list[Related]] = field(default_factory=dict)

    def related(self, docname: str) -> list[Related]:
        if docname not in self.ranked:
            self.ranked[docname] = related_notes(self, docname)
        return self.ranked[docname]

    def notes_of_paper(self, key: str, but: str) -> list[str]:
        """The notes that discuss or cite the paper, newest first, ``but`` one."""
        found = {doc for doc, note in self.notes.items() if note.about == key} | self.citing.get(key, set())
        return newest_first(self, found - {but})


def newest_first(graph: Graph, docnames) -> list[str]:
    return sorted(docnames, key=lambda doc: (graph.notes[doc].post.date, doc), reverse=True)


def link_target(env: BuildEnvironment, kind: str, target: str) -> str | None:
    """The document a recorded link leads to, if it exists."""
    if kind == "doc":
        return target if target in env.all_docs else None
    std = env.domains.standard_domain
    found = std.labels.get(target) or std.anonlabels.get(target)
    return found[0] if found else None


def build_graph(app: Sphinx) -> Graph:
    env = app.env
    posts = {post.docname: post for post in Blog(app).posts if not post.section}
    cited: dict[str, set[str]] = {}
    citing: dict[str, set[str]] = {}
    for ref in env.get_domain("cite").citation_refs:
        if ref.docname in posts:
            for target in ref.targets:
                cited.setdefault(ref.docname, set()).add(target.key)
                citing.setdefault(target.key, set()).add(ref.docname)
    notes = {}
    for docname, post in posts.items():
        about = env.metadata.get(docname, {}).get(FRONT_MATTER_PAPER)
        notes[docname] = Note(
            docname,
            post,
            about,
            frozenset(cited.get(docname, set()) | ({about} if about else set())),
            frozenset(str(tag.label) for tag in post.tags),
            next((str(coll.label) for coll in post.category), None),
        )
    links = {}
    for docname in notes:
        targets = {link_target(env, kind, target) for kind, target in getattr(env, "blog_links", {}).get(docname, ())}
        links[docname] = {target for target in targets if target in notes and target != docname}
    graph = Graph(notes, links, citing=citing)
    linking: dict[str, set[str]] = {}
    for source, targets in links.items():
        for target in targets:
            linking.setdefault(target, set()).add(source)
    graph.backlinks = {target: newest_first(graph, sources) for target, sources in linking.items()}
    return graph


def related_notes(graph: Graph, docname: str) -> list[Related]:
    note = graph.notes[docname]
    index = graph_index(graph)
    papers: Counter[str] = Counter()
    for key in note.papers:
        papers.update(index.by_paper.get(key, ()))
    tags: dict[str, list[str]] = {}
    for tag in sorted(note.tags):
        for other in index.by_tag.get(tag, ()):
            tags.setdefault(other, []).append(tag)
    linked = graph.links[docname] | set(index.linking.get(docname, ()))
    candidates = (set(papers) | set(tags) | linked) - {docname}
    if len(candidates) < RELATED_NOTES and note.category:
        candidates |= set(index.by_category.get(note.category, ())) - {docname}

    def rank(other: str) -> tuple:
        them = graph.notes[other]
        return (
            -(note.about is not None and note.about == them.about),
            -papers[other],
            -(other in linked),
            -len(tags.get(other, ())),
            -(note.category is not None and note.category == them.category),
            abs((them.post.date - note.post.date).total_seconds()),
            other,
        )

    chosen = heapq.nsmallest(RELATED_NOTES, candidates, key=rank)
    return [
        Related(
            other,
            note.about is not None and note.about == graph.notes[other].about,
            papers[other],
            other in linked,
            tuple(tags.get(other, ())),
            note.category is not None and note.category == graph.notes[other].category,
        )
        for other in chosen
    ]


@dataclass
class Index:
    by_paper: dict[str, list[str]]
    by_tag: dict[str, list[str]]
    by_category: dict[str, list[str]]
    linking: dict[str, list[str]]


def graph_index(graph: Graph) -> Index:
    if graph.index is None:
        index = Index({}, {}, {}, {})
        for doc, note in graph.notes.items():
            for key in note.papers:
                index.by_paper.setdefault(key, []).append(doc)
            for tag in note.tags:
                index.by_tag.setdefault(tag, []).append(doc)
            if note.category:
                index.by_category.setdefault(note.category, []).append(doc)
        for source, targets in graph.links.items():
            for target in targets:
                index.linking.setdefault(target, []).append(source)
        graph.index = index
    return graph.index


def ranking_inputs(graph: Graph) -> str:
    """A digest of what every ranking depends on."""
    parts = sorted(
        (doc, note.about, sorted(note.papers), sorted(note.tags), note.category, str(note.post.date), sorted(graph.links[doc]))
        for doc, note in graph.notes.items()
    )
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def graph(app: Sphinx) -> Graph:
    """This build's graph, made when first asked for, once every document has been read."""
    if getattr(app, "notes_graph", None) is None:
        app.notes_graph = build_graph(app)
        if app.config.speedups:
            try:
                with open(Path(app.doctreedir) / RANKED_FILE, "rb") as f:
                    inputs, ranked = pickle.load(f)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
                inputs, ranked = None, {}
            app.notes_graph_inputs = ranking_inputs(app.notes_graph)
            if inputs == app.notes_graph_inputs:
                app.notes_graph.ranked = ranked
    return app.notes_graph


def keep_rankings(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the rankings made, for the next build."""
    notes = getattr(app, "notes_graph", None)
    if exception is None and notes is not None and app.config.speedups:
        ranked = {doc: notes.related(doc) for doc in notes.notes}
        with open(Path(app.doctreedir) / RANKED_FILE, "wb") as f:
            pickle.dump((app.notes_graph_inputs, ranked), f, pickle.HIGHEST_PROTOCOL)


def forget(app: Sphinx, *args) -> None:
    app.notes_graph = None
