"""Keep unpublished posts out of the published site; show them, marked, in the preview.

A post is unpublished while its front matter says ``draft: true`` or its date
is after today in ``blog_timezone`` (the author's time zone, not the build
machine's).

- Published build (the default): every unpublished post is added to
  ``exclude_patterns`` as soon as the configuration is read, so Sphinx never
  reads it. It has no page and is in no listing, feed, tag, category or year
  page, search index or sitemap; nor is ablog's ``blog/drafts.html``, which
  would be empty (``incremental_blog.py`` leaves it out).
- Preview (``sphinx-build -t preview``, which ``make livehtml`` runs): every
  post is built. An unpublished one has a banner on its page and a mark
  wherever it is listed; the home page lists future posts too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import ablog.blog
import yaml
from ablog.blog import Blog, Post
from sphinx.application import Sphinx
from sphinx.config import Config

from blog_pages import posts_by_year
from front_matter import FrontMatter, checked_posts

PREVIEW_TAG = "preview"


def is_preview(app: Sphinx) -> bool:
    return app.tags.has(PREVIEW_TAG)


def is_unpublished(post: FrontMatter, today: dt.date) -> bool:
    return post.draft or post.date > today


def leave_out_unpublished(app: Sphinx, config: Config) -> None:
    today = dt.datetime.now(ZoneInfo(config.blog_timezone)).date()
    # ablog files a post under "drafts" when its date is not before its module's
    # TOMORROW, taken from the build machine's clock; use the author's day.
    ablog.blog.TOMORROW = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
    if is_preview(app):
        return
    posts = checked_posts(app)
    unpublished = [path for path, post in posts.items() if is_unpublished(post, today)]
    config.exclude_patterns.extend(unpublished)
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
    if pagename == app.config.root_doc:
        dated = [post for post in blog.drafts if post.date]
        context["blog_years"] = posts_by_year(sorted([*blog.posts, *dated], reverse=True))


def entry_context(app: Sphinx, post: Post) -> dict | None:
    """What a listing entry needs to mark a draft (``blog-entry-context``)."""
    if is_preview(app):
        return {"is_draft": lambda post: is_draft(app, post)}
    return None


def setup(app: Sphinx) -> dict:
    app.setup_extension("excerpts")
    # After ablog's config-inited, which lists the posts in matched_blog_posts.
    app.connect("config-inited", leave_out_unpublished, priority=600)
    # After blog_pages, which sets the home page's listing.
    app.connect("html-page-context", add_draft_marks, priority=700)
    app.connect("blog-entry-context", entry_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
