"""A post changed after it was added shows "updated on" its last commit, in its page and its feeds.

On copies of the feature tests' blog (tests/roots/test-features), made git
checkouts with a history written by the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from conftest import built, copy_root

ATOM = "{http://www.w3.org/2005/Atom}"


def git(project: Path, *args: str, date: str | None = None) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is missing: apt-get install git (tests/system-packages.txt lists it)")
    env = {**os.environ, "GIT_AUTHOR_NAME": "作者", "GIT_AUTHOR_EMAIL": "author@example.org",
           "GIT_COMMITTER_NAME": "作者", "GIT_COMMITTER_EMAIL": "author@example.org"}
    if date:
        # The committer date differs on purpose: the author date is the day of the change.
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE="2030-01-01T00:00:00+00:00")
    subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)


def commit_change(project: Path, relpath: str, date: str) -> None:
    with (project / relpath).open("a", encoding="utf-8") as post:
        post.write("\n补充的一段。\n")
    git(project, "commit", "-qam", f"Edit {relpath}", date=date)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A git checkout of the blog: every post added on one day, dpo.md changed later."""
    project = copy_root("features", tmp_path_factory.mktemp("history") / "p")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Add the posts", date="2025-01-01T10:00:00+08:00")
    # 23:30 UTC is already the next morning in Shanghai, the blog's time zone.
    commit_change(project, "posts/2023/dpo.md", "2025-03-05T23:30:00+00:00")
    return project


@pytest.fixture(scope="module")
def history_build(history, tmp_path_factory):
    build = built(history, tmp_path_factory.mktemp("history-out"))
    return build


def feed_entry(build, feed: str, docname: str) -> etree._Element:
    root = etree.parse(str(build.html / feed)).getroot()
    return next(e for e in root.iter(f"{ATOM}entry") if e.find(f"{ATOM}link").get("href").endswith(f"/{docname}.html"))


def test_a_changed_post_shows_the_day_of_its_last_commit_in_shanghai(history_build):
    meta = history_build.page("posts/2023/dpo.html").select_one("article .post-meta")
    updated = meta.select_one(".post-updated")
    assert updated.get_text(" ", strip=True) == "更新于 2025年3月6日"
    assert updated.time["datetime"] == "2025-03-06"
    assert meta.select_one("time")["datetime"] == "2023-12-11"


@pytest.mark.parametrize("feed", ["blog/atom.xml", "blog/tag/rlhf/atom.xml", "blog/2023/atom.xml"])
def test_the_feed_entry_of_a_changed_post_carries_its_update(history_build, feed):
    entry = feed_entry(history_build, feed, "posts/2023/dpo")
    assert entry.findtext(f"{ATOM}published") == "2023-12-11T00:00:00+08:00"
    assert entry.findtext(f"{ATOM}updated") == "2025-03-06T07:30:00+08:00"


def test_a_post_unchanged_since_it_was_added_shows_no_update(history_build):
    assert not history_build.page("posts/2023/ppo.html").select(".post-updated")
    entry = feed_entry(history_build, "blog/atom.xml", "posts/2023/ppo")
    assert entry.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}published")


def test_a_commit_alone_updates_the_next_incremental_build(history, history_build):
    pagename = "posts/2024/llm-graph-learning.html"
    with (history / "posts/2024/llm-graph-learning.md").open("a", encoding="utf-8") as post:
        post.write("\n补充的一段。\n")
    uncommitted = built(history, history_build.outdir)
    assert not uncommitted.page(pagename).select(".post-updated")
    git(history, "commit", "-qam", "Edit llm-graph-learning", date="2025-07-01T12:00:00+08:00")
    committed = built(history, history_build.outdir)
    assert committed.page(pagename).select_one(".post-updated time")["datetime"] == "2025-07-01"


def test_outside_a_git_checkout_no_post_has_an_update(features_copy, tmp_path):
    with (features_copy / "posts/2023/dpo.md").open("a", encoding="utf-8") as post:
        post.write("\n补充的一段。\n")
    build = built(features_copy, tmp_path / "out")
    for post in build.posts:
        assert not build.page(post.html_path).select(".post-updated"), post.docname
    root = etree.parse(str(build.html / "blog/atom.xml")).getroot()
    entries = list(root.iter(f"{ATOM}entry"))
    assert len(entries) == len(build.posts)
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}published")
