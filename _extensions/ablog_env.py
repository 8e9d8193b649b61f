"""What the environment keeps of each post: ablog's records, parallel-safe and slim.

- ablog keeps its posts in the environment without merging them back from
  the processes that read in parallel (``-j``, sunpy/ablog#297, #327):
  :func:`merge_posts` does, so ablog is declared safe for parallel reading.
- ablog copies each post's whole document tree into its record, for the full
  text of feeds, although Sphinx stores the same tree in its doctree folder:
  the record holds a handle that loads it when needed (:class:`StoredDoctree`),
  and the excerpt's nodes no longer point to their document. ablog is handed
  the handle in place of its copy, which it made only to throw away (1 s of
  CPU in a clean build of 1,000 posts).
- Which documents hold cross-references (``env.blog_docs_with_refs``: a
  reference shows its target's title, so their renderings are not kept
  between builds) and which hold a ``postlist`` (``env.blog_postlist_docs``:
  they list posts).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from ablog import post as ablog_post
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


class StoredDoctree:
    """Stands for a post's document tree in ablog's post record.

    ablog copies every post's whole tree into the environment, for the full
    text of feeds; Sphinx stores the same tree in its doctree folder. The
    environment keeps this handle instead, which loads the tree when ablog
    asks for a copy.
    """

    env: BuildEnvironment | None = None

    def __init__(self, docname: str) -> None:
        self.docname = docname

    def deepcopy(self) -> nodes.document:
        return StoredDoctree.env.get_doctree(self.docname)

    def findall(self, *args, **kwargs) -> Iterator[nodes.Node]:
        """ablog looks for its own nodes in its copy: the tree holds them still."""
        return iter(())


def hand_over_stored_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, before ablog's ``process_posts``: its copy of this tree is the handle.

    The document alone lends this ``deepcopy``, until :func:`record_post`.
    """
    doctree.deepcopy = functools.partial(StoredDoctree, app.env.docname)


def record_post(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, last: slim the post record, note what it holds."""
    vars(doctree).pop("deepcopy", None)
    env = app.env
    docname = env.docname
    if not hasattr(env, "blog_docs_with_refs"):
        env.blog_docs_with_refs = set()
        env.blog_postlist_docs = set()
    if any(doctree.findall(ablog_post.PostList)):
        env.blog_postlist_docs.add(docname)
    infos = getattr(env, "ablog_posts", {}).get(docname, [])
    if any(doctree.findall(addnodes.pending_xref)):
        env.blog_docs_with_refs.add(docname)
    for info in infos:
        # A post that is a section of a page keeps its own tree.
        if not info["section"]:
            info["doctree"] = StoredDoctree(docname)
        # A copied node still points to its document, which would be
        # pickled with it into the environment.
        for node in info["excerpt"]:
            for part in node.findall():
                part.document = None


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for attribute in ("blog_docs_with_refs", "blog_postlist_docs"):
        getattr(env, attribute, set()).discard(docname)


def merge_posts(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """``env-merge-info``: bring back what a parallel reader recorded."""
    if not hasattr(env, "ablog_posts"):
        env.ablog_posts = {}
    for docname, infos in getattr(other, "ablog_posts", {}).items():
        if docname in docnames:
            env.ablog_posts[docname] = infos
    for attribute in ("blog_docs_with_refs", "blog_postlist_docs"):
        if not hasattr(env, attribute):
            setattr(env, attribute, set())
        getattr(env, attribute).update(getattr(other, attribute, set()) & docnames)


def builder_inited(app: Sphinx) -> None:
    StoredDoctree.env = app.env


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    app.extensions["ablog"].parallel_read_safe = True
    app.connect("builder-inited", builder_inited)
    # Before ablog's process_posts (priority 500).
    app.connect("doctree-read", hand_over_stored_doctree, priority=400)
    # Late, after every handler that edits the post record (excerpts, ...).
    app.connect("doctree-read", record_post, priority=900)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge_posts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
