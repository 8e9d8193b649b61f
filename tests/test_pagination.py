"""Listings cut into pages: every post on exactly one page, pages linked, each a page of its own.

Built on a small blog whose listings span several pages (``tests/roots/test-pages``:
twelve posts, three a page, ``blog_posts_per_page``):

- every listing that shows excerpts (the home page, all posts, each year,
  tag, category and language) lists its posts newest first, three a page, at
  ``<listing>/page/N.html`` (the home page's at ``page/N.html``), page 1 at
  the listing's own address, and no page more;
- the home page groups each page's posts by year;
- each page says which it is in its title, heading and description, links
  the previous, next, first and last pages and the numbers around its own
  (a ``<nav>`` of real links, the page shown marked ``aria-current``), has
  ``<link rel="prev/next">`` and its own canonical URL, and is in the sitemap;
- a listing of one page has no pager and no page number, as before; a page
  size that is not a positive number stops the build with one line;
- the archive lists every post by date and title, without excerpts;
- the feeds are the same whatever the page size;
- an incremental build after adding a post (a page more) and after deleting
  one (a page less) equals a clean build, file for file, stale pages and
  their folders deleted; so does a build without speed-ups.
"""

from __future__ import annotations

import math
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import Build, built, copy_root, make_html, write_post
from site_urls import resolve
from test_incremental import READ_LINE, WARNING, differences, explain

PER_PAGE = 3
# Category and tag slugs of the site's taxonomy that the test blog uses.
TAG_SLUGS = {"RLHF": "rlhf", "偏好优化": "preference-optimization", "机器遗忘": "machine-unlearning", "隐私": "privacy",
             "大语言模型": "llm", "安全": "safety", "可解释性": "interpretability"}
CATEGORY_SLUGS = {"对齐": "alignment", "机器遗忘": "machine-unlearning", "隐私": "privacy", "可解释性": "interpretability"}
TITLES = {"year": "发表于 {}", "tag": "标签 {}", "category": "收录于 {}", "language": "收录于 {}"}
LANGUAGES = {"zh-CN": ("zh-cn", "中文"), "en": ("en", "English")}
SITEMAP_LOC = re.compile(r"<loc>([^<]*)</loc>")


@pytest.fixture(scope="module")
def blog(tmp_path_factory) -> Build:
    root = tmp_path_factory.mktemp("pages")
    return built(copy_root("pages", root / "blog"), root / "out")


def page_path(listing: str, number: int) -> str:
    """The file of page ``number`` of a listing whose page 1 is ``listing`` (``index.html``, ``blog/tag/rlhf.html``)."""
    if number == 1:
        return listing
    return f"page/{number}.html" if listing == "index.html" else listing.removesuffix(".html") + f"/page/{number}.html"


def expected_listings(build: Build) -> dict[str, tuple[str, list[str]]]:
    """Each listing's page 1, with its title and its posts newest first, from the posts' front matter."""
    posts = defaultdict(list)
    titles = {"index.html": "博客文章", "blog.html": "全部文章"}
    for post in build.posts:  # newest first
        keys = [("index.html", None), ("blog.html", None), (f"blog/{post.date.year}.html", TITLES["year"].format(post.date.year))]
        keys.append((f"blog/category/{CATEGORY_SLUGS[post.category]}.html", TITLES["category"].format(post.category)))
        keys += [(f"blog/tag/{TAG_SLUGS[tag]}.html", TITLES["tag"].format(tag)) for tag in post.tags]
        slug, name = LANGUAGES[post.language]
        keys.append((f"blog/language/{slug}.html", TITLES["language"].format(name)))
        for listing, title in keys:
            posts[listing].append(post.html_path)
            titles.setdefault(listing, title)
    return {listing: (titles[listing], found) for listing, found in posts.items()}


def entries(page: BeautifulSoup, path: str) -> list[str]:
    return [resolve(path, a["href"]) for a in page.select("article.blog-entry .blog-entry-title a")]


def test_the_blog_spans_several_pages(blog):
    """Else every test below would pass on listings of one page."""
    listings = expected_listings(blog)
    assert len(listings["index.html"][1]) == 12
    assert math.ceil(len(listings["blog/tag/rlhf.html"][1]) / PER_PAGE) == 2
    assert len(listings["blog/2022.html"][1]) <= PER_PAGE


