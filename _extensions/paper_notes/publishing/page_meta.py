"""What each page tells search engines and link previews about itself.

Every page gets a ``<meta name="description">``, Open Graph and Twitter card
tags (title, description, canonical URL, the site's default image), all with
absolute URLs from ``html_baseurl``. A post's description is its excerpt as
plain text; a listing's names the posts or collections it lists (a page of
a listing, under the title that says which page it is, those on that page);
the home page, and any other page, uses ``site_description``. Posts are ``og:type`` article, with their
published and modified times in ``blog_timezone``, category and tags, and
carry JSON-LD ``BlogPosting`` data: the note's own title and dates, and the
paper it discusses as its ``about`` (a ``ScholarlyArticle``).

sphinxext-opengraph (0.13) is not used: it skips pages without a doctree,
which is every one of ablog's collection pages, describes a page by its
first text (a post's title section, not its excerpt), and writes no
article times, tags or JSON-LD.
"""

from __future__ import annotations

import json
import re
from html import escape
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from ablog.blog import Blog, Post
from markupsafe import Markup
from sphinx.application import Sphinx

from ..papers.bibliography import Paper, paper_of
from ..posts.excerpts import excerpt_text
from .addresses import site_base
from .feeds import in_timezone

WHITESPACE = re.compile(r"\s+")


def shorten(text: str, limit: int) -> str:
    text = WHITESPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def listing(title: str, names: list[str]) -> str:
    return f"{title}：{'、'.join(names)}" if names else title


def description(app: Sphinx, blog: Blog, pagename: str, context: dict) -> str:
    if pagename in blog:
        text = excerpt_text(app, blog[pagename])
    elif pagename == app.config.root_doc:
        text = app.config.site_description
    elif context.get("blog_listing_page") is not None:
        # The title is HTML: the home page's comes from its document.
        title = Markup(context["title"]).striptags()
        text = listing(title, [post.title for post in context["blog_listing_page"].posts])
    elif "collection" in context and context["collection"] is not None:
        text = listing(context["title"], [post.title for post in context["collection"]])
    elif "catalog" in context:
        text = listing(context["title"], [str(coll) for coll in context["catalog"] if len(coll)])
    else:
        text = app.config.site_description
    return shorten(text, app.config.site_description_length) or app.config.site_description


def meta(attribute: str, key: str, value: str) -> str:
    return f'<meta {attribute}="{escape(key)}" content="{escape(value)}" />\n'


def post_language(app: Sphinx, post: Post) -> str:
    # ablog applies the default language to published posts only; drafts show in the preview.
    return next((str(coll.label) for coll in post.language), app.config.blog_default_language)


def scholarly_article(paper: Paper) -> dict:
    """The paper a note is about, as schema.org describes a paper: the note is not it."""
    data = {
        "@type": "ScholarlyArticle",
        "name": paper.title,
        "author": [{"@type": "Person", "name": author} for author in paper.authors],
        "datePublished": paper.year,
    }
    same_as = [url for url in (paper.doi_url, paper.arxiv_url, paper.url) if url]
    if same_as:
        data["sameAs"] = same_as
    identifiers = [*([f"doi:{paper.doi}"] if paper.doi else []), *([f"arXiv:{paper.arxiv}"] if paper.arxiv else [])]
    if identifiers:
        data["identifier"] = identifiers
    return data


def blog_posting(
    post: Post, url: str, text: str, image: str, blog: tuple[str, str], zone: ZoneInfo, language: str, paper: Paper | None
) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": text,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": in_timezone(post.date, zone),
        "dateModified": in_timezone(post.update, zone),
        "inLanguage": language,
        "articleSection": [coll.name for coll in post.category],
        "keywords": [coll.name for coll in post.tags],
        "image": image,
        "isPartOf": {"@type": "Blog", "name": blog[0], "url": blog[1]},
    }
    if paper is not None:
        data["about"] = scholarly_article(paper)
    # "</" inside a string would end the <script> element early.
    payload = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{payload}\n</script>\n'


def add_meta_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "ablog" not in context:
        return
    blog: Blog = context["ablog"]
    base = site_base(app)
    url = context.get("pageurl") or urljoin(base, app.builder.get_target_uri(pagename))
    post = blog[pagename] if pagename in blog else None
    text = description(app, blog, pagename, context)
    image = urljoin(base, app.config.site_image)
    # Sphinx hands a document's title over as HTML.
    title = post.title if post else Markup(context.get("title") or app.config.project).striptags()
    tags = [
        meta("name", "description", text),
        meta("property", "og:site_name", app.config.project),
        meta("property", "og:title", title),
        meta("property", "og:description", text),
        meta("property", "og:url", url),
        meta("property", "og:type", "article" if post else "website"),
        meta("property", "og:locale", context.get("language", app.config.language).replace("-", "_")),
        meta("property", "og:image", image),
        meta("property", "og:image:type", "image/png"),
        meta("property", "og:image:width", str(app.config.site_image_size[0])),
        meta("property", "og:image:height", str(app.config.site_image_size[1])),
        meta("property", "og:image:alt", app.config.site_image_alt),
        meta("name", "twitter:card", "summary_large_image"),
        meta("name", "twitter:title", title),
        meta("name", "twitter:description", text),
        meta("name", "twitter:image", image),
        meta("name", "twitter:image:alt", app.config.site_image_alt),
    ]
    if post:
        zone = ZoneInfo(app.config.blog_timezone)
        tags += [
            meta("property", "article:published_time", in_timezone(post.date, zone)),
            meta("property", "article:modified_time", in_timezone(post.update, zone)),
            *(meta("property", "article:section", coll.name) for coll in post.category),
            *(meta("property", "article:tag", coll.name) for coll in post.tags),
            blog_posting(
                post, url, text, image, (app.config.blog_title, base), zone, post_language(app, post),
                paper_of(app, pagename),
            ),
        ]
    context["metatags"] = context.get("metatags", "") + "".join(tags)
