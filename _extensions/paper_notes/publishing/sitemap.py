"""``sitemap.xml`` and ``robots.txt`` for search engines.

The sitemap lists every published page (each document, each of ablog's
listing pages and every page a listing is cut into, the search page) at its
canonical URL, with its last change where it has one: a post's update date,
a listing's newest post (on each of its pages, whose posts move from page
to page with every post added), and for any other document the later of its
last commit in git and the newest post it may list. Pages that are not
content (``sitemap_excluded_pages``: the 404 page, the drafts listing, with
its pages) and draft posts are left out and marked ``noindex`` instead, so
that every page is either in the sitemap or asks not to be indexed.
``robots.txt`` points crawlers to the sitemap.

sphinx-sitemap is not used: it knows nothing of ablog's posts and their
dates, which are what a blog's sitemap is for, and it collects pages as
they are written, so after an incremental build it lists only the pages
that build wrote (jdillard/sphinx-sitemap#13).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from ablog.blog import Blog
from lxml import etree
from sphinx.application import Sphinx

from ..build.git_dates import file_dates
from ..posts.pagination import every_page, first_page
from .addresses import site_base
from .feeds import in_timezone
from ..build.output_files import write_if_changed

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def is_published(app: Sphinx, pagename: str) -> bool:
    drafts = {post.docname for post in Blog(app).drafts}
    listing = first_page(pagename, app.config.root_doc)
    return listing not in app.config.sitemap_excluded_pages and pagename not in drafts


def listing_dates(blog: Blog) -> dict[str, dt.datetime]:
    """Each page ablog writes for a collection or catalog, dated by its newest post.

    Read from ablog's data rather than from the pages written: an incremental
    build writes only some of them.
    """
    dates = {blog.posts.docname: max(post.update for post in blog.posts)} if len(blog.posts) else {}
    for catalog in (blog.author, blog.location, blog.language, blog.category, blog.archive, blog.tags):
        collections = [coll for coll in catalog if len(coll)]
        for coll in collections:
            dates[coll.docname] = max(post.update for post in coll)
        if collections:
            dates[catalog.docname] = max(dates[coll.docname] for coll in collections)
    return dates


def mark_unlisted(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Ask search engines to skip the pages the sitemap leaves out."""
    if not is_published(app, pagename):
        context["metatags"] = context.get("metatags", "") + '<meta name="robots" content="noindex" />\n'


def document_date(app: Sphinx, docname: str, zone: ZoneInfo) -> str | None:
    blog = Blog(app)
    if docname in blog:
        return in_timezone(blog[docname].update, zone)
    dates = []
    committed = file_dates(app).get(app.env.doc2path(docname, False).as_posix())
    if committed is not None:
        dates.append(committed.changed)
    if docname == app.config.root_doc and blog.posts:
        # The home page lists every post.
        dates.append(dt.datetime.fromisoformat(in_timezone(max(p.update for p in blog.posts), zone)))
    return max(dates).isoformat() if dates else None


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    zone = ZoneInfo(app.config.blog_timezone)
    pages = {docname: document_date(app, docname, zone) for docname in app.env.found_docs}
    for pagename, newest in listing_dates(Blog(app)).items():
        pages[pagename] = in_timezone(newest, zone)
    for pagename, page in every_page(app).items():
        if pagename not in pages:
            pages[pagename] = pages.get(page.listing)
    # Written from a template, not a document, and undated.
    pages["search"] = None
    base = site_base(app)
    urlset = etree.Element(f"{{{SITEMAP}}}urlset", nsmap={None: SITEMAP})
    for pagename in sorted(pages):
        if not is_published(app, pagename):
            continue
        url = etree.SubElement(urlset, f"{{{SITEMAP}}}url")
        etree.SubElement(url, f"{{{SITEMAP}}}loc").text = urljoin(base, app.builder.get_target_uri(pagename))
        if pages[pagename]:
            etree.SubElement(url, f"{{{SITEMAP}}}lastmod").text = pages[pagename]
    outdir = Path(app.outdir)
    sitemap = etree.tostring(urlset, encoding="utf-8", xml_declaration=True, pretty_print=True)
    write_if_changed(outdir / "sitemap.xml", sitemap)
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {urljoin(base, 'sitemap.xml')}\n"
    write_if_changed(outdir / "robots.txt", robots)
