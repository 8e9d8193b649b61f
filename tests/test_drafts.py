"""Drafts and future posts: nowhere in the published site, marked in the preview.

On a copy of the feature tests' blog (tests/roots/test-features, which has a
draft of its own) with a draft, a post dated in the future and one dated
today added, and a tag only the unpublished posts use.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from conftest import Post, built, copy_root, write_post
from test_build import WARNING

TODAY = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
FUTURE = TODAY + dt.timedelta(days=400)
# A tag that only unpublished posts use: adding it is one line in conf.py.
TAG_LINE = 'blog_tags = {**blog_tags, "草稿专用": "draft-only"}\n'

UNPUBLISHED = {
    "draft": (f"{TODAY.year - 1}/secret-draft.md", "不该发布的草稿", f"date: {TODAY.year - 1}-06-01\ndraft: true"),
    "future": (f"{FUTURE.year}/future-note.md", "未来才发布的笔记", f"date: {FUTURE.isoformat()}"),
}
TODAYS = (f"{TODAY.year}/published-today.md", "今天发布的笔记", f"date: {TODAY.isoformat()}")


@pytest.fixture(scope="module")
def drafts_project(tmp_path_factory):
    project = copy_root("features", tmp_path_factory.mktemp("drafts") / "p")
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(TAG_LINE)
    for relpath, title, dates in UNPUBLISHED.values():
        write_post(project, relpath, f"title: {title}\n{dates}\ncategory: 对齐\ntags: 草稿专用, RLHF", "未发布的正文。\n")
    write_post(project, TODAYS[0], f"title: {TODAYS[1]}\n{TODAYS[2]}\ncategory: 对齐\ntags: RLHF")
    return project


@pytest.fixture(scope="module")
def published(drafts_project, tmp_path_factory):
    build = built(drafts_project, tmp_path_factory.mktemp("published"))
    return build


@pytest.fixture(scope="module")
def preview(drafts_project, tmp_path_factory):
    build = built(drafts_project, tmp_path_factory.mktemp("preview"), preview=True)
    return build


def html_path(relpath: str) -> str:
    return "posts/" + relpath.removesuffix(".md") + ".html"


def every_post(project) -> list[Post]:
    """Every post the blog's files hold, published or not."""
    return [Post.read(path, project) for path in sorted((project / "posts").glob("*/*.md"))]


def test_the_published_build_with_drafts_prints_no_warning(published):
    assert not WARNING.findall(published.log), published.log


@pytest.mark.parametrize("kind", UNPUBLISHED)
def test_an_unpublished_post_is_nowhere_in_the_published_site(published, kind):
    relpath, title, _ = UNPUBLISHED[kind]
    slug = relpath.rsplit("/", 1)[1].removesuffix(".md")
    assert not (published.html / html_path(relpath)).exists()
    files = [path for path in published.html.rglob("*") if path.is_file()]
    names = {path.relative_to(published.html).as_posix() for path in files}
    assert {"index.html", "blog.html", "blog/atom.xml", "sitemap.xml", "objects.inv"} <= names
    assert any(name.startswith("pagefind/") for name in names)
    # Pages, feeds, search index, sitemap: every file of the site.
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for trace in (title, slug, "草稿专用", "draft-only"):
            assert trace not in text, (kind, trace, path.relative_to(published.html))


def test_the_published_site_has_no_drafts_page_and_no_page_for_an_unpublished_tag_or_year(published):
    assert (published.html / "blog/tag/rlhf.html").is_file()
    assert not (published.html / "blog/drafts.html").exists()
    assert not (published.html / "blog/tag/draft-only.html").exists()
    assert not (published.html / f"blog/{FUTURE.year}.html").exists()
    draft_year = int(UNPUBLISHED["draft"][0].split("/")[0])
    if draft_year not in {post.date.year for post in published.posts}:
        assert not (published.html / f"blog/{draft_year}.html").exists()


def test_a_post_dated_today_in_shanghai_is_published(published):
    relpath, title, _ = TODAYS
    assert published.page(html_path(relpath)).select_one("article h1").get_text(strip=True).rstrip("#") == title
    home_titles = [a.get_text() for a in published.page("index.html").select(".blog-entry-title a")]
    assert home_titles[0] == title
    assert title in (published.html / "blog/atom.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", UNPUBLISHED)
def test_the_preview_shows_an_unpublished_post_with_a_banner_and_marks_it_on_the_home_page(preview, kind):
    relpath, title, _ = UNPUBLISHED[kind]
    page = preview.page(html_path(relpath))
    assert page.select_one("article h1").get_text(strip=True).rstrip("#") == title
    assert page.select_one(".draft-banner").get_text(strip=True) == "草稿：本文尚未发布，只在本地预览中显示。"
    entry = next(
        entry for entry in preview.page("index.html").select(".blog-entry")
        if entry.select_one(".blog-entry-title a").get_text() == title
    )
    assert entry.select_one(".blog-entry-title .draft-mark").get_text() == "草稿"


def test_the_preview_marks_nothing_that_is_published(preview):
    assert not preview.page("posts/2023/dpo.html").select(".draft-banner")
    home = preview.page("index.html")
    marked = {entry.select_one(".blog-entry-title a").get_text() for entry in home.select(".blog-entry")
              if entry.select_one(".draft-mark")}
    posts = every_post(preview.source)
    assert marked == {post.title for post in posts if post.draft}
    assert {title for _, title, _ in UNPUBLISHED.values()} < marked
    # The home page and its further pages, when there are more posts than a page holds.
    pages = [home, *(preview.page(path.relative_to(preview.html).as_posix()) for path in sorted(preview.html.glob("page/*.html")))]
    assert sum(len(page.select(".blog-entry")) for page in pages) == len(posts)


def test_the_preview_builds_with_no_warning(preview):
    assert not WARNING.findall(preview.log), preview.log
