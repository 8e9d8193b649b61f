"""Where the engine reaches into ablog 0.11: what ablog does not let a site change.

- Publishing: ablog files a post under "drafts" while its date is not
  before its module's ``TOMORROW``, taken from the build machine's clock when
  ablog is imported. The author's tomorrow, in ``blog_timezone``, takes its
  place (``posts.drafts.author_tomorrow``).
- Parallel reading: ablog keeps its posts in ``env.ablog_posts`` without
  merging them back from the processes that read in parallel (``-j``,
  sunpy/ablog#297, #327), and declares itself unsafe, which makes ``-j``
  print a warning that the strict build turns into a failure. The posts are
  merged back here, and ablog is declared safe (the merge of
  sunpy/ablog#330).
- Collection pages and feeds: the engine writes them
  (``build/incremental.py`` for collection pages, ``publishing/feeds.py`` for
  feeds), so ablog's own handlers are taken off.
- One Blog per build: ablog keeps one ``Blog`` per process in a class
  attribute, so a second build in the same process (the tests) would see the
  first one's collections.
- A speed-up: ablog copies each post's whole document tree into its record,
  for the full text of feeds, although Sphinx stores the same tree in its
  doctree folder. The record holds a handle that loads the stored tree
  instead, and the excerpt's nodes no longer point to their document (which
  would be pickled with them).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import ablog.blog
from ablog import post as ablog_post
from ablog.blog import Blog
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..posts.drafts import author_tomorrow
from .replacing import disconnect_handler, replace


def tomorrow_in_author_zone(app: Sphinx) -> None:
    """Applied when the configuration has been read, before ablog lists its posts."""
    replace(ablog.blog, "TOMORROW", lambda original: author_tomorrow(app.config))
    # A second build in the same process (the tests) sets its own day.
    ablog.blog.TOMORROW = author_tomorrow(app.config)


def parallel_reading(app: Sphinx) -> None:
    app.extensions["ablog"].parallel_read_safe = True
    app.connect("env-merge-info", merge_posts)


def merge_posts(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """``env-merge-info``: bring back what a parallel reader recorded of ablog's posts."""
    if not hasattr(env, "ablog_posts"):
        env.ablog_posts = {}
    for docname, infos in getattr(other, "ablog_posts", {}).items():
        if docname in docnames:
            env.ablog_posts[docname] = infos


def collection_pages_by_engine(app: Sphinx) -> None:
    disconnect_handler(app, "html-collect-pages", ablog_post.generate_archive_pages)


def feeds_by_engine(app: Sphinx) -> None:
    disconnect_handler(app, "html-collect-pages", ablog_post.generate_atom_feeds)


def fresh_blog_per_build(app: Sphinx) -> None:
    # Before the engine creates the taxonomy's collections (builder-inited, 500).
    app.connect("builder-inited", forget_blog, priority=400)


def forget_blog(app: Sphinx) -> None:
    Blog._dict.clear()


class StoredDoctree:
    """Stands for a post's document tree in ablog's post record; loads it when ablog asks for a copy."""

    env: BuildEnvironment | None = None

    def __init__(self, docname: str) -> None:
        self.docname = docname

    def deepcopy(self) -> nodes.document:
        return StoredDoctree.env.get_doctree(self.docname)

    def findall(self, *args, **kwargs) -> Iterator[nodes.Node]:
        """ablog looks for its own nodes in its copy: the tree holds them still."""
        return iter(())


def stored_doctree_handle(app: Sphinx) -> None:
    app.connect("builder-inited", lambda app: setattr(StoredDoctree, "env", app.env))
    # Before ablog's process_posts (priority 500), which copies the tree.
    app.connect("doctree-read", hand_over_stored_doctree, priority=400)
    # After every handler that edits the post record (the engine's excerpts, ...).
    app.connect("doctree-read", slim_post_record, priority=900)


def hand_over_stored_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """ablog's copy of this tree is the handle: the document alone lends this ``deepcopy``."""
    doctree.deepcopy = functools.partial(StoredDoctree, app.env.docname)


def slim_post_record(app: Sphinx, doctree: nodes.document) -> None:
    vars(doctree).pop("deepcopy", None)
    docname = app.env.docname
    for info in getattr(app.env, "ablog_posts", {}).get(docname, []):
        # A post that is a section of a page keeps its own tree.
        if not info["section"]:
            info["doctree"] = StoredDoctree(docname)
        for node in info["excerpt"]:
            for part in node.findall():
                part.document = None