def test_every_listing_shows_its_posts_newest_first_three_a_page_and_no_page_more(blog):
    for listing, (_, posts) in expected_listings(blog).items():
        count = math.ceil(len(posts) / PER_PAGE)
        for number in range(1, count + 1):
            path = page_path(listing, number)
            assert entries(blog.page(path), path) == posts[(number - 1) * PER_PAGE : number * PER_PAGE], path
        assert not (blog.html / page_path(listing, count + 1)).exists(), listing
    # Every written page of a listing is one of those.
    written = {path.relative_to(blog.html).as_posix() for path in blog.html.rglob("page/*.html")}
    expected = {page_path(listing, n) for listing, (_, posts) in expected_listings(blog).items()
                for n in range(2, math.ceil(len(posts) / PER_PAGE) + 1)}
    assert written == expected


def test_the_home_page_groups_each_pages_posts_by_year(blog):
    by_path = {post.html_path: post for post in blog.posts}
    pages = []
    for number in range(1, 5):
        path = page_path("index.html", number)
        sections = blog.page(path).select("section.blog-year")
        pages.append([(section.h2.get_text(strip=True), [by_path[p].date.year for p in entries(section, path)])
                      for section in sections])
    # Twelve posts: 2024 ×5, 2023 ×4, 2022 ×2, 2021 ×1. A year that goes on
    # to the next page is headed there again.
    assert pages == [
        [("2024", [2024, 2024, 2024])],
        [("2024", [2024, 2024]), ("2023", [2023])],
        [("2023", [2023, 2023, 2023])],
        [("2022", [2022, 2022]), ("2021", [2021])],
    ]


def pager_links(page: BeautifulSoup, path: str) -> dict:
    nav = page.select("nav.blog-pager")
    assert len(nav) == 1, path
    assert nav[0]["aria-label"] == "分页"
    links = nav[0].select("a[href]")
    return {
        "previous": [resolve(path, a["href"]) for a in links if a.get("rel") == ["prev"]],
        "next": [resolve(path, a["href"]) for a in links if a.get("rel") == ["next"]],
        "numbers": [(a.get_text(strip=True), resolve(path, a["href"])) for a in links if not a.get("rel")],
        "current": [a.get_text(strip=True) for a in nav[0].select("a[aria-current=page]")],
        "labels": [a.get("aria-label") for a in links if not a.get("rel")],
        "texts": [a.get_text(strip=True) for a in links if a.get("rel")],
    }


def test_each_page_links_the_previous_next_first_and_last_pages_by_number(blog):
    for listing, (_, posts) in expected_listings(blog).items():
        count = math.ceil(len(posts) / PER_PAGE)
        if count == 1:
            continue
        for number in range(1, count + 1):
            path = page_path(listing, number)
            page = blog.page(path)
            links = pager_links(page, path)
            assert links["previous"] == ([page_path(listing, number - 1)] if number > 1 else []), path
            assert links["next"] == ([page_path(listing, number + 1)] if number < count else []), path
            assert links["numbers"] == [(str(n), page_path(listing, n)) for n in range(1, count + 1)], path
            assert links["labels"] == [f"第 {n} 页" for n in range(1, count + 1)], path
            assert links["current"] == [str(number)], path
            assert set(links["texts"]) <= {"上一页", "下一页"}
            # The same neighbours in <head>, where browsers and crawlers look.
            head = {rel: [resolve(path, link["href"]) for link in page.select(f"head link[rel={rel}]")] for rel in ("prev", "next")}
            assert head == {"prev": links["previous"], "next": links["next"]}, path


def test_a_long_listing_shows_the_numbers_around_the_page_with_gaps(tmp_path):
    """Twelve pages of one post: page 6 shows 1 … 4 5 6 7 8 … 12."""
    build = built(copy_root("pages", tmp_path / "blog"), tmp_path / "out",
                  {"SPHINXOPTS": "-n -W --keep-going -D blog_posts_per_page=1"})
    path = "blog/page/6.html"
    page = build.page(path)
    links = pager_links(page, path)
    assert [text for text, _ in links["numbers"]] == ["1", "4", "5", "6", "7", "8", "12"]
    assert [li.get_text(strip=True) for li in page.select("nav.blog-pager li[aria-hidden=true]")] == ["…", "…"]
    assert links["previous"] == ["blog/page/5.html"] and links["next"] == ["blog/page/7.html"]
    # A gap of one page shows that page: page 4 shows 1 2 3 4 5 6 … 12.
    numbers = [text for text, _ in pager_links(build.page("blog/page/4.html"), "blog/page/4.html")["numbers"]]
    assert numbers == ["1", "2", "3", "4", "5", "6", "12"]


