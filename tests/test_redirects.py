"""The old site's addresses lead to the new pages at once; the map is one data file."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import yaml
from lxml import etree

from conftest import PROJECT, make_html

ATOM = "{http://www.w3.org/2005/Atom}"

OLD_ADDRESSES = {
    "year-archive/index.html": "index.html",
    "tags/index.html": "blog/tag.html",
    "categories/index.html": "blog/category.html",
    "posts/2012/08/blog-post-1/index.html": "posts/2012/blog-post-1.html",
    "posts/2013/08/blog-post-2/index.html": "posts/2013/blog-post-2.html",
    "posts/2014/08/blog-post-3/index.html": "posts/2014/blog-post-3.html",
    "posts/2012/08/blog-post-4/index.html": "posts/2015/blog-post-4.html",
}


def test_the_map_is_one_data_file_with_every_old_address():
    redirects = yaml.safe_load((PROJECT / "redirects.yaml").read_text(encoding="utf-8"))
    old = {"/year-archive/", "/feed.xml", "/tags/", "/categories/", "/posts/2012/08/blog-post-1/",
           "/posts/2013/08/blog-post-2/", "/posts/2014/08/blog-post-3/", "/posts/2012/08/blog-post-4/"}
    assert set(redirects) == old


@pytest.mark.parametrize("old, new", OLD_ADDRESSES.items())
def test_an_old_address_sends_the_reader_on_at_once(site, old, new):
    page = site.page(old)
    target = site.base_url + new
    refresh = page.select_one('head meta[http-equiv="refresh"]')["content"]
    delay, url = re.fullmatch(r"(\d+); url=(.+)", refresh).groups()
    assert (int(delay), url) == (0, target)
    assert page.select_one("head link[rel=canonical]")["href"] == target
    assert [a["href"] for a in page.select("body a")] == [target]
    assert page.select_one('meta[name=robots]')["content"] == "noindex"
    assert (site.html / new).is_file()
    assert not page.select("script, link[rel=stylesheet], img")


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


BAD_MAPS = {
    "target that does not exist": ("/old/: posts/2024/no-such-post\n", r"'/old/' -> 'posts/2024/no-such-post': the site has no such page"),
    "old path that is a page of the site": ("/posts/2023/dpo.html: index\n", r"'/posts/2023/dpo.html' -> 'index': .* is part of the site already"),
    "old path without a slash": ("old/: index\n", r"'old/': an old address is a path starting with '/'"),
    "not a mapping": ("- /old/\n", r"expected 'old path: new page' lines"),
}


@pytest.mark.parametrize("case", BAD_MAPS)
def test_a_bad_entry_fails_the_build_naming_the_file_and_the_entry(project_copy, tmp_path, case):
    text, problem = BAD_MAPS[case]
    (project_copy / "redirects.yaml").write_text(text, encoding="utf-8")
    build = make_html(project_copy, tmp_path / "out")
    assert build.returncode != 0, build.log
    assert re.search(rf"redirects\.yaml: .*{problem}", build.log), build.log


def test_an_address_taken_out_of_the_map_loses_its_page_in_the_next_build(project_copy, tmp_path):
    """A rebuild gives what a clean build gives: no page for an address the map no longer has."""
    out = tmp_path / "out"
    assert make_html(project_copy, out).returncode == 0
    old_page = out / "html" / "posts/2013/08/blog-post-2/index.html"
    assert old_page.is_file()
    redirects = project_copy / "redirects.yaml"
    text = redirects.read_text(encoding="utf-8")
    redirects.write_text(text.replace("/posts/2013/08/blog-post-2/: posts/2013/blog-post-2\n", ""), encoding="utf-8")
    assert make_html(project_copy, out).returncode == 0
    assert not old_page.exists() and not old_page.parent.parent.exists()
    assert (out / "html" / "posts/2012/08/blog-post-1/index.html").is_file()
