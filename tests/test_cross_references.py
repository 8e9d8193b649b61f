"""Cross-referenced browsing, on a blog of notes made for it (``tests/roots/test-notes``).

Its notes: ``base`` (about paper A, a labelled section, a footnote, code),
``follow`` (links to ``base`` and its section, cites paper B), ``same-paper``
(about paper A, cites paper B), ``tags-only`` (shares the tag RLHF),
``loner`` (shares nothing), and a draft that links to ``base``.

- Backlinks: every note ends with the published notes that link to it,
  with title and date; drafts never; no empty section.
- Related notes: ranked by the same paper, papers both discuss or cite, a
  link, tags, category; a note that shares nothing is never listed.
- A paper card names the other notes that discuss or cite its paper.
- The head describes the note, with its paper as ``about``: no
  ``citation_*`` tag claims the note is the paper.
- Previews: the data of the linked notes and cited papers travels in the
  page; only pages with something to preview load the script.
- Incremental builds after adding a link, retagging a note or changing its
  paper equal a clean build.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import built, copy_root
from test_incremental import differences, explain

NOTES = {
    "base": "posts/2023/base.html",
    "follow": "posts/2024/follow.html",
    "same-paper": "posts/2024/same-paper.html",
    "tags-only": "posts/2022/tags-only.html",
    "loner": "posts/2024/loner.html",
}
TITLES = {
    "base": "基础笔记", "follow": "后续笔记", "same-paper": "同一论文的另一篇笔记",
    "tags-only": "只共享标签的笔记", "loner": "孤立的笔记",
}  # fmt: skip


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    root = tmp_path_factory.mktemp("notes")
    return built(copy_root("notes", root / "blog"), root / "out")


def page(build, name: str) -> BeautifulSoup:
    return BeautifulSoup((build.html / NOTES[name]).read_text(encoding="utf-8"), "lxml")


def listed(soup: BeautifulSoup, section: str) -> list[str]:
    return [li.a.get_text() for li in soup.select(f".note-relations .{section} li")]


def test_a_note_lists_the_published_notes_that_link_to_it_with_their_dates(notes):
    soup = page(notes, "base")
    assert listed(soup, "note-backlinks") == [TITLES["follow"]]
    item = soup.select_one(".note-backlinks li")
    assert item.time["datetime"] == "2024-01-15"
    assert item.a["href"] == "../2024/follow.html"
    assert "链接到基础笔记的草稿" not in soup.get_text()


def test_a_note_nothing_links_to_has_no_backlinks_section(notes):
    for name in ("follow", "same-paper", "tags-only", "loner"):
        assert page(notes, name).select_one(".note-backlinks") is None, name


def test_related_notes_rank_paper_then_shared_papers_then_links_then_tags(notes):
    assert listed(page(notes, "base"), "note-related") == [TITLES["same-paper"], TITLES["follow"], TITLES["tags-only"]]
    assert listed(page(notes, "follow"), "note-related") == [TITLES["same-paper"], TITLES["base"], TITLES["tags-only"]]
    reasons = [span.get_text() for span in page(notes, "base").select(".note-related-reason")]
    assert reasons == ["讨论同一篇论文", "两篇笔记之间有链接", "共同标签：RLHF"]


def test_a_note_that_shares_nothing_lists_no_related_notes_and_is_listed_nowhere(notes):
    assert page(notes, "loner").select_one(".note-relations") is None
    for name in NOTES:
        assert TITLES["loner"] not in listed(page(notes, name), "note-related"), name


def test_relations_are_not_indexed_by_the_search(notes):
    assert page(notes, "base").select_one(".note-relations")["data-pagefind-ignore"] == "all"


def test_a_paper_card_names_the_other_notes_on_its_paper(notes):
    card = page(notes, "base").select_one(".paper-card .paper-card-notes")
    assert [a.get_text() for a in card.select("a")] == [TITLES["same-paper"]]
    assert [a.get_text() for a in page(notes, "same-paper").select(".paper-card-notes a")] == [TITLES["base"]]


def json_ld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.select_one('script[type="application/ld+json"]').string)


def test_the_head_describes_the_note_and_its_paper_as_what_it_is_about(notes):
    soup = page(notes, "base")
    assert not soup.select('meta[name^="citation_"]')
    data = json_ld(soup)
    assert data["@type"] == "BlogPosting" and data["headline"] == TITLES["base"]
    assert data["datePublished"].startswith("2023-06-01")
    about = data["about"]
    assert about["@type"] == "ScholarlyArticle"
    assert about["name"] == "Paper A: Shared by Two Notes"
    assert [author["name"] for author in about["author"]] == ["San Zhang", "Si Li", "Wu Wang", "Liu Zhao"]
    assert about["datePublished"] == "2023"
    assert about["sameAs"] == ["https://doi.org/10.1234/test.a", "https://arxiv.org/abs/2301.00002"]
    assert about["identifier"] == ["doi:10.1234/test.a", "arXiv:2301.00002"]
    assert "about" not in json_ld(page(notes, "follow"))


def test_no_note_claims_to_be_a_paper_of_the_bibliography(notes):
    titles = {"Paper A: Shared by Two Notes", "Paper B: Cited by Two Notes"}
    for name in NOTES:
        tags = page(notes, name).select('meta[name="citation_title"]')
        assert not {tag["content"] for tag in tags} & titles, name


def test_a_page_carries_the_previews_of_what_it_links_to(notes):
    data = json.loads(page(notes, "follow").select_one("#link-previews").string)
    assert data["notes"] == {"posts/2023/base.html": {"title": "基础笔记", "date": "2023年6月1日", "text": "基础笔记的第一段，讲奖励模型。"}}
    assert data["papers"] == {"cite-paperb2024": {"title": "Paper B: Cited by Two Notes", "authors": "Qi Chen", "venue": "Journal of Tests", "year": "2024"}}


def scripts(soup: BeautifulSoup) -> list[str]:
    return [re.sub(r"\?.*", "", script["src"]).rsplit("/", 1)[-1] for script in soup.select("script[src]")]


def test_only_pages_with_something_to_preview_or_copy_load_those_scripts(notes):
    assert "link-previews.js" in scripts(page(notes, "base"))  # a footnote
    assert "link-previews.js" in scripts(page(notes, "follow"))
    assert "link-previews.js" not in scripts(page(notes, "loner"))
    assert {"clipboard.min.js", "copybutton.js"} <= set(scripts(page(notes, "base")))
    assert not {"clipboard.min.js", "copybutton.js"} & set(scripts(page(notes, "follow")))


def replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


STEPS = {
    "a new link": lambda blog: replace(
        blog / "posts/2022/tags-only.md", "共享一个标签。", "共享一个标签，也链接到 {ref}`孤立的笔记 <loner>`。"),
    "a retagged note": lambda blog: replace(blog / "posts/2024/loner.md", "tags: 访问控制", "tags: 访问控制, RLHF"),
    "another paper": lambda blog: replace(blog / "posts/2024/same-paper.md", "paper: papera2023\n", ""),
}  # fmt: skip


@pytest.fixture(scope="module")
def incremental_steps(tmp_path_factory):
    """The blog built once, then changed step by step and built again in the same folder."""
    root = tmp_path_factory.mktemp("notes-incremental")
    blog = copy_root("notes", root / "blog")
    built(blog, root / "out")
    results = {}
    for number, (name, change) in enumerate(STEPS.items()):
        change(blog)
        built(blog, root / "out")
        # The next step builds in the same folder: keep what this one wrote.
        incremental = shutil.copytree(root / "out" / "html", root / f"incremental-{number}")
        results[name] = (incremental, built(blog, root / f"clean-{number}").html)
    return results


@pytest.mark.parametrize("step", STEPS)
def test_an_incremental_build_equals_a_clean_build_after(incremental_steps, step):
    incremental, clean = incremental_steps[step]
    found = differences(incremental, clean)
    assert not found, explain(incremental, clean, found)


def test_the_changes_show_on_the_other_notes_pages(incremental_steps):
    def built_page(step: str, name: str) -> BeautifulSoup:
        return BeautifulSoup((incremental_steps[step][0] / NOTES[name]).read_text(encoding="utf-8"), "lxml")

    assert listed(built_page("a new link", "loner"), "note-backlinks") == [TITLES["tags-only"]]
    assert TITLES["loner"] in listed(built_page("a retagged note", "base"), "note-related")
    assert built_page("another paper", "base").select_one(".paper-card-notes") is None
    assert listed(built_page("another paper", "base"), "note-related")[0] != TITLES["same-paper"]
