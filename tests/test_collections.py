"""The home page and ablog's collections list exactly the right posts.

The listings are checked on the feature tests' blog (tests/roots/test-features:
thirteen notes in four years); the owner's site is checked for what the port
promised: every post of the old blog's listing on the home page, in that
listing's order within its year, whatever posts were added since.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from bs4 import BeautifulSoup

from conftest import built, make_html
from listing import old_posts
from site_urls import resolve


def entries(page: BeautifulSoup, pagename: str) -> list[str]:
    """The posts a listing page shows, in order, as site-relative paths."""
    return [resolve(pagename, a["href"]) for a in page.select(".blog-entry .blog-entry-title a")]


def home_years(build) -> list[tuple[int, list[str]]]:
    """The home page's year groups, in order, with the titles each lists."""
    home = build.page("index.html")
    return [(int(section.h2.get_text(strip=True)), [a.get_text() for a in section.select(".blog-entry-title a")])
            for section in home.select("section.blog-year")]


# -- The owner's site: what the port promised -----------------------------------


def test_home_page_shows_the_old_posts_in_the_old_listings_order_within_their_years(site):
    shown = dict(home_years(site))
    expected = defaultdict(list)
    for post in old_posts():
        expected[post.year].append(post.title)
    for year, titles in expected.items():
        assert year in shown, year
        # New posts may sit among the old ones; the old ones keep their order.
        assert [title for title in shown[year] if title in titles] == titles, year


def test_home_page_groups_every_published_post_by_year_newest_first(site):
    years = home_years(site)
    assert [year for year, _ in years] == sorted({post.date.year for post in site.posts}, reverse=True)
    for year, titles in years:
        assert sorted(titles) == sorted(post.title for post in site.posts if post.date.year == year), year
    dates = {post.title: post.date for post in site.posts}
    shown = [dates[title] for _, titles in years for title in titles]
    assert shown == sorted(shown, reverse=True)


# -- The listings, on the feature tests' blog ------------------------------------


def test_home_page_groups_posts_by_year_newest_first(features):
    expected = defaultdict(list)
    for post in features.posts:  # newest first
        expected[post.date.year].append(post.title)
    assert home_years(features) == list(expected.items())
    assert len(expected) == 4


def test_home_page_entries_have_link_date_reading_time_and_excerpt(features):
    home = features.page("index.html")
    by_path = {post.html_path: post for post in features.posts}
    shown = [resolve("index.html", entry.select_one(".blog-entry-title a")["href"]) for entry in home.select(".blog-entry")]
    assert sorted(shown) == sorted(by_path)
    for entry in home.select(".blog-entry"):
        post = by_path[resolve("index.html", entry.select_one(".blog-entry-title a")["href"])]
        assert entry.select_one("time")["datetime"] == post.date.isoformat()
        assert entry.select_one(".post-reading-time").get_text().startswith("阅读约")
        assert entry.select_one(".blog-entry-excerpt").get_text(strip=True), post.title


@pytest.mark.parametrize("docname", ["posts/2023/dpo", "posts/2024/apo"])
def test_a_post_opening_with_a_section_has_that_title_as_excerpt(features, docname):
    home = features.page("index.html")
    entry = next(e for e in home.select(".blog-entry") if resolve("index.html", e.a["href"]) == docname + ".html")
    heading = features.page(docname + ".html").select_one("article h2").get_text(strip=True).rstrip("#")
    assert entry.select_one(".blog-entry-excerpt").get_text(strip=True) == heading


def test_a_post_opening_with_a_paragraph_has_that_paragraph_as_excerpt(features):
    home = features.page("index.html")
    entry = next(e for e in home.select(".blog-entry") if e.a.get_text() == "大模型与图学习的结合场景调研")
    assert entry.select_one(".blog-entry-excerpt").get_text(strip=True).startswith("主要关注大模型和GNN结合的场景")
    assert not entry.select(".blog-entry-excerpt h2")


def expected_collections(build, key) -> dict[str, list[str]]:
    collections = defaultdict(list)
    for post in build.posts:  # newest first, as the pages list them
        values = {"year": [str(post.date.year)], "category": [post.category], "tags": post.tags}[key]
        for value in values:
            collections[value].append(post.html_path)
    return collections


def test_each_year_page_lists_exactly_its_posts(features):
    for year, expected in expected_collections(features, "year").items():
        assert entries(features.page(f"blog/{year}.html"), f"blog/{year}.html") == expected, year


