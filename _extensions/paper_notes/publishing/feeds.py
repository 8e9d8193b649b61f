"""The blog's Atom feeds, written from ablog's collections: valid, stable, advertised.

One feed for the site (``blog/atom.xml``) and, with ``blog_feed_archives``, one
for each tag, category, year, language, author and location that has posts:
its published posts, newest first, at most ``blog_feed_length`` of them.

ablog writes these feeds itself, but (sunpy/ablog, as of 0.11.13) its
``xml:lang`` is Sphinx's ``zh_CN``, which is not a language tag (BCP 47 says
``zh-CN``); links inside entries are relative to a page the feed reader does
not know; naive post dates get the build machine's time zone; the feed's
``updated`` is the build time; every feed has the same ``id`` and no author,
and an entry's ``id`` is its URL, which changes with the host or version
served. And it renders a post again for every feed the post is in. This
module writes the feeds in ablog's place:

- the language tag of ``language``, every link absolute;
- dates are the author's wall-clock times in ``blog_timezone``; a feed's
  ``updated`` is its newest entry's;
- IDs are tag URIs (RFC 4151) made of ``blog_feed_id_authority`` and the
  post's slug or the feed's path, the same whatever the address;
- a feed author, ``blog_feed_author``;
- each post's entry is made once for all the feeds it is in, from the
  renderings of ``posts/excerpts.py``.

``blog_feed_fulltext`` is the one switch between summaries (the excerpt as an
HTML ``<summary>``) and full text (``<content>``, plus the excerpt as a text
``<summary>``). Other extensions add to an entry through the
``blog-feed-entry`` event (the paper a note is about, ``papers/cards.py``).

The XML is written with lxml; an entry is kept between builds as the text
of its ``<entry>`` element (``build.incremental.remembered``) and parsed
again into each feed. A feed is written only when its bytes changed; the
feed of a collection that no longer has posts is deleted.

Every page's ``<head>`` links the site feed, and a collection page its own
feed too, with absolute URLs.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from ablog.blog import Blog, Post
from lxml import etree
from sphinx.application import Sphinx
from sphinx.locale import _

from ..posts.excerpts import excerpt_html, excerpt_text, full_text_html
from ..build.incremental import remembered
from ..build.output_files import remove_empty_folders, write_if_changed
from .addresses import language_tag, site_base

FEED_FILE = "atom.xml"
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A feed without posts still needs a date; this one never changes.
NO_POSTS_DATE = dt.datetime(1970, 1, 1)


@dataclass
class EntryExtras:
    """What a ``blog-feed-entry`` handler adds to a post's feed entry."""

    # (rel, href, title) of further <link>s.
    links: list[tuple[str, str, str]] = field(default_factory=list)
    # HTML shown before the post's summary or content.
    html_before: str = ""


def in_timezone(stamp: dt.datetime | str, zone: ZoneInfo) -> str:
    """The wall-clock time of ``stamp`` (a post's naive date) in the author's zone."""
    wall_clock = dt.datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    return wall_clock.replace(tzinfo=None).replace(tzinfo=zone).isoformat()


def post_id(authority: str, docname: str) -> str:
    """The Atom ID of a post: its slug never changes, whatever the address."""
    return f"tag:{authority}:post/{PurePosixPath(docname).name}"


def feed_id(authority: str, feed_dir: str) -> str:
    return f"tag:{authority}:feed/{feed_dir}"


def atom(parent, tag: str, text: str | None = None, **attributes: str):
    """A child element ``tag`` of the Atom namespace, with its text and attributes in this order."""
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def link(parent, href: str, rel: str, **attributes: str):
    return atom(parent, "link", href=href, rel=rel, **attributes)


def post_url(app: Sphinx, post: Post) -> str:
    url = urljoin(site_base(app), app.builder.get_target_uri(post.docname))
    return f"{url}#{post.section}" if post.section else url


def entry_element(app: Sphinx, post: Post):
    """A post's ``<entry>``, the same in every feed that holds it."""
    config = app.config
    zone = ZoneInfo(config.blog_timezone)
    extras = [extra for extra in app.emit("blog-feed-entry", post) if extra]
    entry = etree.Element(f"{{{ATOM}}}entry", nsmap={None: ATOM})
    atom(entry, "id", post_id(config.blog_feed_id_authority, post.docname))
    atom(entry, "title", post.title)
    atom(entry, "updated", in_timezone(post.update, zone))
    atom(entry, "published", in_timezone(post.date, zone))
    link(entry, post_url(app, post), "alternate", type="text/html")
    for extra in extras:
        for rel, href, title in extra.links:
            link(entry, href, rel, title=title)
    for tag in sorted(post.tags):
        atom(entry, "category", term=tag.name.strip().replace(" ", ""), label=str(tag.label))
    before = "".join(extra.html_before for extra in extras)
    base = site_base(app)
    if config.blog_feed_fulltext:
        atom(entry, "summary", excerpt_text(app, post))
        atom(entry, "content", before + full_text_html(app, post, base), type="html")
    else:
        atom(entry, "summary", before + excerpt_html(app, post, base), type="html")
    return entry


