"""Keep unpublished posts out of the published site; show them, marked, in the preview.

A post is unpublished while its front matter says ``draft: true`` or its date
is after today in ``blog_timezone`` (the author's time zone, not the build
machine's).

- Published build (the default): every unpublished post is added to
  ``exclude_patterns`` as soon as the configuration is read, so Sphinx never
  reads it. It has no page and is in no listing, feed, tag, category or year
  page, search index or sitemap; nor is ablog's ``blog/drafts.html``, which
  would be empty (``build/incremental.py`` leaves it out).
- Preview (``sphinx-build -t preview``, which ``make livehtml`` runs): every
  post is built. An unpublished one has a banner on its page and a mark
  wherever it is listed; the home page lists future posts too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from ablog.blog import Blog, Post
from sphinx.application import Sphinx
from sphinx.config import Config

from .front_matter import FrontMatter, checked_posts

PREVIEW_TAG = "preview"


def is_preview(app: Sphinx) -> bool:
    return app.tags.has(PREVIEW_TAG)


def is_unpublished(post: FrontMatter, today: dt.date) -> bool:
    return post.draft or post.date > today


def author_today(config: Config) -> dt.date:
    """Today where the author is (``blog_timezone``), not where the build runs."""
    return dt.datetime.now(ZoneInfo(config.blog_timezone)).date()


def author_tomorrow(config: Config) -> dt.datetime:
    """The first moment of the author's tomorrow: a post dated before it is published."""
    return dt.datetime.combine(author_today(config) + dt.timedelta(days=1), dt.time())


def leave_out_unpublished(app: Sphinx, config: Config) -> None:
    today = author_today(config)
    if is_preview(app):
        return
    posts = checked_posts(app)
    unpublished = [path for path, post in posts.items() if is_unpublished(post, today)]
    config.exclude_patterns = [*config.exclude_patterns, *unpublished]
    left_out = {Path(path).with_suffix("").as_posix() for path in unpublished}
    config.matched_blog_posts = [doc for doc in config.matched_blog_posts if doc not in left_out]


def is_draft(app: Sphinx, post: Post) -> bool:
    # MyST hands front matter values to Sphinx's metadata as strings ('True').
    flag = app.env.metadata.get(post.docname, {}).get("draft", "false")
    return bool(post.draft or yaml.safe_load(flag) is True)


def add_draft_marks(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if not is_preview(app) or "ablog" not in context:
        return
    blog: Blog = context["ablog"]
    context["is_draft"] = lambda post: is_draft(app, post)
    if pagename in blog:
        context["draft_banner"] = is_draft(app, blog[pagename])


def entry_context(app: Sphinx, post: Post) -> dict | None:
    """What a listing entry needs to mark a draft (``blog-entry-context``)."""
    if is_preview(app):
        return {"is_draft": lambda post: is_draft(app, post)}
    return None
