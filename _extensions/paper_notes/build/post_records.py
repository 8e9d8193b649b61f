"""Which documents hold cross-references, where they lead, and which list posts, kept in the environment.

A reference shows its target's title, so the renderings of a document that
holds one are not kept between builds (``env.blog_docs_with_refs``); a
document with a ``postlist`` lists posts, so it is written again when posts
change (``env.blog_postlist_docs``). The targets of its ``{ref}`` and
``{doc}`` links (``env.blog_links``: a label, or a document's absolute name)
make the notes' backlinks and related notes (``browsing/graph.py``). All are
recorded as each document is read, and merged back from the processes that
read in parallel.
"""

from __future__ import annotations

from ablog import post as ablog_post
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import docname_join

RECORDS = ("blog_docs_with_refs", "blog_postlist_docs")


def link_targets(doctree: nodes.document, docname: str) -> set[tuple[str, str]]:
    """Each ``{ref}`` link as ("ref", label), each ``{doc}`` link as ("doc", absolute document name)."""
    targets = set()
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") != "std" or node.get("reftype") not in ("ref", "doc"):
            continue
        target = node["reftarget"]
        if node["reftype"] == "doc":
            target = docname_join(node.get("refdoc", docname), target)
        targets.add((node["reftype"], target))
    return targets


def records(env: BuildEnvironment) -> None:
    for attribute in RECORDS:
        if not hasattr(env, attribute):
            setattr(env, attribute, set())
    if not hasattr(env, "blog_links"):
        env.blog_links = {}


def record_document(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note what the document holds."""
    env = app.env
    records(env)
    if any(doctree.findall(ablog_post.PostList)):
        env.blog_postlist_docs.add(env.docname)
    if any(doctree.findall(addnodes.pending_xref)):
        env.blog_docs_with_refs.add(env.docname)
    links = link_targets(doctree, env.docname)
    if links:
        env.blog_links[env.docname] = links


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    records(env)
    for attribute in RECORDS:
        getattr(env, attribute).discard(docname)
    env.blog_links.pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """``env-merge-info``: bring back what a parallel reader recorded."""
    records(env)
    for attribute in RECORDS:
        getattr(env, attribute).update(getattr(other, attribute, set()) & docnames)
    env.blog_links.update({doc: links for doc, links in getattr(other, "blog_links", {}).items() if doc in docnames})
