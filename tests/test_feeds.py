"""Every Atom feed: valid XML, one entry per post, absolute links, a real language tag."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BCP47 = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?")
CHINA = dt.timedelta(hours=8)
# blog_feed_length in conf.py: each feed holds the newest posts only.
FEED_LENGTH = 20


def feeds(site) -> list[Path]:
    return sorted(site.html.joinpath("blog").rglob("atom.xml"))


def local_path(site, url: str, base: str) -> str:
    assert url.startswith(base), f"{url} is not under {base}"
    return urlsplit(url[len(base):]).path


@pytest.fixture(scope="module")
def base_url(site) -> str:
    root = etree.parse(str(site.html / "blog" / "atom.xml")).getroot()
    return root.find(f"{ATOM}link").get("href")


def test_there_is_a_feed_for_the_site_every_tag_category_and_year(site):
    paths = {p.relative_to(site.html).as_posix() for p in feeds(site)}
    assert "blog/atom.xml" in paths
    for tag_page in site.html.joinpath("blog/tag").glob("*.html"):
        assert f"blog/tag/{tag_page.stem}/atom.xml" in paths
    for category_page in site.html.joinpath("blog/category").glob("*.html"):
        assert f"blog/category/{category_page.stem}/atom.xml" in paths
    for year in {post.date.year for post in site.posts}:
        assert f"blog/{year}/atom.xml" in paths


def test_feeds_parse_and_carry_a_valid_language_tag(site):
    for path in feeds(site):
        root = etree.parse(str(path)).getroot()
        assert root.tag == f"{ATOM}feed", path
        assert BCP47.fullmatch(root.get(XML_LANG)), (path, root.get(XML_LANG))
        assert root.get(XML_LANG) == "zh-CN"


def test_site_feed_has_the_newest_posts_newest_first(site, base_url):
    root = etree.parse(str(site.html / "blog" / "atom.xml")).getroot()
    entries = root.findall(f"{ATOM}entry")
    newest = site.posts[:FEED_LENGTH]
    assert len(site.posts) > FEED_LENGTH
    assert [e.findtext(f"{ATOM}title") for e in entries] == [post.title for post in newest]
    for entry, post in zip(entries, newest):
        link = entry.find(f"{ATOM}link").get("href")
        assert local_path(site, link, base_url) == post.html_path
        assert entry.findtext(f"{ATOM}id") == link
        published = dt.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
        assert published.date() == post.date and published.utcoffset() == CHINA
        assert sorted(c.get("term") for c in entry.findall(f"{ATOM}category")) == sorted(post.tags)


def test_tag_feeds_have_one_entry_per_tagged_post_up_to_the_feed_length(site, base_url):
    for path in site.html.joinpath("blog/tag").glob("*/atom.xml"):
        tag_page = site.page(f"blog/tag/{path.parent.name}.html")
        listed = [a.get_text(strip=True) for a in tag_page.select(".blog-entry-title a")][:FEED_LENGTH]
        entries = etree.parse(str(path)).getroot().findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}title") for e in entries] == listed, path


def test_every_link_in_every_feed_is_absolute_and_resolves_to_a_built_page(site, base_url):
    for path in feeds(site):
        root = etree.parse(str(path)).getroot()
        urls = [link.get("href") for link in root.iter(f"{ATOM}link")]
        for content in root.iter(f"{ATOM}content"):
            fragment = lxml.html.fragment_fromstring(content.text, create_parent="div")
            urls += [href for _, _, href, _ in fragment.iterlinks()]
        for url in urls:
            assert urlsplit(url).scheme == "https", (path, url)
            target = local_path(site, url, base_url) or "index.html"
            assert (site.html / target).is_file() or (site.html / target / "index.html").is_file(), (path, url)
