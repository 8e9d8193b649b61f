"""No internal link or anchor anywhere in the built site is broken.

On the owner's site, whatever it holds, and on the feature tests' blog
(tests/roots/test-features), whose notes use citations, footnotes and labels.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from site_urls import resolve


@pytest.fixture(params=["owner's site", "feature tests' blog"])
def any_blog(request):
    return request.getfixturevalue("site" if request.param == "owner's site" else "features")


def pages(site) -> list[Path]:
    return sorted(p for p in site.html.rglob("*.html") if "_static" not in p.parts)


def test_every_internal_link_and_anchor_resolves(any_blog):
    site = any_blog
    ids: dict[str, set[str]] = {}

    def ids_of(pagename: str) -> set[str]:
        if pagename not in ids:
            soup = BeautifulSoup((site.html / pagename).read_text(encoding="utf-8"), "lxml")
            ids[pagename] = {tag["id"] for tag in soup.select("[id]")} | {tag["name"] for tag in soup.select("a[name]")}
        return ids[pagename]

    broken = []
    checked = 0
    # The 404 page links from the site's base path, to work at any depth.
    base_path = urlsplit(site.base_url).path
    for path in pages(site):
        pagename = path.relative_to(site.html).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attribute: True}):
                url = element[attribute]
                if urlsplit(url).scheme or url.startswith(("//", "mailto:", "javascript:")):
                    continue
                if url.startswith("/") and not url.startswith(base_path):
                    broken.append((pagename, url))
                    continue
                target = resolve("index.html", url.removeprefix(base_path)) if url.startswith("/") else resolve(pagename, url)
                file, _, fragment = target.partition("#")
                checked += 1
                if not (site.html / file).is_file():
                    if (site.html / file / "index.html").is_file():
                        file = f"{file}/index.html"
                    else:
                        broken.append((pagename, url))
                        continue
                if fragment and file.endswith(".html") and fragment not in ids_of(file):
                    broken.append((pagename, url))
    # Every page links to others (sidebars, navigation): a floor that says links were found.
    assert checked > 20 * len(pages(site))
    assert not broken, broken[:20]


def test_no_page_links_to_another_host_except_papers_and_feeds(any_blog):
    """Pages load nothing from other hosts (links out to papers are fine)."""
    for path in pages(any_blog):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for element in soup.select("script[src], link[rel=stylesheet], img[src], link[rel=preload]"):
            url = element.get("src") or element.get("href")
            assert not urlsplit(url).netloc, (path.name, url)
