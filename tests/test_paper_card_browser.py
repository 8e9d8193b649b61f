"""The paper card's "copy BibTeX" button in a real browser (Debian's chromium).

The built site is served on loopback, where the clipboard API is available
(a secure context); the test grants the page clipboard access and reads back
what the button wrote.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright
from pybtex.database import parse_string

from bib import read_bib

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="module")
def served(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: install the Debian packages in tests/system-packages.txt (make test does)")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
        )
        yield context
        context.close()


def test_copy_bibtex_button_copies_the_entry_from_the_keyboard_and_says_so(served, browser):
    browser.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.rstrip("/"))
    page = browser.new_page()
    page.goto(served + "posts/2023/dpo.html")
    button = page.get_by_role("button", name="复制 BibTeX")
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator(".paper-card [role=status]")
    status.filter(has_text="BibTeX 已复制").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    entries = parse_string(copied, "bibtex").entries
    assert list(entries) == ["rafailov2023direct"]
    assert entries["rafailov2023direct"].fields["title"] == read_bib()["rafailov2023direct"].title
    assert entries["rafailov2023direct"].fields["eprint"] == "2305.18290"
    page.close()


def test_copy_button_stays_hidden_without_a_clipboard(served, browser):
    """Where no clipboard can be written, the BibTeX is still there to select."""
    page = browser.new_page()
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(served + "posts/2023/dpo.html")
    assert not page.locator(".paper-copy-bibtex").is_visible()
    page.get_by_text("BibTeX", exact=True).click()
    assert page.locator(".paper-card pre").is_visible()
    page.close()
