"""What search engines and link previews read: sitemap, robots.txt, canonical links,
descriptions, Open Graph and Twitter tags, JSON-LD, and a 404 page that works at any depth.

Checked on the owner's site, built locally and as Read the Docs builds it,
whatever posts it holds (the expected dates and names come from the posts'
files and pages); a listing page's description, on the feature tests' blog
(tests/roots/test-features).
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from test_collections import config_value

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CHINA = dt.timedelta(hours=8)


def pages(build) -> dict[str, BeautifulSoup]:
    """Every HTML page of the site, except the old addresses that send readers on."""
    found = {}
    for path in sorted(build.html.rglob("*.html")):
        if "_static" in path.parts:
            continue
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        if not page.select_one('meta[http-equiv="refresh"]'):
            found[path.relative_to(build.html).as_posix()] = page
    return found


def sitemap(build) -> dict[str, str | None]:
    root = etree.parse(str(build.html / "sitemap.xml")).getroot()
    assert root.tag == f"{SITEMAP}urlset"
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}


def head_meta(page: BeautifulSoup, key: str) -> list[str]:
    return [tag["content"] for tag in page.select(f'head meta[property="{key}"], head meta[name="{key}"]')]


@pytest.fixture(scope="module", params=["local", "read the docs"])
def build(request, site, rtd_site):
    return site if request.param == "local" else rtd_site


def test_read_the_docs_builds_use_its_canonical_url_everywhere(rtd_site):
    base = "https://example.readthedocs.io/zh-cn/latest/"
    assert rtd_site.base_url == base
    assert all(url.startswith(base) for url in sitemap(rtd_site))
    pagename = rtd_site.posts[0].html_path
    post = rtd_site.page(pagename)
    assert head_meta(post, "og:url") == [base + pagename]
    assert head_meta(post, "og:image") == [base + "_static/social-card.png"]
    robots = (rtd_site.html / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots.splitlines()


def test_every_page_is_in_the_sitemap_at_its_canonical_url_or_asks_not_to_be_indexed(build):
    listed = sitemap(build)
    canonical_urls = set()
    for name, page in pages(build).items():
        canonical = page.select("head link[rel=canonical]")
        assert len(canonical) == 1, name
        url = canonical[0]["href"]
        assert url == build.base_url + name, name
        noindex = page.select_one('head meta[name=robots][content~="noindex"]') is not None
        assert (url in listed) != noindex, name
        if not noindex:
            canonical_urls.add(url)
    assert set(listed) == canonical_urls


def test_sitemap_lists_every_post_tag_category_and_year_page_with_its_last_change(build):
    """A post's last change is its update (or its date); a listing's, that of its newest post."""
    listed = sitemap(build)
    changed = {}
    for post in build.posts:
        lastmod = dt.datetime.fromisoformat(listed[build.base_url + post.html_path])
        modified = dt.datetime.fromisoformat(head_meta(build.page(post.html_path), "article:modified_time")[0])
        assert lastmod == modified and lastmod.date() >= post.date and lastmod.utcoffset() == CHINA, post.docname
        changed[post.docname] = lastmod
    newest = max(changed.values())
    assert dt.datetime.fromisoformat(listed[build.base_url + "index.html"]) >= newest
    assert dt.datetime.fromisoformat(listed[build.base_url + "blog.html"]) == newest
    tags, categories = config_value(build, "blog_tags"), config_value(build, "blog_categories")
    listings = {}
    for post in build.posts:
        for pagename in (f"blog/{post.date.year}.html", f"blog/category/{categories[post.category]}.html",
                         *(f"blog/tag/{tags[tag]}.html" for tag in post.tags)):
            listings[pagename] = max(listings.get(pagename, changed[post.docname]), changed[post.docname])
    for pagename, last in listings.items():
        assert dt.datetime.fromisoformat(listed[build.base_url + pagename]) == last, pagename
    for pagename in ("blog/tag.html", "blog/category.html", "blog/archive.html"):
        assert listed[build.base_url + pagename], pagename
    assert build.base_url + "search.html" in listed
    for pagename in ("404.html", "blog/drafts.html"):
        assert build.base_url + pagename not in listed, pagename


def test_robots_txt_points_to_the_sitemap(build):
    lines = (build.html / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {build.base_url}sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /") and line != "Disallow: " for line in lines)


def test_every_page_has_a_description_and_social_card(build):
    for name, page in pages(build).items():
        description = head_meta(page, "description")
        assert len(description) == 1 and description[0].strip(), name
        assert len(description[0]) <= 160, name
        assert "<" not in description[0], name
        assert head_meta(page, "og:description") == description == head_meta(page, "twitter:description"), name
        assert head_meta(page, "og:url") == [build.base_url + name], name
        assert head_meta(page, "og:title") == head_meta(page, "twitter:title") != [], name
        assert head_meta(page, "og:image") == [build.base_url + "_static/social-card.png"], name
        assert head_meta(page, "twitter:card") == ["summary_large_image"], name
    image = build.html / "_static" / "social-card.png"
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(image.read_bytes()[16:20]) == 1200 and int.from_bytes(image.read_bytes()[20:24]) == 630


def test_every_page_has_one_viewport(build):
    for name, page in pages(build).items():
        assert [tag["content"] for tag in page.select('head meta[name="viewport"]')] == ["width=device-width, initial-scale=1.0"], name


def test_a_posts_description_is_its_excerpt_as_plain_text(site):
    for post in site.posts:
        page = site.page(post.html_path)
        excerpt = next(
            entry.select_one(".blog-entry-excerpt") for entry in site.page("blog.html").select(".blog-entry")
            if entry.a.get_text() == post.title
        )
        text = " ".join(excerpt.get_text(" ").split())
        description = head_meta(page, "description")[0]
        if description.endswith("…"):
            assert " ".join(text.split()).replace(" ", "").startswith(description[:-1].replace(" ", "")), post.docname
        else:
            assert description.replace(" ", "") == text.replace(" ", ""), post.docname


def test_listing_pages_describe_what_they_list(features):
    description = head_meta(features.page("blog/tag/rlhf.html"), "description")[0]
    assert description == "标签 RLHF：APO背景知识、写作功能、引用示例二、引用示例一、DPO背景知识、PPO背景知识"
    description = head_meta(features.page("blog/2022.html"), "description")[0]
    assert description == "发表于 2022：漏洞分析基础、A Note in English"


def test_posts_are_articles_with_dates_category_and_tags(build):
    for post in build.posts:
        page = build.page(post.html_path)
        assert head_meta(page, "og:type") == ["article"], post.docname
        assert head_meta(page, "og:title") == [post.title]
        published = dt.datetime.fromisoformat(head_meta(page, "article:published_time")[0])
        modified = dt.datetime.fromisoformat(head_meta(page, "article:modified_time")[0])
        assert published.date() == post.date and published.utcoffset() == CHINA
        assert modified >= published
        assert head_meta(page, "article:section") == [post.category]
        assert sorted(head_meta(page, "article:tag")) == sorted(post.tags)
    tag_page = min(build.html.joinpath("blog/tag").glob("*.html")).relative_to(build.html).as_posix()
    for pagename in ("index.html", tag_page, "search.html"):
        assert head_meta(build.page(pagename), "og:type") == ["website"], pagename


def test_posts_carry_json_ld_blog_posting(build):
    for post in build.posts:
        page = build.page(post.html_path)
        scripts = page.select('head script[type="application/ld+json"]')
        assert len(scripts) == 1, post.docname
        data = json.loads(scripts[0].string)
        assert data["@context"] == "https://schema.org" and data["@type"] == "BlogPosting"
        assert data["headline"] == post.title
        assert data["url"] == data["mainEntityOfPage"]["@id"] == build.base_url + post.html_path
        assert dt.datetime.fromisoformat(data["datePublished"]).date() == post.date
        assert dt.datetime.fromisoformat(data["dateModified"]) >= dt.datetime.fromisoformat(data["datePublished"])
        assert data["description"] == head_meta(page, "description")[0]
        assert data["inLanguage"] == post.language
        assert data["keywords"] == sorted(post.tags, key=data["keywords"].index)
        assert data["image"] == build.base_url + "_static/social-card.png"
    assert not build.page("index.html").select('script[type="application/ld+json"]')


@pytest.mark.parametrize("missing", ["no-such-page", "posts/2024/no-such-post.html", "a/b/c/d/e/"])
def test_the_404_page_works_at_any_depth(browser, served_rtd_site, rtd_site, missing):
    base_path = urlsplit(rtd_site.base_url).path
    address = f"{served_rtd_site}{base_path}{missing}"
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: response.status >= 400 and response.url != address and failed.append(response.url))
    response = page.goto(address)
    page.wait_for_load_state("networkidle")
    assert response.status == 404
    assert page.locator("article h1").inner_text() == "找不到页面"
    assert not failed, failed
    # The theme's stylesheet applied: the sidebar is laid out beside the article.
    assert page.evaluate("getComputedStyle(document.querySelector('.bd-sidebar-primary')).display") != "inline"
    assert page.evaluate("document.styleSheets.length") >= 5
    page.get_by_role("link", name="全部文章（最新在前）").click()
    page.wait_for_load_state()
    assert page.url == f"{served_rtd_site}{base_path}index.html"
    assert page.locator("section.blog-year").count() > 0
    page.close()