def test_each_pages_title_heading_and_description_say_which_page_it_is(blog):
    for listing, (title, posts) in expected_listings(blog).items():
        count = math.ceil(len(posts) / PER_PAGE)
        for number in range(1, count + 1):
            path = page_path(listing, number)
            page = blog.page(path)
            expected = f"{title}（第 {number} 页，共 {count} 页）" if count > 1 else title
            assert page.title.get_text() == f"{expected} — 论文阅读笔记", path
            assert page.select_one("article h1").get_text(strip=True).removesuffix("#") == expected, path
            description = page.select_one("head meta[name=description]")["content"]
            if listing == "index.html" and number == 1:
                continue  # the site's description
            shown = [a.get_text(strip=True) for a in page.select("article.blog-entry .blog-entry-title a")]
            assert description.startswith(f"{expected}：{shown[0]}"), path


def test_a_listing_of_one_page_has_no_pager_and_no_page_number(blog):
    for path in ("blog/2022.html", "blog/tag/safety.html", "blog/language/en.html"):
        page = blog.page(path)
        assert not page.select("nav.blog-pager"), path
        assert "页" not in page.select_one("article h1").get_text(), path
        assert not page.select("head link[rel=prev], head link[rel=next]"), path


def test_each_page_has_its_own_canonical_url_and_is_in_the_sitemap(blog):
    sitemap = set(SITEMAP_LOC.findall((blog.html / "sitemap.xml").read_text(encoding="utf-8")))
    for listing, (_, posts) in expected_listings(blog).items():
        for number in range(1, math.ceil(len(posts) / PER_PAGE) + 1):
            path = page_path(listing, number)
            url = blog.base_url + path
            page = blog.page(path)
            assert [link["href"] for link in page.select("head link[rel=canonical]")] == [url], path
            assert page.select_one('head meta[property="og:url"]')["content"] == url, path
            assert not page.select('head meta[name=robots][content~="noindex"]'), path
            assert url in sitemap, path
    listed_pages = {path for url in sitemap if re.search(r"(^|/)page/", path := url.removeprefix(blog.base_url))}
    assert listed_pages == {path.relative_to(blog.html).as_posix() for path in blog.html.rglob("page/*.html")}


def test_the_archive_lists_every_post_by_date_and_title_without_excerpts(blog):
    page = blog.page("blog/archive.html")
    article = page.select_one("article.bd-article")
    items = article.select("ul.blog-archive li")
    assert [resolve("blog/archive.html", li.a["href"]) for li in items] == [post.html_path for post in blog.posts]
    for li, post in zip(items, blog.posts):
        assert li.get_text(strip=True) == f"{post.date.year}年{post.date.month}月{post.date.day}日{post.title}"
        assert li.a.get_text(strip=True) == post.title
    assert not article.select(".blog-entry, .blog-entry-excerpt, nav.blog-pager")
    assert [h2.get_text(strip=True) for h2 in article.select("h2")] == ["2024", "2023", "2022", "2021"]


def test_the_feeds_are_the_same_whatever_the_page_size(blog, tmp_path):
    whole = built(copy_root("pages", tmp_path / "blog"), tmp_path / "out",
                  {"SPHINXOPTS": "-n -W --keep-going -D blog_posts_per_page=100"})
    feeds = sorted(path.relative_to(blog.html).as_posix() for path in blog.html.rglob("atom.xml"))
    assert len(feeds) > 10
    assert feeds == sorted(path.relative_to(whole.html).as_posix() for path in whole.html.rglob("atom.xml"))
    for feed in feeds:
        assert (blog.html / feed).read_bytes() == (whole.html / feed).read_bytes(), feed
    # With every listing on one page, none has a pager.
    assert not list(whole.html.rglob("page/*.html"))
    assert not whole.page("index.html").select("nav.blog-pager")


