"""What the blog's pages show around ablog's data (the listings' pages are ``pagination.py``'s).

- Post pages: date, reading time, category and tags under the title, and the
  theme's own previous/next links pointing to the older and newer post.
- English posts get ``<html lang="en">``.
"""

from __future__ import annotations

import re

from ablog.blog import Blog
from sphinx.application import Sphinx

from .reading_time import METADATA_KEY

FIRST_H1_END = re.compile(r"</h1>")


def add_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "ablog" not in context:
        return
    blog: Blog = context["ablog"]
    metadata = app.env.metadata
    context["reading_minutes"] = lambda post: metadata.get(post.docname, {}).get(METADATA_KEY)
    if pagename not in blog:
        return
    post = blog[pagename]
    context["blog_post"] = post
    if "en" in [str(coll.label) for coll in post.language]:
        context["language"] = "en"
    pathto = context["pathto"]
    # ablog links published posts only; a draft or future post (in the preview)
    # has no neighbours (ablog leaves its links at -1).
    older, newer = (post.prev, post.next) if post.published else (None, None)
    context["prev"] = {"link": pathto(older.docname), "title": older.title} if older else None
    context["next"] = {"link": pathto(newer.docname), "title": newer.title} if newer else None
    meta = app.builder.templates.render("blog/post-meta.html", {**context, "post": post})
    # Under the title: the meta line, then what other extensions put in
    # ``after_title`` before this handler ran (the paper card).
    under_title = meta + "".join(context.get("after_title", []))
    context["body"] = FIRST_H1_END.sub(lambda m: m.group(0) + under_title, context["body"], count=1)
