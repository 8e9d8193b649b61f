"""The date each post last changed, read from git, without the author writing it.

A post's last update is the newest commit after the one that added its file
(``build/git_dates.py``, where commits listed in ``.git-blame-ignore-revs``
update nothing). That date becomes ablog's ``update`` of the post, which the
post's meta line shows as "updated on" (when it is a later day than the
post's date) and which its feed entries give as ``<updated>``. A post
changed by no commit after the one that added it has no update date.

A commit changes no source file, so Sphinx would not rebuild the posts it
touched: a post whose update date changed is read again.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..build.git_dates import file_dates

ENV_KEY = "post_update_dates"


def refresh_update_dates(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    posts = set(app.config.matched_blog_posts)
    fresh = {}
    for path, dates in file_dates(app).items():
        docname = env.path2doc(str(Path(app.srcdir, path)))
        if docname in posts and dates.updated is not None:
            fresh[docname] = dates.updated.replace(tzinfo=None)
    before = getattr(env, ENV_KEY, {})
    setattr(env, ENV_KEY, fresh)
    return [doc for doc in set(before) | set(fresh) if before.get(doc) != fresh.get(doc) and doc in env.found_docs]


def set_update_date(app: Sphinx, doctree: nodes.document) -> None:
    """Runs after ablog's ``process_posts`` has recorded the post."""
    when = getattr(app.env, ENV_KEY, {}).get(app.env.docname)
    for postinfo in getattr(app.env, "ablog_posts", {}).get(app.env.docname, []):
        if when and postinfo["date"] and when > postinfo["update"]:
            postinfo["update"] = when
