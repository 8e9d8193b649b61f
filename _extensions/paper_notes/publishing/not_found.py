"""A 404 page that works at any depth of URL.

Read the Docs serves ``404.html`` for any missing address of the site, at
whatever depth (``/zh-cn/latest/posts/2024/a/b/c``), so the page's usual
relative links (``_static/...``, ``posts/...``) would point nowhere. The
page is rendered from ``_templates/404.html`` with the site's layout, then
every relative link in it is made absolute from the path of ``html_baseurl``
(``/zh-cn/latest/_static/...``), which works on any host serving the site
there, at any depth.

sphinx-notfound-page does the same with a ``notfound_urls_prefix`` that
must repeat the base path by hand; here it comes from ``html_baseurl``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
from sphinx.application import Sphinx
from sphinx.locale import _

from .feeds import site_base
from ..build.incremental import keep_collected_page

PAGENAME = "404"


def collect_page(app: Sphinx):
    context = {"title": str(_("Page not found"))}
    app.not_found_page_written = not keep_collected_page(app, PAGENAME, (context, "404.html"))
    if app.not_found_page_written:
        yield PAGENAME, context, "404.html"


def absolute_path(base_path: str, url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("/", "#")) or not url:
        return url
    return urljoin(base_path, url)


def anchor_links(app: Sphinx, exception: Exception | None) -> None:
    # A page kept from the last build has its links made absolute already.
    if exception is not None or app.builder.format != "html" or not getattr(app, "not_found_page_written", False):
        return
    path = Path(app.outdir) / app.builder.get_target_uri(PAGENAME)
    base_path = urlsplit(site_base(app)).path
    document = lxml.html.fromstring(path.read_bytes())
    document.rewrite_links(lambda url: absolute_path(base_path, url), resolve_base_href=False)
    # Sphinx's scripts (search, theme) find the site from this attribute.
    document.set("data-content_root", base_path)
    html = lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode")
    path.write_text(html, encoding="utf-8")
