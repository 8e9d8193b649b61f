"""Every Atom feed: valid Atom, one entry per post, absolute links, a real language tag,
stable IDs, the author's time zone, advertised on every page; full text or summaries.

What feeds hold is checked on the feature tests' blog (tests/roots/test-features);
every feed of the owner's site must be valid, link only to its pages and papers,
keep its IDs at another address and be advertised, whatever posts it holds.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from lxml import etree

from bib import read_bib
from conftest import built, make_html
from test_collections import config_value

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BCP47 = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?")
CHINA = dt.timedelta(hours=8)


def feeds(site) -> list[Path]:
    return sorted(site.html.joinpath("blog").rglob("atom.xml"))


def local_path(site, url: str, base: str) -> str:
    assert url.startswith(base), f"{url} is not under {base}"
    return urlsplit(url[len(base):]).path


def paper_urls(build) -> set[str]:
    """Every address of every paper of the blog's bibliography."""
    return bib_urls(build.source / "papers.bib")


@functools.cache
def bib_urls(path: Path) -> frozenset[str]:
    return frozenset().union(*(paper.urls for paper in read_bib(path).values()))


@pytest.fixture(params=["owner's site", "feature tests' blog"])
def any_blog(request):
    """The checks every feed of any blog passes: on the owner's site and the feature tests' blog."""
    return request.getfixturevalue("site" if request.param == "owner's site" else "features")


def test_there_is_a_feed_for_the_site_every_tag_category_year_and_language(features):
    paths = {p.relative_to(features.html).as_posix() for p in feeds(features)}
    assert "blog/atom.xml" in paths
    for folder in ("tag", "category", "language"):
        pages = list(features.html.joinpath("blog", folder).glob("*.html"))
        assert pages, folder
        for page in pages:
            assert f"blog/{folder}/{page.stem}/atom.xml" in paths
    for year in {post.date.year for post in features.posts}:
        assert f"blog/{year}/atom.xml" in paths


def test_feeds_parse_and_carry_a_valid_language_tag(any_blog):
    site = any_blog
    for path in feeds(site):
        root = etree.parse(str(path)).getroot()
        assert root.tag == f"{ATOM}feed", path
        assert BCP47.fullmatch(root.get(XML_LANG)), (path, root.get(XML_LANG))
        assert root.get(XML_LANG) == "zh-CN"


def test_site_feed_has_one_entry_per_post_newest_first(features):
    site, base_url = features, features.base_url
    authority = config_value(site, "blog_feed_id_authority")
    root = etree.parse(str(site.html / "blog" / "atom.xml")).getroot()
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [post.title for post in site.posts]
    for entry, post in zip(entries, site.posts):
        link = entry.find(f"{ATOM}link").get("href")
        assert local_path(site, link, base_url) == post.html_path
        assert entry.findtext(f"{ATOM}id") == f"tag:{authority}:post/{post.source.stem}"
        published = dt.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
        assert published.date() == post.date and published.utcoffset() == CHINA
        assert sorted(c.get("term") for c in entry.findall(f"{ATOM}category")) == sorted(post.tags)


def test_a_feed_holds_its_collections_newest_posts_up_to_the_feed_length(features_copy, tmp_path):
    build = built(features_copy, tmp_path / "out", {"SPHINXOPTS": "-n -W --keep-going -D blog_feed_length=3"})
    entries = etree.parse(str(build.html / "blog" / "atom.xml")).getroot().findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [post.title for post in build.posts][:3]
    rlhf = etree.parse(str(build.html / "blog/tag/rlhf/atom.xml")).getroot().findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in rlhf] == [post.title for post in build.posts if "RLHF" in post.tags][:3]
    for path in feeds(build):
        assert len(etree.parse(str(path)).getroot().findall(f"{ATOM}entry")) <= 3, path


def test_a_feed_length_that_is_not_a_positive_number_fails_the_build(features_copy, tmp_path):
    build = make_html(features_copy, tmp_path / "out", {"SPHINXOPTS": "-n -W --keep-going -D blog_feed_length=0"})
    assert build.returncode != 0
    assert "ERROR: blog_feed_length is 0; expected a positive whole number or None" in build.log, build.log


def test_tag_feeds_have_one_entry_per_tagged_post_up_to_the_feed_length(features):
    site = features
    for path in site.html.joinpath("blog/tag").glob("*/atom.xml"):
        tag_page = site.page(f"blog/tag/{path.parent.name}.html")
        listed = [a.get_text(strip=True) for a in tag_page.select(".blog-entry-title a")]
        entries = etree.parse(str(path)).getroot().findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}title") for e in entries] == listed, path


