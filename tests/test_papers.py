"""Every note knows its paper: the card, the page head, search, feeds and the paper index.

On the feature tests' blog (tests/roots/test-features), whose papers have long
author lists, LaTeX accents, braces and dashes; on the owner's site, that the
old blog's notes name their papers in the order papers.bib gives them. The
expected values come from each blog's papers.bib read with pybtex
(tests/bib.py), not from the site's own code.
"""

from __future__ import annotations

import json
import re

from lxml import etree
from pybtex.database import parse_string

from bib import paper_keys, read_bib
from conftest import make_html
from listing import old_posts
from site_urls import resolve

ATOM = "{http://www.w3.org/2005/Atom}"
NOTES_WITHOUT_PAPER = {
    "Access Control", "Isolation", "Base of Vulnerability Analysis",
    "Blog Post number 1", "Blog Post number 2", "Blog Post number 3", "Blog Post number 4",
}  # fmt: skip


def bib_of(build) -> dict:
    return read_bib(build.source / "papers.bib")


CITE = re.compile(r"\{cite:[pt]\}`([^`]+)`")


def citing_notes(build) -> dict[str, list[str]]:
    """BibTeX key -> the notes citing it inline, read from their sources."""
    found: dict[str, list[str]] = {}
    for post in build.posts:
        for keys in CITE.findall(post.source.read_text(encoding="utf-8")):
            for key in keys.split(","):
                found.setdefault(key.strip(), []).append(post.docname)
    return found


# -- The owner's site: what the port promised -----------------------------------


def test_the_old_blogs_21_notes_name_their_papers_in_the_order_of_the_bibliography(site):
    """papers.bib numbers the papers of the old blog's notes in the order of its listing.

    Papers added since may come anywhere in it, and new notes name any paper or none.
    """
    keys = paper_keys(site.posts)
    by_title = {post.title: post.docname for post in site.posts}
    listed = [by_title[old.title] for old in old_posts() if old.title not in NOTES_WITHOUT_PAPER]
    assert len(listed) == 21
    assert [docname for docname in listed if docname not in keys] == []
    old_keys = [keys[docname] for docname in listed]
    assert len(set(old_keys)) == 21
    assert [key for key in read_bib() if key in old_keys] == old_keys


# -- Cards, page heads, the paper index and feeds, on the feature tests' blog ---------


def test_each_note_card_shows_its_papers_title_year_arxiv_id_and_doi(features):
    site, bib = features, bib_of(features)
    assert len(paper_keys(site.posts)) >= 8
    for docname, key in paper_keys(site.posts).items():
        paper = bib[key]
        article = site.page(docname + ".html").select_one("article")
        card = article.select_one("aside.paper-card")
        assert card.select_one(".paper-title").get_text(strip=True) == paper.title, docname
        assert card.select_one(".paper-year").get_text(strip=True) == paper.year, docname
        arxiv = card.select_one("a.paper-arxiv")
        if paper.arxiv:
            assert arxiv["href"] == f"https://arxiv.org/abs/{paper.arxiv}", docname
            assert arxiv.get_text(strip=True) == f"arXiv:{paper.arxiv}"
        else:
            assert arxiv is None, docname
        doi = card.select_one("a.paper-doi")
        if paper.doi:
            assert doi["href"] == f"https://doi.org/{paper.doi}", docname
            assert doi.get_text(strip=True) == f"DOI: {paper.doi}"
        else:
            assert doi is None, docname
        for link in card.select(".paper-links a"):
            assert link["href"] in paper.urls, (docname, link["href"])
        assert card.select_one("button.paper-copy-bibtex").get_text(strip=True) == "复制 BibTeX"
        assert re.match(rf"@\w+\{{{key},", card.select_one("pre").get_text()), docname