@pytest.mark.parametrize(("key", "folder", "setting"), [("tags", "tag", "blog_tags"), ("category", "category", "blog_categories")])
def test_each_tag_and_category_page_lists_exactly_its_posts_at_an_ascii_url(features, key, folder, setting):
    taxonomy = config_value(features, setting)
    collections = expected_collections(features, key)
    for name, expected in collections.items():
        pagename = f"blog/{folder}/{taxonomy[name]}.html"
        page = features.page(pagename)
        assert name in page.select_one("article h1").get_text(), pagename
        assert entries(page, pagename) == expected, pagename
    # No page for a name of the taxonomy that no post uses.
    pages = {path.stem for path in (features.html / "blog" / folder).glob("*.html")}
    assert pages == {taxonomy[name] for name in collections}


def test_all_posts_page_lists_every_post_newest_first(features):
    assert entries(features.page("blog.html"), "blog.html") == [post.html_path for post in features.posts]


@pytest.mark.parametrize(("pagename", "key"), [("blog/archive.html", "year"), ("blog/tag.html", "tags"), ("blog/category.html", "category")])
def test_indexes_link_every_collection(features, pagename, key):
    page = features.page(pagename)
    linked = {resolve(pagename, a["href"]) for a in page.select("article a")}
    taxonomy = {"year": None, "tags": config_value(features, "blog_tags"), "category": config_value(features, "blog_categories")}[key]
    for name in expected_collections(features, key):
        folder = {"year": "", "tags": "tag/", "category": "category/"}[key]
        slug = name if taxonomy is None else taxonomy[name]
        assert f"blog/{folder}{slug}.html" in linked, (pagename, name)


def test_sidebars_show_recent_posts_tags_and_archives(features):
    newest = features.posts[0].html_path
    for pagename in ("index.html", newest, features.posts[-1].html_path, "blog/tag/rlhf.html"):
        sidebar = features.page(pagename).select_one(".bd-sidebar-primary")
        titles = [h3.get_text(strip=True) for h3 in sidebar.select(".ablog-sidebar-item h3")]
        assert titles == ["最新文章", "标签", "分类", "归档"], pagename
        recent = [a.get_text(strip=True) for a in sidebar.select(".ablog__recentposts li a")]
        # The five newest posts, but not the page's own.
        expected = [post.title for post in features.posts if post.html_path != pagename][:5]
        assert [text.split(" - ", 1)[1] for text in recent] == expected, pagename


def archive_years(page: BeautifulSoup, pagename: str) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), resolve(pagename, a["href"])) for a in page.select(".ablog__archives li a")]


def test_sidebar_archives_list_every_year_with_its_count(features):
    years = sorted({post.date.year for post in features.posts}, reverse=True)
    counts = {year: sum(post.date.year == year for post in features.posts) for year in years}
    assert archive_years(features.page("index.html"), "index.html") == [
        (f"{year} ({counts[year]})", f"blog/{year}.html") for year in years
    ]


def test_sidebar_archives_stop_at_the_newest_years_and_link_the_archive(features_copy, tmp_path):
    """However many years the blog spans, every page's sidebar stays the same size."""
    build = built(features_copy, tmp_path / "out", {"SPHINXOPTS": "-n -W --keep-going -D blog_sidebar_years=2"})
    years = sorted({post.date.year for post in build.posts}, reverse=True)
    assert len(years) > 2
    for pagename in ("index.html", "posts/2023/dpo.html"):
        shown = archive_years(build.page(pagename), pagename)
        assert [text.split(" ")[0] for text, _ in shown[:2]] == [str(year) for year in years[:2]]
        assert shown[2:] == [("更早的年份", "blog/archive.html")]


@pytest.mark.parametrize("years", ["0", "-1"])
def test_sidebar_years_that_are_not_a_positive_number_fail_the_build(features_copy, tmp_path, years):
    build = make_html(features_copy, tmp_path / "out", {"SPHINXOPTS": f"-n -W --keep-going -D blog_sidebar_years={years}"})
    assert build.returncode != 0
    assert f"ERROR: blog_sidebar_years is {years}; expected a positive whole number" in build.log, build.log


def test_interface_strings_are_chinese(features):
    english = ["Recent Posts", "Archives", "Posts tagged", "Posted in", "Read more", "Category:", "Tags:", "Reading time", "previous page", "Drafts"]
    for pagename in ("index.html", "posts/2023/dpo.html", "blog/tag/rlhf.html", "blog/2024.html", "blog/archive.html", "blog.html"):
        text = features.page(pagename).get_text(" ")
        assert not [word for word in english if word in text], pagename


def config_value(build, name):
    namespace: dict = {"__file__": str(build.source / "conf.py")}
    exec((build.source / "conf.py").read_text(encoding="utf-8"), namespace)
    return namespace[name]