def test_every_link_in_every_feed_is_absolute_and_resolves_to_a_built_page_or_a_paper(any_blog):
    site, base_url, papers = any_blog, any_blog.base_url, paper_urls(any_blog)
    for path in feeds(site):
        root = etree.parse(str(path)).getroot()
        urls = [link.get("href") for link in root.iter(f"{ATOM}link")]
        for text in root.iter(f"{ATOM}content", f"{ATOM}summary"):
            if text.get("type") == "html":
                fragment = lxml.html.fragment_fromstring(text.text, create_parent="div")
                urls += [href for _, _, href, _ in fragment.iterlinks()]
        for url in urls:
            assert urlsplit(url).scheme == "https", (path, url)
            if not url.startswith(base_url):
                assert url in papers, (path, url)
                continue
            target = local_path(site, url, base_url) or "index.html"
            assert (site.html / target).is_file() or (site.html / target / "index.html").is_file(), (path, url)


def feed_problems(root: etree._Element, base: str, papers: set[str], known_ids: dict[str, str] | None = None) -> list[str]:
    """What makes a feed invalid Atom (RFC 4287) or unusable by a feed reader."""
    problems = []
    language = root.get(XML_LANG) or ""
    if not BCP47.fullmatch(language):
        problems.append(f"language tag {language!r} is not BCP 47")
    for element in ("id", "title", "updated", "author/{A}name"):
        if not root.findtext(f"{ATOM}" + element.format(A=ATOM)):
            problems.append(f"feed has no {element}")
    rels = [link.get("rel", "alternate") for link in root.findall(f"{ATOM}link")]
    if sorted(rels) != ["alternate", "self"]:
        problems.append(f"feed links {rels}")
    for stamp in root.iter(f"{ATOM}updated", f"{ATOM}published"):
        if dt.datetime.fromisoformat(stamp.text).utcoffset() != CHINA:
            problems.append(f"date {stamp.text} is not in UTC+8")
    urls = [link.get("href") for link in root.iter(f"{ATOM}link")]
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        title, entry_id = entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}id")
        ids.append(entry_id)
        if not (title and entry.findtext(f"{ATOM}updated") and entry.find(f"{ATOM}link") is not None):
            problems.append(f"entry {title!r} lacks a title, date or link")
        if not entry_id or not urlsplit(entry_id).scheme:
            problems.append(f"entry {title!r} has no absolute id: {entry_id!r}")
        if known_ids is not None and known_ids.get(title) != entry_id:
            problems.append(f"entry {title!r} changed its id from {known_ids.get(title)!r} to {entry_id!r}")
        for text in entry.iter(f"{ATOM}content", f"{ATOM}summary"):
            if text.get("type") == "html":
                fragment = lxml.html.fragment_fromstring(text.text, create_parent="div")
                urls += [href for _, _, href, _ in fragment.iterlinks()]
    if len(set(ids)) != len(ids):
        problems.append("two entries share an id")
    problems += [f"link {url} is not under {base}" for url in urls if not url.startswith(base) and url not in papers]
    return problems


def entry_ids(root: etree._Element) -> dict[str, str]:
    return {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")}


def test_every_feed_is_valid_atom(any_blog):
    for path in feeds(any_blog):
        assert feed_problems(etree.parse(str(path)).getroot(), any_blog.base_url, paper_urls(any_blog)) == [], path


def test_entry_ids_do_not_change_with_the_build_or_the_address(site, rtd_site):
    """The same feeds built again, for another address (Read the Docs), keep their IDs."""
    base_url, rtd_base = site.base_url, "https://example.readthedocs.io/zh-cn/latest/"
    assert base_url != rtd_base
    for path in feeds(site):
        local = etree.parse(str(path)).getroot()
        rebuilt = etree.parse(str(rtd_site.html / path.relative_to(site.html))).getroot()
        assert local.findtext(f"{ATOM}id") == rebuilt.findtext(f"{ATOM}id"), path
        assert feed_problems(rebuilt, rtd_base, paper_urls(site), known_ids=entry_ids(local)) == [], path


@pytest.mark.parametrize(
    "breakage, problem",
    [
        (lambda root: root.set(XML_LANG, "zh_CN"), "language tag 'zh_CN'"),
        (lambda root: root.find(f"{ATOM}entry/{ATOM}link").set("href", "../posts/2023/dpo.html"), "is not under"),
        (lambda root: setattr(root.find(f"{ATOM}entry/{ATOM}id"), "text", "tag:x,2026:post/moved"), "changed its id"),
    ],
    ids=["language tag", "relative link", "changed id"],
)
def test_the_feed_check_catches_a_bad_language_tag_a_relative_link_and_a_changed_id(features, breakage, problem):
    base_url, papers = features.base_url, paper_urls(features)
    root = etree.parse(str(features.html / "blog" / "atom.xml")).getroot()
    known = entry_ids(root)
    assert feed_problems(root, base_url, papers, known) == []
    broken = copy.deepcopy(root)
    breakage(broken)
    assert any(problem in p for p in feed_problems(broken, base_url, papers, known))


# A note of the feature tests' blog about a paper, opening with a paragraph, with three sections.
SURVEY = "大模型与图学习的结合场景调研"


def entry_titled(root: etree._Element, title: str) -> etree._Element:
    return next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == title)


