"""The home page and ablog's collections list exactly the right posts."""

from __future__ import annotations

from collections import defaultdict

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT, built, make_html
from listing import old_posts
from site_urls import resolve

TAG_SLUGS_ARE_ASCII = r"[a-z0-9]+(-[a-z0-9]+)*"


def entries(page: BeautifulSoup, pagename: str) -> list[str]:
    """The posts a listing page shows, in order, as site-relative paths."""
    return [resolve(pagename, a["href"]) for a in page.select(".blog-entry .blog-entry-title a")]


def test_home_page_groups_posts_by_year_newest_first_as_the_old_listing(site):
    home = site.page("index.html")
    years = [(int(section.h2.get_text(strip=True)), [a.get_text() for a in section.select(".blog-entry-title a")])
             for section in home.select("section.blog-year")]
    expected = defaultdict(list)
    for post in old_posts():
        expected[post.year].append(post.title)
    assert years == list(expected.items())


def test_home_page_entries_have_link_date_reading_time_and_excerpt(site):
    home = site.page("index.html")
    by_path = {post.html_path: post for post in site.posts}
    for entry in home.select(".blog-entry"):
        post = by_path[resolve("index.html", entry.select_one(".blog-entry-title a")["href"])]
        assert entry.select_one("time")["datetime"] == post.date.isoformat()
        assert entry.select_one(".post-reading-time").get_text().startswith("阅读约")
        assert entry.select_one(".blog-entry-excerpt").get_text(strip=True), post.title


@pytest.mark.parametrize("docname", ["posts/2023/dpo", "posts/2024/apo"])
def test_a_post_opening_with_a_section_has_that_title_as_excerpt(site, docname):
    home = site.page("index.html")
    entry = next(e for e in home.select(".blog-entry") if resolve("index.html", e.a["href"]) == docname + ".html")
    heading = site.page(docname + ".html").select_one("article h2").get_text(strip=True).rstrip("#")
    assert entry.select_one(".blog-entry-excerpt").get_text(strip=True) == heading


def expected_collections(site, key) -> dict[str, list[str]]:
    collections = defaultdict(list)
    for post in site.posts:  # newest first, as the pages list them
        values = {"year": [str(post.date.year)], "category": [post.category], "tags": post.tags}[key]
        for value in values:
            collections[value].append(post.html_path)
    return collections


def test_each_year_page_lists_exactly_its_posts(site):
    for year, expected in expected_collections(site, "year").items():
        assert entries(site.page(f"blog/{year}.html"), f"blog/{year}.html") == expected, year


@pytest.mark.parametrize(("key", "folder", "setting"), [("tags", "tag", "blog_tags"), ("category", "category", "blog_categories")])
def test_each_tag_and_category_page_lists_exactly_its_posts_at_an_ascii_url(site, key, folder, setting):
    taxonomy = config_value(site, setting)
    for name, expected in expected_collections(site, key).items():
        pagename = f"blog/{folder}/{taxonomy[name]}.html"
        page = site.page(pagename)
        assert name in page.select_one("article h1").get_text(), pagename
        assert entries(page, pagename) == expected, pagename


def test_all_posts_page_lists_every_post_newest_first(site):
    assert entries(site.page("blog.html"), "blog.html") == [post.html_path for post in site.posts]


@pytest.mark.parametrize(("pagename", "key"), [("blog/archive.html", "year"), ("blog/tag.html", "tags"), ("blog/category.html", "category")])
def test_indexes_link_every_collection(site, pagename, key):
    page = site.page(pagename)
    linked = {resolve(pagename, a["href"]) for a in page.select("article a")}
    taxonomy = {"year": None, "tags": config_value(site, "blog_tags"), "category": config_value(site, "blog_categories")}[key]
    for name in expected_collections(site, key):
        folder = {"year": "", "tags": "tag/", "category": "category/"}[key]
        slug = name if taxonomy is None else taxonomy[name]
        assert f"blog/{folder}{slug}.html" in linked, (pagename, name)


def test_sidebars_show_recent_posts_tags_and_archives(site):
    for pagename in ("index.html", site.posts[-1].html_path, "blog/tag/rlhf.html"):
        sidebar = site.page(pagename).select_one(".bd-sidebar-primary")
        titles = [h3.get_text(strip=True) for h3 in sidebar.select(".ablog-sidebar-item h3")]
        assert titles == ["最新文章", "标签", "分类", "归档"], pagename
        recent = [a.get_text(strip=True) for a in sidebar.select(".ablog__recentposts li a")]
        newest = [post.title for post in site.posts if post.html_path != pagename][:5]
        assert [text.split(" - ", 1)[1] for text in recent] == newest


def archive_years(page: BeautifulSoup, pagename: str) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), resolve(pagename, a["href"])) for a in page.select(".ablog__archives li a")]


def test_sidebar_archives_list_every_year_with_its_count(site):
    years = sorted({post.date.year for post in site.posts}, reverse=True)
    counts = {year: sum(post.date.year == year for post in site.posts) for year in years}
    assert archive_years(site.page("index.html"), "index.html") == [
        (f"{year} ({counts[year]})", f"blog/{year}.html") for year in years
    ]


def test_sidebar_archives_stop_at_the_newest_years_and_link_the_archive(tmp_path):
    """However many years the blog spans, every page's sidebar stays the same size."""
    build = built(PROJECT, tmp_path / "out", {"SPHINXOPTS": "-n -W --keep-going -D blog_sidebar_years=2"})
    years = sorted({post.date.year for post in build.posts}, reverse=True)
    for pagename in ("index.html", "posts/2023/dpo.html"):
        shown = archive_years(build.page(pagename), pagename)
        assert [text.split(" ")[0] for text, _ in shown[:2]] == [str(year) for year in years[:2]]
        assert shown[2:] == [("更早的年份", "blog/archive.html")]


@pytest.mark.parametrize("years", ["0", "-1"])
def test_sidebar_years_that_are_not_a_positive_number_fail_the_build(tmp_path, years):
    build = make_html(PROJECT, tmp_path / "out", {"SPHINXOPTS": f"-n -W --keep-going -D blog_sidebar_years={years}"})
    assert build.returncode != 0
    assert f"conf.py: blog_sidebar_years must be a positive whole number, not {years}" in build.log


def test_interface_strings_are_chinese(site):
    english = ["Recent Posts", "Archives", "Posts tagged", "Posted in", "Read more", "Category:", "Tags:", "Reading time", "previous page", "Drafts"]
    for pagename in ("index.html", "posts/2023/dpo.html", "blog/tag/rlhf.html", "blog/2024.html", "blog/archive.html", "blog.html"):
        text = site.page(pagename).get_text(" ")
        assert not [word for word in english if word in text], pagename


def config_value(site, name):
    namespace: dict = {"__file__": str(site.source / "conf.py")}
    exec((site.source / "conf.py").read_text(encoding="utf-8"), namespace)
    return namespace[name]
