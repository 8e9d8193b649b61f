"""Backlinks, related notes, link previews and the copy button in a real browser, on the blog of notes made for them.

Served on 127.0.0.1 and opened in Debian's chromium: hovering a link to a
note, a citation or a footnote shows a preview, and so does focusing it with
the keyboard; Escape hides it; the link names it as its description; a tap
on a touch screen follows the link without one. The preview stays on the
screen at 412 px, and shows in a copy opened from disk; pages are axe-clean
with a preview open, in light and dark mode; nothing is requested from
another host. A note's backlinks and related notes fit a phone in dark mode
and lead to their notes. A code block's copy button is reached with the
keyboard, shown when focused, and copies the code.
"""

from __future__ import annotations

import pytest

from conftest import PHONE, built, copy_root, run_axe, serve

FOLLOW = "posts/2024/follow.html"
BASE = "posts/2023/base.html"
TIP = "#link-preview"


@pytest.fixture(scope="module")
def notes_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("notes-browser")
    build = built(copy_root("notes", root / "blog"), root / "out")
    with serve(build.html) as url:
        yield url.rstrip("/")


def note_link(page):
    return page.locator('article a.reference.internal[href*="base.html"]').first


def citation(page):
    return page.locator('article a[href="#cite-paperb2024"]').first


def test_hovering_a_link_to_a_note_shows_its_title_date_and_opening_words(new_page, notes_url):
    page, log = new_page(f"{notes_url}/{FOLLOW}")
    link = note_link(page)
    link.hover()
    tip = page.locator(TIP)
    tip.wait_for(state="visible")
    assert tip.inner_text().split("\n") == ["基础笔记", "2023年6月1日", "基础笔记的第一段，讲奖励模型。"]
    assert link.get_attribute("aria-describedby") == "link-preview"
    page.mouse.move(0, 0)
    tip.wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None
    assert not log.problems, log.problems
    assert all(request.startswith(notes_url) for request in log.requests), log.requests


def test_hovering_a_citation_shows_the_paper(new_page, notes_url):
    page, _ = new_page(f"{notes_url}/{FOLLOW}")
    citation(page).hover()
    tip = page.locator(TIP)
    tip.wait_for(state="visible")
    assert tip.inner_text().split("\n") == ["Paper B: Cited by Two Notes", "Qi Chen", "Journal of Tests, 2024"]
    # The native tooltip would say it again.
    assert citation(page).get_attribute("title") is None


def test_hovering_a_footnote_reference_shows_the_footnote(new_page, notes_url):
    page, _ = new_page(f"{notes_url}/{BASE}")
    page.locator("article a.footnote-reference").first.hover()
    tip = page.locator(TIP)
    tip.wait_for(state="visible")
    assert tip.inner_text() == "脚注说明奖励的尺度。"


def test_the_keyboard_shows_a_preview_on_focus_and_escape_hides_it(new_page, notes_url):
    page, _ = new_page(f"{notes_url}/{FOLLOW}")
    link = note_link(page)
    for _ in range(120):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    assert link.evaluate("element => element === document.activeElement")
    tip = page.locator(TIP)
    tip.wait_for(state="visible")
    page.keyboard.press("Escape")
    tip.wait_for(state="hidden")
    assert link.evaluate("element => element === document.activeElement")
    # The next link, to the note's section, shows its own preview.
    page.keyboard.press("Tab")
    assert link.get_attribute("aria-describedby") is None
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "link-preview"


def test_a_tap_on_a_touch_screen_follows_the_link_without_a_preview(new_page, notes_url):
    page, _ = new_page(f"{notes_url}/{FOLLOW}", **PHONE)
    citation(page).tap()
    page.wait_for_function("location.hash === '#cite-paperb2024'")
    assert page.locator(TIP).is_hidden()


def test_a_preview_stays_on_a_phone_screen(new_page, notes_url):
    page, _ = new_page(f"{notes_url}/{FOLLOW}", viewport={"width": 412, "height": 915})
    link = note_link(page)
    link.focus()
    tip = page.locator(TIP)
    tip.wait_for(state="visible")
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 412, box


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_page_with_an_open_preview_is_axe_clean(new_page, notes_url, axe_source, scheme):
    page, _ = new_page(f"{notes_url}/{FOLLOW}", color_scheme=scheme)
    citation(page).focus()
    page.locator(TIP).wait_for(state="visible")
    assert run_axe(page, axe_source) == []


def test_the_copy_button_is_reached_with_the_keyboard_shown_and_copies_the_code(new_page, notes_url, browser):
    page, log = new_page(f"{notes_url}/{BASE}", permissions=["clipboard-read", "clipboard-write"])
    button = page.locator("button.copybtn")
    button.wait_for(state="attached")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('copybtn')"):
            break
    assert button.evaluate("element => element === document.activeElement")
    page.wait_for_function("getComputedStyle(document.querySelector('button.copybtn')).opacity === '1'")
    page.keyboard.press("Enter")
    page.wait_for_function("navigator.clipboard.readText().then(text => text.includes('return x + 1'))")
    assert not log.problems, log.problems


def test_a_copy_opened_from_disk_shows_previews(new_page, tmp_path_factory):
    """Nothing is fetched for a preview: a copy of the site opened from disk shows them too."""
    root = tmp_path_factory.mktemp("notes-disk")
    build = built(copy_root("notes", root / "blog"), root / "out")
    page, log = new_page((build.html / FOLLOW).as_uri())
    citation(page).focus()
    tip = page.locator(TIP)
    tip.wait_for(state="visible")
    assert tip.inner_text().startswith("Paper B: Cited by Two Notes")
    note_link(page).hover()
    page.wait_for_function("document.getElementById('link-preview').textContent.startsWith('基础笔记')")


def test_backlinks_and_related_notes_on_a_phone_in_dark_mode(new_page, notes_url, axe_source):
    page, log = new_page(f"{notes_url}/{BASE}", color_scheme="dark", **PHONE)
    relations = page.locator(".note-relations")
    relations.scroll_into_view_if_needed()
    assert relations.is_visible()
    box = relations.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 412, box
    assert page.locator(".note-backlinks li a").all_inner_texts() == ["后续笔记"]
    assert page.locator(".note-related li a").all_inner_texts() == ["同一论文的另一篇笔记", "后续笔记", "只共享标签的笔记"]
    assert run_axe(page, axe_source) == []
    page.locator(".note-backlinks li a").tap()
    page.wait_for_url(f"{notes_url}/{FOLLOW}")
    assert not log.problems, log.problems
    assert all(request.startswith(notes_url) for request in log.requests), log.requests
