"""Make ablog's Atom feeds valid, stable and advertised on every page.

ablog writes one feed per collection, but (sunpy/ablog, as of 0.11.13):

- its ``xml:lang`` is Sphinx's ``zh_CN``, which is not a language tag
  (BCP 47 says ``zh-CN``);
- links inside entries are relative to the feed's HTML page, which a feed
  reader does not know;
- naive post dates get the build machine's time zone, not the author's;
- the feed's own ``updated`` is the build time, so it changes at every build;
- every feed has the same ``id`` and no ``author``, and an entry's ``id`` is
  its URL, which changes with the host or the version being served;
- the feed link in ``<head>`` is missing on some pages (the index, the 404
  page) and relative.

Once the pages are written, each feed is rewritten in place in the output
folder: the language tag, absolute links, dates in ``blog_timezone``, the
newest entry's date as the feed's date, tag URIs (RFC 4151) as IDs built
from ``blog_feed_id_authority`` and the post's slug or the feed's path, and
a feed author. ``blog_feed_fulltext`` is the one switch between full text
(``<content>``, plus the excerpt as ``<summary>``) and summaries only (the
excerpt as HTML ``<summary>``, no ``<content>``).

Every page's ``<head>`` links the site feed, and a collection page its own
feed too, with absolute URLs.

A feed that this build did not write (an incremental build leaves unchanged
collections alone, _extensions/incremental_blog.py) was fixed by the build
that wrote it, and is skipped.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import lxml.html
from ablog.blog import Blog
from lxml import etree
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def language_tag(sphinx_language: str) -> str:
    return sphinx_language.replace("_", "-")


def site_base(app: Sphinx) -> str:
    return app.config.blog_baseurl.rstrip("/") + "/"


def absolute_links(html: str, page_url: str) -> str:
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.make_links_absolute(page_url, resolve_base_href=False)
    children = (lxml.html.tostring(child, encoding="unicode") for child in wrapper)
    return (wrapper.text or "") + "".join(children)


def in_timezone(stamp: dt.datetime | str, zone: ZoneInfo) -> str:
    """The wall-clock time of ``stamp`` (a post's naive date) in the author's zone."""
    wall_clock = dt.datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    return wall_clock.replace(tzinfo=None).replace(tzinfo=zone).isoformat()


def post_id(authority: str, docname: str) -> str:
    """The Atom ID of a post: its slug never changes, whatever the address."""
    return f"tag:{authority}:post/{PurePosixPath(docname).name}"


def feed_id(authority: str, feed_dir: str) -> str:
    return f"tag:{authority}:feed/{feed_dir}"


def fix_entry(entry: etree._Element, page_url: str, ids: dict[str, str], zone: ZoneInfo, fulltext: bool) -> None:
    url = entry.find(f"{ATOM}link").get("href")
    entry.find(f"{ATOM}id").text = ids[url]
    for element in entry.iter(f"{ATOM}published", f"{ATOM}updated"):
        element.text = in_timezone(element.text, zone)
    content = entry.find(f"{ATOM}content")
    if content is None:
        return
    html = absolute_links(content.text, page_url)
    if fulltext:
        content.text = html
        return
    # ablog puts the excerpt in <content> when full text is off: it is a summary.
    entry.remove(content)
    summary = entry.find(f"{ATOM}summary")
    if summary is None:
        summary = etree.SubElement(entry, f"{ATOM}summary")
    summary.text = html
    summary.set("type", "html")


def fix_feed(path: Path, page_url: str, feed_identity: str, ids: dict[str, str], app: Sphinx) -> None:
    tree = etree.parse(str(path))
    root = tree.getroot()
    root.set(XML_LANG, language_tag(app.config.language))
    root.find(f"{ATOM}id").text = feed_identity
    # ablog's first link, without rel, is the feed's HTML page.
    alternate = root.find(f"{ATOM}link")
    alternate.attrib.update({"rel": "alternate", "type": "text/html", "href": page_url})
    # Rewriting a feed twice gives the same feed (an incremental build may hand
    # back one that was already fixed).
    for old_author in root.findall(f"{ATOM}author"):
        root.remove(old_author)
    author = etree.Element(f"{ATOM}author")
    etree.SubElement(author, f"{ATOM}name").text = app.config.blog_feed_author
    etree.SubElement(author, f"{ATOM}uri").text = site_base(app)
    alternate.addprevious(author)
    zone = ZoneInfo(app.config.blog_timezone)
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        fix_entry(entry, page_url, ids, zone, app.config.blog_feed_fulltext)
    # The feed changes when a post does, not at every build.
    dates = [e.findtext(f"{ATOM}updated") for e in entries] + [e.findtext(f"{ATOM}published") for e in entries]
    if dates:
        root.find(f"{ATOM}updated").text = max(dates, key=dt.datetime.fromisoformat)
    etree.indent(tree)
    tree.write(str(path), encoding="utf-8", xml_declaration=True)


def fix_feeds(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not app.config.blog_baseurl:
        return
    outdir = Path(app.outdir)
    base = site_base(app)
    authority = app.config.blog_feed_id_authority
    ids = {
        urljoin(base, app.builder.get_target_uri(post.docname)): post_id(authority, post.docname)
        for post in Blog(app).posts
    }
    for path in feeds_written(app):
        # A feed at <page>/atom.xml lists the posts of <page>.html and renders
        # its entries relative to that page.
        feed_dir = path.parent.relative_to(outdir).as_posix()
        page_url = urljoin(base, app.builder.get_target_uri(feed_dir))
        fix_feed(path, page_url, feed_id(authority, feed_dir), ids, app)


def feed_link(url: str, title: str) -> str:
    return f'<link rel="alternate" type="application/atom+xml" href="{escape(url)}" title="{escape(title)}" />\n'


def advertise_feeds(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Link the site feed, and a collection's own feed, from the page's <head>."""
    if not app.config.blog_baseurl or "ablog" not in context:
        return
    base = site_base(app)
    links = [feed_link(urljoin(base, f"{app.config.blog_path}/atom.xml"), app.config.blog_title)]
    # ablog's page.html links feed_path from <head>, relatively and not on
    # every page; the collection template shows it as collection_feed_path.
    collection_feed = context.pop("feed_path", None)
    if context.get("archive_feed") and collection_feed != app.config.blog_path:
        context["collection_feed_path"] = collection_feed
        links.append(feed_link(urljoin(base, f"{collection_feed}/atom.xml"), context["feed_title"]))
    context["metatags"] = context.get("metatags", "") + "".join(links)


def check_config(app: Sphinx, config: Config) -> None:
    for name in ("blog_feed_id_authority", "blog_feed_author"):
        if config.blog_baseurl and not config[name]:
            raise ConfigError(f"conf.py: {name} is empty; the Atom feeds need it (see _extensions/atom_feeds.py)")


BUILD_START_MARK = "feeds-build-start"


def note_build_start(app: Sphinx) -> None:
    # A file touched now, beside the saved environment (not in the published
    # output), dates this build with the file system's own clock and precision.
    Path(app.doctreedir).mkdir(parents=True, exist_ok=True)
    Path(app.doctreedir, BUILD_START_MARK).touch()


def feeds_written(app: Sphinx) -> list[Path]:
    """The Atom feeds this build wrote; an unchanged feed was fixed by the build that wrote it."""
    start = Path(app.doctreedir, BUILD_START_MARK).stat().st_mtime_ns
    feeds = Path(app.outdir, app.config.blog_path).rglob("atom.xml")
    return sorted(path for path in feeds if path.stat().st_mtime_ns >= start)


def setup(app: Sphinx) -> dict:
    app.add_config_value("blog_timezone", "Asia/Shanghai", "html", types=[str])
    app.add_config_value("blog_feed_id_authority", "", "html", types=[str])
    app.add_config_value("blog_feed_author", "", "html", types=[str])
    app.connect("config-inited", check_config)
    # After ablog's own html-page-context handler (default priority 500).
    app.connect("html-page-context", advertise_feeds, priority=600)
    app.connect("builder-inited", note_build_start)
    app.connect("build-finished", fix_feeds)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
