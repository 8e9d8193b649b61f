"""Make ablog's Atom feeds valid and absolute.

ablog writes one feed per collection, but (sunpy/ablog, as of 0.11.13):

- its ``xml:lang`` is Sphinx's ``zh_CN``, which is not a language tag
  (BCP 47 says ``zh-CN``);
- links inside full-text entries are relative to the feed's HTML page, which
  a feed reader does not know;
- naive post dates get the build machine's time zone, not the author's;
- the feed's own ``updated`` is the build time, so it changes at every build.

Once the pages are written, each feed written by this build is rewritten in
place in the output folder with the language tag, absolute links, dates in
``blog_timezone``, and the newest entry's date as the feed's date.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree
from sphinx.application import Sphinx

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def language_tag(sphinx_language: str) -> str:
    return sphinx_language.replace("_", "-")


def absolute_links(html: str, page_url: str) -> str:
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.make_links_absolute(page_url, resolve_base_href=False)
    children = (lxml.html.tostring(child, encoding="unicode") for child in wrapper)
    return (wrapper.text or "") + "".join(children)


def in_timezone(stamp: str, zone: ZoneInfo) -> str:
    wall_clock = dt.datetime.fromisoformat(stamp).replace(tzinfo=None)
    return wall_clock.replace(tzinfo=zone).isoformat()


def fix_feed(path: Path, page_url: str, language: str, zone: ZoneInfo) -> None:
    tree = etree.parse(str(path))
    root = tree.getroot()
    root.set(XML_LANG, language)
    entry_dates = []
    for entry in root.iter(f"{ATOM}entry"):
        for element in entry.iter(f"{ATOM}published", f"{ATOM}updated"):
            element.text = in_timezone(element.text, zone)
            entry_dates.append(element.text)
    # The feed changes when a post does, not at every build.
    if entry_dates:
        root.find(f"{ATOM}updated").text = max(entry_dates)
    for content in root.iter(f"{ATOM}content", f"{ATOM}summary"):
        if content.get("type") == "html" and content.text:
            content.text = absolute_links(content.text, page_url)
    tree.write(str(path), encoding="utf-8", xml_declaration=True, pretty_print=True)


def fix_feeds(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not app.config.blog_baseurl:
        return
    outdir = Path(app.outdir)
    base = app.config.blog_baseurl.rstrip("/") + "/"
    language = language_tag(app.config.language)
    zone = ZoneInfo(app.config.blog_timezone)
    for path in sorted(outdir.joinpath(app.config.blog_path).rglob("atom.xml")):
        # A feed this build did not write was fixed by the build that did.
        if path.stat().st_mtime_ns < app.atom_feeds_build_start:
            continue
        # A feed at <page>/atom.xml renders its entries relative to <page>.
        page = path.parent.relative_to(outdir).as_posix()
        fix_feed(path, urljoin(base, app.builder.get_target_uri(page)), language, zone)


def note_build_start(app: Sphinx) -> None:
    app.atom_feeds_build_start = time.time_ns()


def setup(app: Sphinx) -> dict:
    app.add_config_value("blog_timezone", "Asia/Shanghai", "html", types=[str])
    app.connect("builder-inited", note_build_start)
    app.connect("build-finished", fix_feeds)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
