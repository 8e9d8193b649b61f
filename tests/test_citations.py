"""Inline citations: author-year, linked to the note's own reference list,
everywhere ablog shows the note again (listing pages, feeds).

On the feature tests' blog (tests/roots/test-features), built with feeds in
full text: two of its notes cite papers inline, one in its first paragraph
(its excerpt), and the second is also about a paper another note discusses.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import lxml.html
import pytest
from lxml import etree

from bib import read_bib
from conftest import make_html, write_post
from site_urls import resolve

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST = "posts/2024/citing-first"
SECOND = "posts/2024/citing-second"
FIRST_KEYS = ["rafailov2023direct", "ouyang2022training", "lu2022quark", "eldan2023harry"]


@pytest.fixture
def cited(features_full_text):
    """Feeds in full text: the notes' citations and reference lists travel in them."""
    return features_full_text


def has_class(name: str) -> str:
    return f"//*[contains(concat(' ', @class, ' '), ' {name} ')]"


def citation_targets(build, pagename: str) -> list[str]:
    page = build.page(pagename)
    return [resolve(pagename, a["href"]) for a in page.select("article .bibtex-citation a")]


def test_citations_build_without_a_warning(cited):
    assert "WARNING" not in cited.log and "build succeeded." in cited.log


def test_citations_are_author_year_and_link_to_the_notes_reference_list(cited):
    page = cited.page(FIRST + ".html")
    texts = [span.get_text() for span in page.select("article .bibtex-citation")]
    assert texts == ["[Rafailov et al., 2023]", "Ouyang et al. [2022]", "[Eldan and Russinovich, 2023, Lu et al., 2022]"]
    targets = citation_targets(cited, FIRST + ".html")
    assert sorted(targets) == sorted(f"{FIRST}.html#cite-{key}" for key in FIRST_KEYS)


def test_reference_list_ends_the_note_with_exactly_the_cited_papers(cited):
    bib = read_bib(cited.source / "papers.bib")
    article = cited.page(FIRST + ".html").select_one("article")
    # The note's last section; the lists of other notes come after its text.
    heading = [h2 for h2 in article.select("section > h2") if not h2.find_parent(class_="note-relations")][-1]
    assert heading.get_text(strip=True).rstrip("#") == "参考文献"
    entries = heading.parent.select(".citation")
    assert sorted(entry["id"] for entry in entries) == sorted(f"cite-{key}" for key in FIRST_KEYS)
    for entry in entries:
        # Titles as the bibliography writes them, not lower-cased.
        assert bib[entry["id"].removeprefix("cite-")].title in entry.get_text()


def test_a_second_note_citing_the_same_paper_links_to_its_own_list(cited):
    assert citation_targets(cited, SECOND + ".html") == [f"{SECOND}.html#cite-rafailov2023direct"]
    assert cited.page(SECOND + ".html").find(id="cite-rafailov2023direct") is not None


def test_citations_on_listing_pages_link_to_the_notes_list(cited):
    """The first paragraph (the excerpt) cites; listing pages show it."""
    for pagename in ("index.html", "blog/tag/rlhf.html", "blog/2024.html"):
        page = cited.page(pagename)
        entry = next(e for e in page.select(".blog-entry") if e.select_one("a").get_text() == "引用示例一")
        targets = [resolve(pagename, a["href"]) for a in entry.select(".bibtex-citation a")]
        assert targets == [f"{FIRST}.html#cite-rafailov2023direct"], pagename


def test_citations_in_feeds_link_to_the_notes_page(cited):
    base = cited.html / "blog" / "atom.xml"
    root = etree.parse(str(base)).getroot()
    site_url = cited.base_url
    entries = {e.findtext(f"{ATOM}title"): e for e in root.iter(f"{ATOM}entry")}
    for title, docname, keys in (("引用示例一", FIRST, FIRST_KEYS), ("引用示例二", SECOND, ["rafailov2023direct"])):
        content = lxml.html.fragment_fromstring(entries[title].findtext(f"{ATOM}content"), create_parent="div")
        hrefs = content.xpath(f"{has_class('bibtex-citation')}//a/@href")
        assert sorted(hrefs) == sorted(f"{site_url}{docname}.html#cite-{key}" for key in keys), title
        # The reference list travels along, without back-links to the feed's own page.
        for href in content.xpath(f"{has_class('citation')}//a/@href"):
            assert urlsplit(href).netloc != urlsplit(site_url).netloc, href


def test_paper_index_lists_the_notes_that_cite_a_paper(cited):
    entry = cited.page("papers.html").find(id="rafailov2023direct")
    citing = next(p for p in entry.select(".paper-notes") if p.get_text().startswith("引用它的笔记"))
    assert sorted(resolve("papers.html", a["href"]) for a in citing.select("a")) == [FIRST + ".html", SECOND + ".html"]
    discussing = cited.page("papers.html").find(id="cheng2024adversarial").select(".paper-notes a")
    assert sorted(resolve("papers.html", a["href"]) for a in discussing) == ["posts/2024/apo.html", SECOND + ".html"]


def test_an_unknown_citation_key_fails_the_build(features_copy, tmp_path):
    write_post(
        features_copy,
        "2024/citing-nothing.md",
        "title: 错误引用\ndate: 2024-01-02\ncategory: 对齐\ntags: RLHF",
        "正文 {cite:p}`nobody2099nothing`。\n",
    )
    build = make_html(features_copy, tmp_path / "out")
    assert build.returncode != 0
    assert 'citing-nothing.md:8: WARNING: could not find bibtex key "nobody2099nothing"' in build.log