def test_the_bibtex_a_card_offers_stands_on_its_own(features):
    """What the copy button copies parses alone: an @string macro's value, not its name (the DPO paper's venue)."""
    for docname, key in paper_keys(features.posts).items():
        text = features.page(docname + ".html").select_one(".paper-card pre").get_text()
        assert list(parse_string(text, "bibtex").entries) == [key], docname


def test_card_sits_under_the_meta_line_inside_the_article(features):
    article = features.page("posts/2023/dpo.html").select_one("article")
    heading = article.select_one("h1")
    following = [tag for tag in heading.find_next_siblings(limit=3)]
    assert "post-meta" in following[0]["class"] and "paper-card" in following[1]["class"]


def test_cards_shorten_long_author_lists(features):
    site = features
    ppo = site.page("posts/2023/ppo.html").select_one(".paper-authors").get_text(strip=True)
    assert ppo == "Long Ouyang, Jeff Wu, Xu Jiang 等"  # 20 authors
    lucki = site.page("posts/2024/adversarial-unlearning.html").select_one(".paper-authors")
    assert lucki.get_text(strip=True) == "Jakub Łucki, Boyi Wei, Yangsibo Huang 等"  # {\L}ucki decoded
    dpo_title = site.page("posts/2024/mechanistic-interpretability.html").select_one(".paper-title").get_text()
    assert dpo_title == "Mechanistic Interpretability for AI Safety – A Review"  # braces gone, -- is a dash
    guo = site.page("posts/2024/mechanistic-unlearning.html").select_one(".paper-authors").get_text(strip=True)
    assert guo.count(",") == 4 and "等" not in guo  # five authors are all shown


def test_notes_without_a_paper_have_no_card_and_no_citation_meta(features):
    site, keys = features, paper_keys(features.posts)
    without = [post for post in site.posts if post.docname not in keys]
    assert len(without) >= 3
    for post in without:
        page = site.page(post.html_path)
        assert page.select_one(".paper-card") is None, post.title
        assert page.select_one('meta[name="citation_title"]') is None, post.title


def test_page_head_names_the_paper_as_what_the_note_is_about(features):
    """JSON-LD: the note is a BlogPosting about a ScholarlyArticle; no citation_* tag says it is the paper."""
    site, bib = features, bib_of(features)
    for docname, key in paper_keys(site.posts).items():
        paper, head = bib[key], site.page(docname + ".html").head
        assert not head.select('meta[name^="citation_"]'), docname
        data = json.loads(head.select_one('script[type="application/ld+json"]').string)
        assert data["@type"] == "BlogPosting" and data["headline"] != paper.title, docname
        about = data["about"]
        assert about["@type"] == "ScholarlyArticle" and about["name"] == paper.title, docname
        assert about["datePublished"] == paper.year, docname
        assert len(about["author"]) >= 2, docname
        if paper.arxiv:
            assert f"https://arxiv.org/abs/{paper.arxiv}" in about["sameAs"], docname
        if paper.doi:
            assert f"https://doi.org/{paper.doi}" in about["sameAs"], docname


def test_no_note_claims_to_be_a_paper_of_the_bibliography(site):
    """On the owner's site: no note's citation_title is the title of a paper of papers.bib."""
    titles = {paper.title for paper in bib_of(site).values()}
    for post in site.posts:
        claimed = {tag["content"] for tag in site.page(post.html_path).select('meta[name="citation_title"]')}
        assert not claimed & titles, post.docname


def test_card_links_to_the_papers_entry_in_the_index(features):
    site = features
    index = site.page("papers.html")
    for docname, key in paper_keys(site.posts).items():
        link = site.page(docname + ".html").select_one(".paper-card-index a")
        assert resolve(docname + ".html", link["href"]) == f"papers.html#{key}"
        assert index.find(id=key) is not None


