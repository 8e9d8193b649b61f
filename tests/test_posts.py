"""Every post of the old blog, ported faithfully, on a page of its own; every post, a page that says what it is.

The port's checks ask that what the old blog had is here, word for word;
the blog may have grown since. The checks of every post's page run on
whatever posts the site holds.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from listing import old_posts, squeeze
from site_urls import resolve

sys.path.insert(0, str(Path(__file__).parent.parent / "_extensions"))
from paper_notes.posts.reading_time import reading_minutes  # noqa: E402


def test_every_old_post_is_ported_once(site):
    new = [(post.date.year, post.title) for post in site.posts]
    for post in old_posts():
        assert new.count((post.year, post.title)) == 1, (post.year, post.title)


def test_post_files_are_named_by_year_and_ascii_slug(site):
    for post in site.posts:
        year, slug = post.source.parent.name, post.source.stem
        assert year == str(post.date.year), post.source
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), post.source


def test_post_text_is_the_owners_word_for_word(site):
    old_by_title = {post.title: post for post in old_posts()}
    for post in (post for post in site.posts if post.title in old_by_title):
        article = site.page(post.html_path).select_one("article")
        for dropped in article.select("h1, .post-meta, .paper-card, .admonition.seealso, .headerlink, .note-relations, script"):
            dropped.decompose()
        for superscript in article.select("sup"):  # [^13] rendered as a superscript [13]
            superscript.replace_with(superscript.get_text().replace("[", "[^"))
        for heading in article.select("h2, h3"):
            heading.append("\n")
        assert squeeze(article.get_text()) == squeeze(old_by_title[post.title].text), post.title


def test_post_page_shows_title_date_reading_time_category_and_tags(site):
    for post in site.posts:
        page = site.page(post.html_path)
        assert page.select_one("article h1").get_text(strip=True).rstrip("#") == post.title
        assert page.title.get_text().startswith(post.title)
        meta = page.select_one("article .post-meta")
        assert meta.select_one("time")["datetime"] == post.date.isoformat()
        assert meta.select_one("time").get_text() == f"{post.date.year}年{post.date.month}月{post.date.day}日"
        assert re.fullmatch(r"阅读约 \d+ 分钟", meta.select_one(".post-reading-time").get_text())
        assert [a.get_text() for a in meta.select(".post-category a")] == [post.category]
        assert [a.get_text() for a in meta.select(".post-tags a")] == post.tags


def test_posts_link_to_the_previous_and_next_post_by_date(site):
    chronological = list(reversed(site.posts))
    for older, post, newer in zip([None] + chronological, chronological, chronological[1:] + [None]):
        page = site.page(post.html_path)
        for selector, neighbour in ((".prev-next-area a.left-prev", older), (".prev-next-area a.right-next", newer)):
            link = page.select_one(selector)
            if neighbour is None:
                assert link is None, (post.title, selector)
            else:
                assert link.select_one(".prev-next-title").get_text(strip=True) == neighbour.title
                assert resolve(post.html_path, link["href"]) == neighbour.html_path


def test_english_posts_are_marked_english_and_the_rest_chinese(site):
    languages = {post.language for post in site.posts}
    assert languages == {"en", "zh-CN"}
    for post in site.posts:
        assert site.page(post.html_path).html["lang"] == post.language, post.title


def test_reading_time_counts_chinese_characters(site):
    """Academic Pages divided space-separated words by 160: every Chinese note read in "less than 1 minute"."""
    for post in site.posts:
        article = site.page(post.html_path).select_one("article")
        shown = article.select_one(".post-reading-time").get_text()
        for part in article.select(".post-meta, .paper-card, .headerlink"):
            part.decompose()
        minutes = reading_minutes(article.get_text(), cjk_per_minute=400, words_per_minute=200)
        # The build counts the document's text, the page shows a little more (footnote marks):
        # a character either side of a minute's boundary may round the other way.
        assert re.fullmatch(r"阅读约 \d+ 分钟", shown) and abs(int(shown.split()[1]) - minutes) <= 1, (post.title, shown)


def test_a_long_chinese_note_reads_in_minutes_not_less_than_one(site):
    longest = max(site.posts, key=lambda post: len(post.source.read_text(encoding="utf-8")))
    text = site.page(longest.html_path).select_one(".post-reading-time").get_text()
    assert int(re.search(r"\d+", text)[0]) >= 2, (longest.title, text)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("字" * 1200, 3), ("word " * 400, 2), ("字" * 200 + " word" * 100, 1), ("字" * 201 + " word" * 101, 2), ("", 1)],
)
def test_reading_time_reads_400_han_characters_or_200_words_a_minute(text, minutes):
    assert reading_minutes(text, cjk_per_minute=400, words_per_minute=200) == minutes


def test_training_dynamics_reference_markers_are_not_dangling_footnotes(site):
    article = site.page("posts/2024/training-dynamics.html").select_one("article")
    assert [sup.get_text() for sup in article.select("sup")] == ["[13]", "[26]", "[28]"]
    assert not article.select("a.footnote-reference, aside.footnote")
    assert "[^" not in article.get_text()


def test_dpo_and_apo_link_to_the_rlhf_passage_of_the_ppo_note(site):
    ppo = site.page("posts/2023/ppo.html")
    assert ppo.find(id="ppo-rlhf-recap") is not None
    for docname in ("posts/2023/dpo", "posts/2024/apo"):
        hrefs = [resolve(docname + ".html", a["href"]) for a in site.page(docname + ".html").select("article a.reference.internal")]
        assert "posts/2023/ppo.html#ppo-rlhf-recap" in hrefs, docname
