"""The old site's addresses lead to the new pages at once; the map is one data file.

Every line of a blog's ``redirects.yaml``, read when the test runs, gets its
page (or, for a file such as a feed, a copy): on the owner's site, whatever
lines the owner adds, and on the feature tests' blog (tests/roots/test-features),
where the map's mistakes and the removal of a line are tried too. The port's
promise is checked on the owner's site: every address of the Academic Pages
site still leads to its new page.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml
from lxml import etree

from conftest import PROJECT, built, make_html

ATOM = "{http://www.w3.org/2005/Atom}"

# The Academic Pages site's addresses (its listing, tags and categories pages,
# its sample posts, its feed) and the pages of this site that replace them.
OLD_ADDRESSES = {
    "year-archive/index.html": "index.html",
    "tags/index.html": "blog/tag.html",
    "categories/index.html": "blog/category.html",
    "posts/2012/08/blog-post-1/index.html": "posts/2012/blog-post-1.html",
    "posts/2013/08/blog-post-2/index.html": "posts/2013/blog-post-2.html",
    "posts/2014/08/blog-post-3/index.html": "posts/2014/blog-post-3.html",
    "posts/2012/08/blog-post-4/index.html": "posts/2015/blog-post-4.html",
}
OLD_FEED = "/feed.xml"


def redirects(build) -> dict[str, str]:
    """The blog's map, as its file says: old path -> new page."""
    return yaml.safe_load((build.source / "redirects.yaml").read_text(encoding="utf-8")) or {}


def page_of(old: str) -> str:
    """Where the build writes an old address: a folder's index.html, or the file itself."""
    path = PurePosixPath(old.lstrip("/"))
    return (path / "index.html").as_posix() if old.endswith("/") or not path.suffix else path.as_posix()


def built_target(build, new: str) -> str:
    """The file of the site that a map's target names: a file, or a document's page."""
    return new if (build.html / new).is_file() else new + ".html"


def check_moved_page(build, old_page: str, new: str) -> None:
    """The page at an old address sends the reader on at once, and nothing more."""
    page = build.page(old_page)
    target = build.base_url + new
    refresh = page.select_one('head meta[http-equiv="refresh"]')["content"]
    delay, url = re.fullmatch(r"(\d+); url=(.+)", refresh).groups()
    assert (int(delay), url) == (0, target), old_page
    assert page.select_one("head link[rel=canonical]")["href"] == target
    assert [a["href"] for a in page.select("body a")] == [target]
    assert page.select_one('meta[name=robots]')["content"] == "noindex"
    assert (build.html / new).is_file()
    assert not page.select("script, link[rel=stylesheet], img")


def check_every_line(build) -> None:
    for old, new in redirects(build).items():
        target, written = built_target(build, new), page_of(old)
        assert (build.html / written).is_file(), (old, written)
        if written.endswith(".html"):
            check_moved_page(build, written, target)
        else:
            assert (build.html / written).read_bytes() == (build.html / target).read_bytes(), old


# -- The owner's site -------------------------------------------------------------


def test_the_map_is_one_data_file_with_every_old_address():
    """Every address of the Academic Pages site; any other old address the owner adds may follow."""
    mapped = yaml.safe_load((PROJECT / "redirects.yaml").read_text(encoding="utf-8"))
    old = {"/year-archive/", OLD_FEED, "/tags/", "/categories/", "/posts/2012/08/blog-post-1/",
           "/posts/2013/08/blog-post-2/", "/posts/2014/08/blog-post-3/", "/posts/2012/08/blog-post-4/"}
    assert old <= set(mapped)


@pytest.mark.parametrize("old, new", OLD_ADDRESSES.items())
def test_an_old_address_sends_the_reader_on_at_once(site, old, new):
    check_moved_page(site, old, new)


def test_every_line_of_the_map_has_its_page(site):
    check_every_line(site)


def test_the_old_feed_address_serves_the_site_feed(site):
    old = etree.parse(str(site.html / "feed.xml")).getroot()
    new = etree.parse(str(site.html / "blog" / "atom.xml")).getroot()
    assert etree.tostring(old) == etree.tostring(new)
    assert old.find(f"{ATOM}link[@rel='self']").get("href") == site.base_url + "blog/atom.xml"


def test_an_old_address_in_a_browser_lands_on_the_new_page(browser, served_rtd_site, rtd_site):
    base_path = urlsplit(rtd_site.base_url).path
    page = browser.new_page()
    # The redirect names the canonical host, answered here from the built site.
    page.route(rtd_site.base_url + "**", lambda route: route.fulfill(
        path=rtd_site.html / urlsplit(route.request.url).path.removeprefix(base_path)))
    page.goto(f"{served_rtd_site}{base_path}posts/2012/08/blog-post-4/")
    page.wait_for_url(re.compile(r".*/posts/2015/blog-post-4\.html$"), timeout=3000)
    assert page.locator("article h1").first.inner_text().startswith("Blog Post number 4")
    page.close()


# -- The feature tests' blog ---------------------------------------------------------


def test_every_kind_of_old_address_gets_its_page(features):
    """A folder (``/tags/``), a folder inside folders, a page (``/old/dpo.html``), a feed."""
    written = {page_of(old) for old in redirects(features)}
    assert {"tags/index.html", "posts/2023/12/ppo/index.html", "old/dpo.html", "feed.xml"} <= written
    check_every_line(features)


BAD_MAPS = {
    "target that does not exist": (
        "/old/: posts/2024/no-such-post\n", r"'/old/' leads to 'posts/2024/no-such-post', which the site does not have"),
    "old path that is a page of the site": (
        "/posts/2023/dpo.html: index\n", r"'/posts/2023/dpo.html' would overwrite posts/2023/dpo.html, a page of the site"),
    "old path without a slash": ("old/: index\n", r"'old/' is not an old address; expected a path starting with '/'"),
    "not a mapping": ("- /old/\n", r"not a list of addresses; expected 'old path: new page' lines"),
}


@pytest.mark.parametrize("case", BAD_MAPS)
def test_a_bad_entry_fails_the_build_naming_the_file_and_the_entry(features_copy, tmp_path, case):
    text, problem = BAD_MAPS[case]
    (features_copy / "redirects.yaml").write_text(text, encoding="utf-8")
    build = make_html(features_copy, tmp_path / "out")
    assert build.returncode != 0, build.log
    assert re.search(rf"redirects\.yaml:1: ERROR: {problem}", build.log), build.log


def test_an_address_taken_out_of_the_map_loses_its_page_in_the_next_build(features_copy, tmp_path):
    """A rebuild gives what a clean build gives: no page for an address the map no longer has."""
    out = tmp_path / "out"
    built(features_copy, out)
    old_page = out / "html" / "posts/2023/12/ppo/index.html"
    assert old_page.is_file()
    redirects_file = features_copy / "redirects.yaml"
    text = redirects_file.read_text(encoding="utf-8")
    assert "/posts/2023/12/ppo/: posts/2023/ppo\n" in text
    redirects_file.write_text(text.replace("/posts/2023/12/ppo/: posts/2023/ppo\n", ""), encoding="utf-8")
    built(features_copy, out)
    assert not old_page.exists() and not old_page.parent.parent.exists()
    assert (out / "html" / "posts/2023/ppo.html").is_file()
    assert (out / "html" / "tags/index.html").is_file()