def test_paper_index_lists_every_entry_with_links_to_its_notes(features):
    site, bib, keys, citing = features, bib_of(features), paper_keys(features.posts), citing_notes(features)
    index = site.page("papers.html")
    entries = index.select("article .paper-entry")
    assert sorted(entry["id"] for entry in entries) == sorted(bib)
    for entry in entries:
        paper = bib[entry["id"]]
        assert entry.select_one(".paper-title").get_text(strip=True) == paper.title
        assert entry.select_one(".paper-year").get_text(strip=True) == paper.year
        assert entry.select_one(".paper-authors").get_text(strip=True)
        for link in entry.select(".paper-links a"):
            assert link["href"] in paper.urls
        lists = {p.get_text().split("：")[0].strip(): [resolve("papers.html", a["href"]) for a in p.select("a")]
                 for p in entry.select(".paper-notes")}
        notes = lists.pop("讨论它的笔记", [])
        expected = sorted(docname + ".html" for docname, key in keys.items() if key == paper.key)
        assert sorted(notes) == expected, paper.key
        for note in notes:  # the link works: the page is there and is about this paper
            assert site.page(note).select_one(".paper-card-index a")["href"].endswith(f"#{paper.key}")
        assert sorted(lists.pop("引用它的笔记", [])) == sorted(docname + ".html" for docname in citing.get(paper.key, []))
        assert not lists, paper.key
    # Papers about which there are notes, papers only cited, and one neither.
    assert {bool(entry.select(".paper-notes")) for entry in entries} == {True, False}


def test_paper_index_reads_by_year_and_by_venue(features):
    bib = bib_of(features)
    index = features.page("papers.html")
    years = [group.select_one("h3").get_text() for group in index.select(".paper-year-group")]
    assert years == sorted({paper.year for paper in bib.values()}, reverse=True)
    for group in index.select(".paper-year-group"):
        year = group.select_one("h3").get_text()
        assert {bib[e["id"]].year for e in group.select(".paper-entry")} == {year}
    by_venue = index.select_one("section:has(> #papers-by-venue)")
    venue_links = [resolve("papers.html", a["href"]) for a in by_venue.select("li a")]
    assert sorted(venue_links) == sorted(f"papers.html#{key}" for key in bib)
    assert "Advances in Neural Information Processing Systems" in [h3.get_text() for h3 in by_venue.select("h3")]


def test_every_page_links_to_the_paper_index(features):
    for pagename in ("index.html", "posts/2023/dpo.html", "blog/tag/rlhf.html"):
        hrefs = [resolve(pagename, a["href"]) for a in features.page(pagename).select(".bd-sidebar-primary a")]
        assert "papers.html" in hrefs, pagename


def test_feed_entries_name_the_paper(features):
    site, bib, keys = features, bib_of(features), paper_keys(features.posts)
    root = etree.parse(str(site.html / "blog" / "atom.xml")).getroot()
    by_title = {post.title: post.docname for post in site.posts}
    for entry in root.iter(f"{ATOM}entry"):
        key = keys.get(by_title[entry.findtext(f"{ATOM}title")])
        # A summary in HTML, or the whole post (blog_feed_fulltext).
        content = etree.HTML(entry.findtext(f"{ATOM}content") or entry.findtext(f"{ATOM}summary"))
        related = [link.get("title") for link in entry.findall(f"{ATOM}link[@rel='related']")]
        if key is None:
            assert not content.xpath("//p[@class='paper-ref']") and not related
            continue
        cite = content.xpath("//p[@class='paper-ref']//cite")
        assert [c.text for c in cite] == [bib[key].title]
        assert related == [bib[key].title]


def test_a_note_naming_a_paper_missing_from_the_bibliography_fails_the_build(features_copy, tmp_path):
    post = features_copy / "posts" / "2023" / "dpo.md"
    post.write_text(post.read_text(encoding="utf-8").replace("paper: rafailov2023direct", "paper: nobody2099nothing"), encoding="utf-8")
    build = make_html(features_copy, tmp_path / "out")
    assert build.returncode != 0
    # At the line of the front matter naming the paper.
    assert "posts/2023/dpo.md:6: ERROR: the paper 'nobody2099nothing' is not in papers.bib" in build.log, build.log
