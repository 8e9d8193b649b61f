"""The paper card's "copy BibTeX" button in a real browser (Debian's chromium).

The feature tests' blog (tests/roots/test-features) is served on loopback,
where the clipboard API is available (a secure context); the test grants the
page clipboard access and reads back what the button wrote.
"""

from __future__ import annotations

import pytest
from pybtex.database import parse_string

from bib import read_bib
from static_server import serve

# A note about a paper, and that paper.
NOTE = "posts/2023/ppo.html"
KEY = "ouyang2022training"


@pytest.fixture(scope="module")
def served_features(features):
    """The feature tests' blog, served on a free port of 127.0.0.1."""
    with serve(features.html) as url:
        yield url


@pytest.fixture
def context(browser, served_features):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_features.rstrip("/"))
    yield context
    context.close()


def test_copy_bibtex_button_copies_the_entry_from_the_keyboard_and_says_so(features, served_features, context):
    page = context.new_page()
    page.goto(served_features + NOTE)
    button = page.get_by_role("button", name="复制 BibTeX")
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator(".paper-card [role=status]")
    status.filter(has_text="BibTeX 已复制").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    entries = parse_string(copied, "bibtex").entries
    assert list(entries) == [KEY]
    assert entries[KEY].fields["title"] == read_bib(features.source / "papers.bib")[KEY].title
    assert entries[KEY].fields["eprint"] == "2203.02155"
    page.close()


def test_copy_button_stays_hidden_without_a_clipboard(served_features, context):
    """Where no clipboard can be written, the BibTeX is still there to select."""
    page = context.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(served_features + NOTE)
    assert not page.locator(".paper-copy-bibtex").is_visible()
    page.get_by_text("BibTeX", exact=True).click()
    assert page.locator(".paper-card pre").is_visible()
    page.close()
