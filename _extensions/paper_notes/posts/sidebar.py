"""ablog's sidebar items, rendered once per build for every group of pages that shows them alike.

Every page's primary sidebar shows the recent posts, the tag cloud, the
categories and the archives (``_templates/blog/sidebar-items.html``, placed by
``blog/sidebar.html`` in ``html_sidebars``). They change with every post's
metadata but are the same on many pages: they differ only by their relative
links (the page's folder) and by the recent posts, which leave out the page's
own post. So they are rendered once per *variant* and the same HTML goes
into each page of it, which also lets ``build/incremental.py`` replace them in a
page that is otherwise unchanged.

The archives list the ``blog_sidebar_years`` newest years, then a link to
the archive page: every page's sidebar stays the same size however many
years the blog spans.
"""

from __future__ import annotations

import posixpath

from ablog.blog import Blog
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri


ITEMS_TEMPLATE = "blog/sidebar-items.html"
RECENT_POSTS = 5


def variant(app: Sphinx, pagename: str, recent: set[str]) -> tuple[str, str]:
    """What the sidebar of ``pagename`` depends on: its folder, and itself if it is a recent post."""
    folder = posixpath.dirname(app.builder.get_target_uri(pagename))
    return folder, pagename if pagename in recent else ""


def recent_posts(blog: Blog) -> set[str]:
    # One more than shown: a recent post's own sidebar shows the next one instead.
    return {post.docname for post in list(blog.posts)[: RECENT_POSTS + 1]}


def render(app: Sphinx, pagename: str, pathto=None) -> str:
    """The items for ``pagename``, with links relative to it, or made by the page's own ``pathto``."""
    base = app.builder.get_target_uri(pagename)

    def relative(other: str, resource: bool = False) -> str:
        target = other if resource else app.builder.get_target_uri(other)
        return relative_uri(base, target) or posixpath.basename(base)

    pathto = pathto or relative
    context = {"ablog": Blog(app), "pagename": pagename, "pathto": pathto, "archive_years": app.config.blog_sidebar_years}
    return app.builder.templates.render(ITEMS_TEMPLATE, context)


class Sidebars:
    """The sidebar of each variant, rendered when a page first needs it."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.recent = recent_posts(Blog(app))
        self.variants: dict[str, tuple[str, str]] = {}
        self.html: dict[tuple[str, str], str] = {}

    def variant(self, pagename: str) -> tuple[str, str]:
        if pagename not in self.variants:
            self.variants[pagename] = variant(self.app, pagename, self.recent)
        return self.variants[pagename]

    def of(self, pagename: str) -> str:
        key = self.variant(pagename)
        if key not in self.html:
            self.html[key] = render(self.app, key[1] or pagename)
        return self.html[key]


def sidebars(app: Sphinx) -> Sidebars:
    """This build's sidebars; the blog's posts are final once the environment is."""
    if getattr(app, "blog_sidebars", None) is None:
        app.blog_sidebars = Sidebars(app)
    return app.blog_sidebars


def forget(app: Sphinx, *args) -> None:
    app.blog_sidebars = None


def add_sidebar(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    if pagename == getattr(app.config, "notfound_pagename", None):
        # Served at any depth of URL: its links are absolute, by sphinx-notfound-page's pathto.
        context["blog_sidebar"] = Markup(render(app, pagename, context["pathto"]))
    else:
        context["blog_sidebar"] = Markup(sidebars(app).of(pagename))