def test_feeds_carry_summaries_the_excerpt_as_html(features):
    site = features
    for path in feeds(site):
        for entry in etree.parse(str(path)).getroot().iter(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}content") is None, path
            assert entry.find(f"{ATOM}summary").get("type") == "html", path
    entry = entry_titled(etree.parse(str(site.html / "blog" / "atom.xml")).getroot(), SURVEY)
    summary = lxml.html.fragment_fromstring(entry.findtext(f"{ATOM}summary"), create_parent="div")
    # The note's paper, then the excerpt: the post's first paragraph, not its sections.
    excerpt = site.page("posts/2024/llm-graph-learning.html").select_one("article section > p:not(.post-meta)")
    assert summary.find("p").get("class") == "paper-ref"
    assert summary.text_content().strip().endswith(excerpt.get_text().strip())
    assert not list(summary.iter("h2"))


def test_one_setting_turns_every_feed_into_full_text(features_full_text, features):
    """Whole posts as <content>, the excerpt as a text <summary>; links absolute, IDs unchanged."""
    full_text_site, site, base_url = features_full_text, features, features.base_url
    for path in feeds(full_text_site):
        root = etree.parse(str(path)).getroot()
        assert feed_problems(root, base_url, paper_urls(site)) == [], path
        for entry in root.iter(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}content").get("type") == "html", path
            assert entry.find(f"{ATOM}summary").get("type") is None, path
    root = etree.parse(str(full_text_site.html / "blog" / "atom.xml")).getroot()
    entry = entry_titled(root, SURVEY)
    content = lxml.html.fragment_fromstring(entry.findtext(f"{ATOM}content"), create_parent="div")
    assert [h.text_content() for h in content.iter("h2")] == ["与大模型有关的图的场景", "与大模型有关的图学习技术", "技术和场景的结合方式"]
    summary = entry_titled(etree.parse(str(site.html / "blog" / "atom.xml")).getroot(), SURVEY).findtext(f"{ATOM}summary")
    # (a note's summary starts with its paper's title, which full text carries in the content)
    assert lxml.html.fragment_fromstring(summary, create_parent="div").text_content().strip().endswith(
        entry.findtext(f"{ATOM}summary").strip()
    )
    assert entry_ids(root) == entry_ids(etree.parse(str(site.html / "blog" / "atom.xml")).getroot())


def advertised_feeds(page) -> list[str]:
    return [link["href"] for link in page.select('head link[rel=alternate][type="application/atom+xml"]')]


def test_every_page_advertises_the_site_feed_and_a_listing_its_own(any_blog):
    site, base_url = any_blog, any_blog.base_url
    site_feed = base_url + "blog/atom.xml"
    pages = [p for p in site.html.rglob("*.html") if "_static" not in p.parts]
    checked = 0
    for path in pages:
        page = site.page(path.relative_to(site.html).as_posix())
        if page.select_one('meta[http-equiv="refresh"]'):
            continue  # an old address that sends the reader on
        advertised = advertised_feeds(page)
        assert advertised[0] == site_feed, path
        assert len(advertised) == len(set(advertised)), path
        checked += 1
        for url in advertised:
            assert (site.html / local_path(site, url, base_url)).is_file(), (path, url)
    # Every post and listing page, the home page, the paper index, the search and 404 pages.
    assert checked > len(site.posts) + 4


def test_a_listing_page_advertises_its_own_feed_after_the_sites(features):
    site, base_url = features, features.base_url
    site_feed = base_url + "blog/atom.xml"
    assert advertised_feeds(site.page("blog/tag/rlhf.html")) == [site_feed, base_url + "blog/tag/rlhf/atom.xml"]
    assert advertised_feeds(site.page("blog/2023.html")) == [site_feed, base_url + "blog/2023/atom.xml"]
    for pagename in ("index.html", "posts/2023/dpo.html", "search.html", "404.html", "blog/tag.html"):
        assert advertised_feeds(site.page(pagename)) == [site_feed], pagename
