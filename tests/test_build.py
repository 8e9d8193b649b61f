"""The one strict build: no warning, writing features that work, bad input that fails loudly.

The owner's site builds without a warning, with the strict options, and
publishes only the static files its pages use; the writing features (math,
footnotes, code, cross-references, in posts, listings and feeds) are checked on
the feature tests' blog (tests/roots/test-features, whose "写作功能" note uses
them all), and bad input on copies of it.
"""

from __future__ import annotations

import re

import pytest
from lxml import etree

from conftest import make_html, write_post
from site_urls import resolve

WARNING = re.compile(r"WARNING|ERROR|警告|错误|Traceback")

GOOD_FRONT_MATTER = """
title: 写作功能
date: 2024-06-01
category: 对齐
tags: RLHF, 偏好优化
"""


def test_the_build_prints_no_warning(site):
    assert not WARNING.findall(site.log), site.log


def test_the_build_uses_the_strict_options(site):
    assert re.search(r"sphinx-build -b html -n -W --keep-going", site.log), site.log


# The note of the feature tests' blog that uses every writing feature: math in
# its first paragraph (its excerpt) with a footnote, display math, code, links.
FEATURES_PAGE = "posts/2024/writing-features.html"


@pytest.fixture(scope="module")
def features_site(features):
    assert not WARNING.findall(features.log), features.log
    return features


def test_static_files_are_those_the_pages_use(site):
    """What Sphinx and the themes copy but no page loads is not published (unused_static.py)."""
    static = site.html / "_static"
    left = [path.relative_to(static).as_posix() for path in static.rglob("*") if path.is_file()]
    unused = re.compile(r"\.map$|fontawesome\.js|searchtools\.js|language_data\.js|sphinx_highlight\.js|^locales/|logo_")
    assert [name for name in left if unused.search(name)] == []
    tag_page = min(site.html.joinpath("blog/tag").glob("*.html")).relative_to(site.html).as_posix()
    for pagename in ("index.html", site.posts[0].html_path, tag_page, "search.html", "papers.html"):
        page = site.page(pagename)
        for url in [tag.get("href") or tag.get("src") for tag in page.select("link[href], script[src]")]:
            if "_static/" in url:
                assert (site.html / resolve(pagename, url.split("?")[0])).is_file(), (pagename, url)


def test_math_renders_as_mathml_on_the_post_page(features_site):
    article = features_site.page(FEATURES_PAGE).select_one("article")
    inline = article.select("p math")
    display = article.select(".math-display math[display=block]")
    assert inline and display
    assert "\\mathcal" not in article.get_text()
    # Without the converter's indentation: no white space between elements.
    for formula in inline + display:
        assert [text for text in formula.find_all(string=True) if not text.strip()] == [], formula


@pytest.mark.parametrize("pagename", ["index.html", "blog/tag/rlhf.html", "blog/2024.html", "blog.html"])
def test_math_renders_in_excerpts_on_listing_pages_without_dangling_footnotes(features_site, pagename):
    page = features_site.page(pagename)
    entry = next(e for e in page.select(".blog-entry") if e.a["href"].endswith(FEATURES_PAGE.split("/")[-1]))
    excerpt = entry.select_one(".blog-entry-excerpt")
    assert excerpt.select("math")
    assert "$" not in excerpt.get_text()
    assert not excerpt.select("a.footnote-reference, a[href*='#fn'], a[href^='#']")


def test_math_is_mathml_in_the_feed(features_site):
    atom = "{http://www.w3.org/2005/Atom}"
    root = etree.parse(str(features_site.html / "blog" / "atom.xml")).getroot()
    entry = next(e for e in root.iter(f"{atom}entry") if e.findtext(f"{atom}title") == "写作功能")
    # The excerpt holds math: the summary shows it as MathML.
    assert "<math" in entry.findtext(f"{atom}summary")


def test_footnotes_code_blocks_and_cross_references_work_on_the_post_page(features_site):
    pagename = FEATURES_PAGE
    article = features_site.page(pagename).select_one("article")
    footnote_ref = article.select_one("a.footnote-reference")
    assert footnote_ref is not None
    assert article.find(id=footnote_ref["href"].lstrip("#")) is not None
    assert article.select_one("div.highlight-python pre") is not None
    targets = {resolve(pagename, a["href"]) for a in article.select("a.reference.internal")}
    assert "posts/2023/ppo.html#ppo-rlhf-recap" in targets
    assert "posts/2023/dpo.html" in targets


BAD_POSTS = {
    "malformed date": ("date: 2024-13-45", "the date is not a real day"),
    "date that is not a date": ("date: 2024/06/01", "the date '2024/06/01' is not a date"),
    "timezone-aware date": ("date: 2024-06-01T10:30:00+08:00", "the date .* has a time zone"),
    "tags as a YAML list": ("tags: [机器遗忘, 隐私]", "'tags' is a YAML list"),
    "missing title": ("title:", "no 'title'"),
    "tag outside the taxonomy": ("tags: 机器遗忘, 没有这个标签", "'没有这个标签' is not in the taxonomy"),
    "unknown key": ("summary: 摘要", "unknown key 'summary'"),
}


def front_matter_with(line: str) -> str:
    key = line.split(":", 1)[0]
    kept = [entry for entry in GOOD_FRONT_MATTER.strip().splitlines() if not entry.startswith(key + ":")]
    return "\n".join(kept + [line])


@pytest.mark.parametrize("case", BAD_POSTS)
def test_bad_front_matter_fails_the_build_naming_file_and_problem(features_copy, tmp_path, case):
    line, problem = BAD_POSTS[case]
    write_post(features_copy, "2024/bad-post.md", front_matter_with(line))
    build = make_html(features_copy, tmp_path / "out")
    assert build.returncode != 0, build.log
    assert re.search(rf"posts/2024/bad-post\.md:\d+: ERROR: .*{problem}", build.log), build.log


def test_two_posts_with_the_same_slug_fail_the_build(features_copy, tmp_path):
    write_post(features_copy, "2024/same-slug.md", GOOD_FRONT_MATTER)
    write_post(features_copy, "2023/same-slug.md", GOOD_FRONT_MATTER.replace("2024", "2023"))
    build = make_html(features_copy, tmp_path / "out")
    assert build.returncode != 0, build.log
    assert re.search(r"posts/2024/same-slug\.md:1: ERROR: the slug 'same-slug' is also posts/2023/same-slug\.md's", build.log), build.log


@pytest.mark.parametrize("link", ["{doc}`/posts/2024/no-such-post`", "{ref}`no-such-label`"])
def test_a_link_to_a_post_that_does_not_exist_fails_the_build(features_copy, tmp_path, link):
    write_post(features_copy, "2024/dangling-link.md", GOOD_FRONT_MATTER, f"见 {link}。\n")
    build = make_html(features_copy, tmp_path / "out")
    assert build.returncode != 0, build.log
    assert re.search(rf"posts/2024/dangling-link\.md:8: ERROR: the link {re.escape(link)} leads nowhere", build.log), build.log
