"""`make livehtml`: a preview on 127.0.0.1 only that rebuilds on save and reloads the browser."""

from __future__ import annotations

import shutil
import socket

import pytest
from bs4 import BeautifulSoup

from conftest import COPY_IGNORE, PROJECT, write_post
from preview_server import append, livehtml

REBUILD_TIMEOUT = 120  # a bound for a stuck server, not a speed requirement


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    project = tmp_path_factory.mktemp("livehtml") / "p"
    shutil.copytree(PROJECT, project, ignore=COPY_IGNORE)
    write_post(project, "2024/preview-draft.md", "title: 预览中的草稿\ndate: 2024-06-01\ndraft: true")
    with livehtml(project) as running:
        yield running


def test_it_serves_on_127_0_0_1_only(server):
    assert server.page("index.html")
    with socket.socket() as other_loopback_address, pytest.raises(ConnectionRefusedError):
        other_loopback_address.connect(("127.0.0.2", server.port))


def test_it_serves_the_preview_with_drafts_marked(server):
    page = BeautifulSoup(server.page("posts/2024/preview-draft.html"), "lxml")
    assert page.select_one(".draft-banner")


def test_saving_a_post_reloads_the_browser_with_the_change(server, browser):
    """With the suite's one browser: a second Playwright in the process would not start."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url + "posts/2023/dpo.html", wait_until="load")
        loads = []
        page.on("load", lambda: loads.append(page.url))
        append(server.project / "posts/2023/dpo.md", "\n保存后自动出现的一段。\n")
        page.locator("article p", has_text="保存后自动出现的一段。").wait_for(timeout=REBUILD_TIMEOUT * 1000)
        # The new text can be found before the reloaded page's load event.
        page.wait_for_load_state("load")
        assert loads, "the page changed without reloading?"
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "old", "new", "served", "expected"),
    [
        ("conf.py", "html_title = project", 'html_title = "预览标题"', "posts/2023/ppo.html", "预览标题"),
        ("_templates/page.html", "{{ body }}", '{{ body }}<span id="template-saved"></span>', "posts/2023/ppo.html",
         'id="template-saved"'),
        ("_static/blog.css", "", "\n.static-saved { color: inherit; }\n", "_static/blog.css", ".static-saved"),
    ],
    ids=["conf.py", "template", "static file"],
)
def test_saving_a_setting_template_or_static_file_rebuilds(server, path, old, new, served, expected):
    source = server.project / path
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    server.wait_for(lambda: expected in (server.page(served) or ""), REBUILD_TIMEOUT, f"{path} rebuilt")
