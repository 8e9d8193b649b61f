"""Which documents hold cross-references and which list posts, kept in the environment.

A reference shows its target's title, so the renderings of a document that
holds one are not kept between builds (``env.blog_docs_with_refs``); a
document with a ``postlist`` lists posts, so it is written again when posts
change (``env.blog_postlist_docs``). Both are recorded as each document is
read, and merged back from the processes that read in parallel.
"""

from __future__ import annotations

from ablog import post as ablog_post
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

RECORDS = ("blog_docs_with_refs", "blog_postlist_docs")


def records(env: BuildEnvironment) -> None:
    for attribute in RECORDS:
        if not hasattr(env, attribute):
            setattr(env, attribute, set())


def record_document(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: note what the document holds."""
    env = app.env
    records(env)
    if any(doctree.findall(ablog_post.PostList)):
        env.blog_postlist_docs.add(env.docname)
    if any(doctree.findall(addnodes.pending_xref)):
        env.blog_docs_with_refs.add(env.docname)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for attribute in RECORDS:
        getattr(env, attribute, set()).discard(docname)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """``env-merge-info``: bring back what a parallel reader recorded."""
    records(env)
    for attribute in RECORDS:
        getattr(env, attribute).update(getattr(other, attribute, set()) & docnames)