def entry_text(app: Sphinx, post: Post) -> str:
    """A post's ``<entry>`` as XML text, as it is kept between builds."""
    return etree.tostring(entry_element(app, post), encoding="unicode")


def feed_xml(app: Sphinx, folder: str, title: str, posts: list[Post], entries: dict) -> bytes:
    config = app.config
    base = site_base(app)
    zone = ZoneInfo(config.blog_timezone)
    dates = [stamp for post in posts for stamp in (post.date, post.update)]
    feed = etree.Element(f"{{{ATOM}}}feed", {XML_LANG: language_tag(config.language)}, nsmap={None: ATOM})
    atom(feed, "id", feed_id(config.blog_feed_id_authority, folder))
    atom(feed, "title", title)
    if config.blog_feed_subtitle:
        atom(feed, "subtitle", config.blog_feed_subtitle)
    atom(feed, "updated", in_timezone(max(dates, default=NO_POSTS_DATE), zone))
    author = atom(feed, "author")
    atom(author, "name", config.blog_feed_author)
    atom(author, "uri", base)
    link(feed, urljoin(base, app.builder.get_target_uri(folder)), "alternate", type="text/html")
    link(feed, urljoin(base, f"{folder}/{FEED_FILE}"), "self")
    # An element has one parent: each feed gets its own copy of an entry.
    feed.extend(copy.deepcopy(entries[post.docname]) for post in posts)
    return etree.tostring(feed, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def blog_feeds(blog: Blog) -> list[tuple[str, str, list[Post]]]:
    """(folder, title, posts) of every feed the blog has."""
    feeds = [(blog.blog_path, blog.blog_title, list(blog.posts))]
    if blog.blog_feed_archives:
        for header, catalog in [
            (_("Posts by"), blog.author),
            (_("Posts from"), blog.location),
            (_("Posts in"), blog.language),
            (_("Posts in"), blog.category),
            (_("Posted in"), blog.archive),
            (_("Posts tagged"), blog.tags),
        ]:
            for collection in catalog:
                posts = [post for post in collection if post.published]
                if posts:
                    feeds.append((collection.path, f"{blog.blog_title} - {header} {collection}", posts))
    length = blog.blog_feed_length
    return [(folder, title, sorted(posts, key=lambda p: p.date, reverse=True)[:length]) for folder, title, posts in feeds]


def write_feeds(app: Sphinx) -> list:
    """``html-collect-pages``: write every feed; collect no page."""
    if app.builder.format != "html" or not app.config.blog_baseurl:
        return []
    blog = Blog(app)
    outdir = Path(app.outdir)
    feeds = blog_feeds(blog)
    posts = {post.docname: post for _, _, posts in feeds for post in posts}
    entries = {
        docname: etree.fromstring(
            remembered(app, ("feed entry", docname, post.section), lambda post=post: entry_text(app, post))
        )
        for docname, post in posts.items()
    }
    for folder, title, posts in feeds:
        write_if_changed(outdir / folder / FEED_FILE, feed_xml(app, folder, title, posts, entries))
    current = {outdir / folder / FEED_FILE for folder, _, _ in feeds}
    for stale in set(outdir.joinpath(blog.blog_path).rglob(FEED_FILE)) - current:
        stale.unlink()
        remove_empty_folders(stale.parent, outdir)
    return []


def feed_link(url: str, title: str) -> str:
    return f'<link rel="alternate" type="application/atom+xml" href="{escape(url)}" title="{escape(title)}" />\n'


def advertise_feeds(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Link the site feed, and a collection's own feed, from the page's <head>."""
    if not app.config.blog_baseurl or "ablog" not in context:
        return
    base = site_base(app)
    links = [feed_link(urljoin(base, f"{app.config.blog_path}/{FEED_FILE}"), app.config.blog_title)]
    # ablog's page.html links feed_path from <head>, relatively and not on
    # every page; the collection template shows it as collection_feed_path.
    collection_feed = context.pop("feed_path", None)
    if context.get("archive_feed") and collection_feed != app.config.blog_path:
        context["collection_feed_path"] = collection_feed
        links.append(feed_link(urljoin(base, f"{collection_feed}/{FEED_FILE}"), context["feed_title"]))
    context["metatags"] = context.get("metatags", "") + "".join(links)