@pytest.mark.parametrize("size", ["0", "-3"])
def test_a_page_size_that_is_not_a_positive_number_stops_the_build_with_one_line(tmp_path, size):
    blog = copy_root("pages", tmp_path / "blog")
    build = make_html(blog, tmp_path / "out", {"SPHINXOPTS": f"-n -W --keep-going -D blog_posts_per_page={size}"})
    assert build.returncode != 0
    # At the line of conf.py that sets it.
    setting = (blog / "conf.py").read_text(encoding="utf-8").splitlines().index(f"blog_posts_per_page = {PER_PAGE}") + 1
    errors = [line for line in build.log.splitlines() if "ERROR" in line]
    assert errors == [f"conf.py:{setting}: ERROR: blog_posts_per_page is {size}; expected a positive whole number"], build.log
    assert "Traceback" not in build.log


# -- Incremental builds ----------------------------------------------------------

NEW_POST = """
title: 新增的分页测试笔记
date: 2024-12-25
category: 对齐
tags: RLHF
"""


def add_a_post(project: Path) -> None:
    """The newest post: every entry of its listings moves on by one; all posts, RLHF and 对齐 get a page more."""
    write_post(project, "2024/note-13.md", NEW_POST, "新笔记的摘要段落。\n")


def delete_posts(project: Path) -> None:
    """An old RLHF post and the only one on interpretability: those listings lose a page, 2023 its second."""
    (project / "posts/2022/note-11.md").unlink()
    (project / "posts/2023/note-08.md").unlink()


STEPS = {"add a post": add_a_post, "delete posts": delete_posts}
MORE_PAGES = {"page/5.html", "blog/page/5.html", "blog/tag/rlhf/page/3.html", "blog/category/alignment/page/3.html"}
# The pages each step adds and deletes, besides those of the posts.
ADDED = {"add a post": MORE_PAGES}
DELETED = {
    "delete posts": MORE_PAGES
    | {"blog/2023/page/2.html", "blog/tag/interpretability.html", "blog/category/interpretability.html"},
}


@dataclass
class Step:
    log: str
    differences: str  # empty when the incremental build equals the clean one
    added: set[str]  # pages
    deleted: set[str]
    folders_left: bool  # whether blog/2023/page/ is there
    clean: Build


def html_files(build: Build) -> set[str]:
    return {path.relative_to(build.html).as_posix() for path in build.html.rglob("*.html")}


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> dict[str, Step]:
    """Built once, then each step, built again in the same folder and cleanly beside it."""
    root = tmp_path_factory.mktemp("pages-incremental")
    project = copy_root("pages", root / "blog")
    old = html_files(built(project, root / "site"))
    done = {}
    for number, (name, change) in enumerate(STEPS.items()):
        change(project)
        incremental = built(project, root / "site")
        clean = built(project, root / f"clean-{number}")
        found = differences(incremental.html, clean.html)
        new = html_files(incremental)
        done[name] = Step(
            incremental.log, explain(incremental.html, clean.html, found) if found else "",
            new - old, old - new, (incremental.html / "blog/2023/page").exists(), clean,
        )
        old = new
    return done


@pytest.mark.parametrize("name", STEPS)
def test_an_incremental_build_equals_a_clean_build_as_posts_move_between_pages(steps, name):
    assert not WARNING.findall(steps[name].log), steps[name].log
    assert not steps[name].differences, steps[name].differences
    # Incremental indeed: only the new post is read again.
    assert set(READ_LINE.findall(steps[name].log)) == ({"posts/2024/note-13"} if name == "add a post" else set())


@pytest.mark.parametrize("name", STEPS)
def test_an_incremental_build_adds_and_deletes_the_pages_a_listing_gains_and_loses(steps, name):
    step = steps[name]
    posts = {path for path in step.added | step.deleted if path.startswith("posts/")}
    assert step.added - posts == ADDED.get(name, set())
    assert step.deleted - posts == DELETED.get(name, set())
    # 2023 back to one page keeps no empty page/ folder.
    assert step.folders_left == (name == "add a post")


def test_the_blog_without_speedups_equals_the_blog_with_them(steps, tmp_path):
    """Every page written through ablog's and Sphinx's own paths, clean and again, after the same steps."""
    clean = steps["delete posts"].clean
    project = tmp_path / "blog"
    shutil.copytree(clean.source, project)
    for _ in range(2):
        plain = built(project, tmp_path / "plain", {"SPHINXOPTS": "-n -W --keep-going -j auto -D speedups=0"})
        found = differences(plain.html, clean.html)
        assert not found, explain(plain.html, clean.html, found)
