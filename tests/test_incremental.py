"""Incremental builds equal a clean build of the same sources, file for file.

A copy of the site is built once, then changed step by step (nothing, a
post's body and another's excerpt, a new post, a post's tags, a deleted
post, an @string macro of the bibliography, an extension's code) and built
again in the same output folder after each step. After each step the
output must equal a clean build of the same sources: every page
with its sidebars (recent posts, tag cloud, categories, archives with
counts), previous/next links, the home page, the year, tag and category
pages, the feeds and the search index. No file may differ: the site has no
build timestamp. And each rebuild must read only what changed, or the test
would pass with a full rebuild every time.

The build runs with ``-j auto``, as ``make html`` does; a serial build
(``-j 1``), clean and incremental, gives the same output, and so does a
blog with 60 synthetic posts more, built by parallel processes (``-j 2``).
The copy's search index is split into bundles of 5 posts, so that a
rebuild must keep the bundles whose posts did not change.
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import COPY_IGNORE, PROJECT, Build, Post, built, make_html, write_post

sys.path.insert(0, str(PROJECT / "bench"))
from synthetic import read_taxonomy, synthetic_posts, write_posts  # noqa: E402

READ_LINE = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)$", re.MULTILINE)
INDEXED_LINE = re.compile(r"^search: .* \((?P<bundles>.*) indexed again\)$", re.MULTILINE)
WARNING = re.compile(r"WARNING|ERROR|警告|错误|Traceback")
SERIAL = {"SPHINXOPTS": "-n -W --keep-going -j 1"}

NEW_POST_TITLE = "增量构建测试文章"
NEW_POST = f"""
title: {NEW_POST_TITLE}
date: 2025-01-15
category: 机器遗忘
tags: 机器遗忘, 安全
"""


def tree(root: Path) -> dict[str, Path]:
    """Every file and folder of a built site, Sphinx's cache aside."""
    return {
        path.relative_to(root).as_posix() + ("/" if path.is_dir() else ""): path
        for path in root.rglob("*")
        if ".doctrees" not in path.relative_to(root).parts
    }


def differences(left: Path, right: Path) -> list[str]:
    """Files of two built sites that differ or exist in only one."""
    a, b = tree(left), tree(right)
    found = set(a).symmetric_difference(b)
    found.update(name for name in set(a) & set(b) if a[name].is_file() and a[name].read_bytes() != b[name].read_bytes())
    return sorted(found)


def explain(left: Path, right: Path, found: list[str]) -> str:
    """The differing files, with the first lines that differ in the first one."""
    for name in found:
        a, b = left / name, right / name
        if a.is_file() and b.is_file():
            diff = difflib.unified_diff(
                a.read_text(encoding="utf-8", errors="replace").splitlines(),
                b.read_text(encoding="utf-8", errors="replace").splitlines(),
                "incremental/" + name,
                "clean/" + name,
                n=1,
                lineterm="",
            )
            return f"{found}\n" + "\n".join(list(diff)[:30])
    return str(found)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_bodies(project: Path) -> None:
    """A change deep in one post (only its page and feeds show it), and one in another's excerpt."""
    with (project / "posts/2023/ppo.md").open("a", encoding="utf-8") as f:
        f.write("\n测试时追加的一段正文，只改变文章页与全文订阅。\n")
    replace_in(project / "posts/2024/kga.md", "最近关于", "（摘要已修改）最近关于")


def add_post(project: Path) -> None:
    write_post(project, "2025/incremental-test.md", NEW_POST, "新文章的第一段。\n\n## 小节\n\n正文。\n")


def change_tags(project: Path) -> None:
    replace_in(project / "posts/2024/seul.md", "tags: 机器遗忘, 隐私", "tags: 知识编辑, 隐私")


def delete_post(project: Path) -> None:
    # The only post tagged 漏洞分析: its tag page and feed must go too.
    (project / "posts/2023/vulnerability-analysis.md").unlink()


def new_post_is_everywhere(build: Build) -> None:
    sidebar = build.page("posts/2023/dpo.html").select_one(".ablog__recentposts")
    assert NEW_POST_TITLE in sidebar.get_text()
    assert "2025" in build.page("posts/2024/quark.html").select_one(".ablog__archives").get_text()


def deleted_post_is_gone(build: Build) -> None:
    for gone in ("posts/2023/vulnerability-analysis.html", "blog/tag/vulnerability-analysis.html"):
        assert not (build.html / gone).exists(), gone
    assert not (build.html / "blog/tag/vulnerability-analysis").exists()
    assert "漏洞分析" not in build.page("posts/2024/quark.html").select_one(".ablog__tagcloud").get_text()


# The DPO paper's venue, from an @string macro whose value a step changes.
VENUE_MACRO = "dpovenue"
NEW_VENUE = "NeurIPS 2023"


def use_a_venue_macro(project: Path) -> None:
    """Before the first build: the DPO paper's venue comes from an @string macro."""
    bib = project / "papers.bib"
    macro = f'@string{{{VENUE_MACRO} = "Advances in Neural Information Processing Systems"}}\n\n'
    bib.write_text(macro + bib.read_text(encoding="utf-8"), encoding="utf-8")
    dpo_venue = "booktitle     = {Advances in Neural Information Processing Systems},\n  volume        = {36},"
    replace_in(bib, dpo_venue, f"booktitle     = {VENUE_MACRO},\n  volume        = {{36}},")


def change_the_venue_macro(project: Path) -> None:
    replace_in(project / "papers.bib", '"Advances in Neural Information Processing Systems"}', f'"{NEW_VENUE}"}}')


def change_extension_code(project: Path) -> None:
    """Code that runs while a post is read: every post's reading time grows by a minute."""
    replace_in(project / "_extensions/paper_notes/posts/reading_time.py", "return max(1, math.ceil(", "return 1 + max(1, math.ceil(")


def new_venue_is_shown(build: Build) -> None:
    assert NEW_VENUE in build.page("posts/2023/dpo.html").select_one(".paper-card").get_text()


AFTER = {
    "add a post": new_post_is_everywhere,
    "delete a post": deleted_post_is_gone,
    "change an @string macro of the bibliography": new_venue_is_shown,
}

EVERY_DOCUMENT = None
# A step, and the documents it reads again (EVERY_DOCUMENT: all that a clean build reads).
STEPS = {
    "nothing changed": (lambda project: None, set()),
    "edit a body and an excerpt": (edit_bodies, {"posts/2023/ppo", "posts/2024/kga"}),
    "add a post": (add_post, {"posts/2025/incremental-test"}),
    "change a post's tags": (change_tags, {"posts/2024/seul"}),
    "delete a post": (delete_post, set()),
    "change an @string macro of the bibliography": (change_the_venue_macro, {"posts/2023/dpo", "papers"}),
    "change an extension's code": (change_extension_code, EVERY_DOCUMENT),
}
BUNDLE_POSTS = 5
# Synthetic posts added to the blog's own for a build in parallel processes.
PARALLEL_POSTS = 60


def search_bundles(project: Path) -> dict[str, list[str]]:
    """The posts of each search bundle: by date from the oldest, BUNDLE_POSTS to a bundle."""
    posts = sorted(
        (Post.read(path, project) for path in (project / "posts").glob("*/*.md")),
        key=lambda post: (str(post.date), post.docname),
    )
    found: dict[str, list[str]] = {}
    for position, post in enumerate(posts):
        found.setdefault(f"{1 + position // BUNDLE_POSTS:03d}", []).append(post.docname)
    return found


def bundles_to_index(before: dict[str, list[str]], after: dict[str, list[str]], read: set[str]) -> set[str]:
    """The bundles a rebuild must make again: new posts, other posts, posts read again or a new newest bundle."""
    changed = {name for name, posts in after.items() if before.get(name) != posts or read & set(posts)}
    if max(before) != max(after) and max(before) in after:
        changed.add(max(before))  # it gives up Pagefind's code to the newest
    return changed or {"none"}


@dataclass
class Step:
    log: str
    read: set[str]
    indexed: set[str]
    to_index: set[str]
    differences: str  # empty when the incremental build equals the clean one
    reader_check: str  # what a reader would miss, if anything
    clean: Build


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> dict[str, Step]:
    """Build the copy once, then change it and build it again, step by step."""
    root = tmp_path_factory.mktemp("incremental")
    project = root / "project"
    shutil.copytree(PROJECT, project, ignore=COPY_IGNORE)
    replace_in(project / "conf.py", "post_search_bundle_posts = 200", f"post_search_bundle_posts = {BUNDLE_POSTS}")
    use_a_venue_macro(project)
    built(project, root / "site")
    done = {}
    for number, (name, (change, _)) in enumerate(STEPS.items()):
        before = search_bundles(project)
        change(project)
        incremental = built(project, root / "site")
        clean = built(project, root / f"clean-{number}")
        found = differences(incremental.html, clean.html)
        report = explain(incremental.html, clean.html, found) if found else ""
        try:
            AFTER.get(name, lambda build: None)(incremental)
            reader_check = ""
        except AssertionError as failure:
            reader_check = f"{failure!r}"
        read = set(READ_LINE.findall(incremental.log))
        indexed = set(INDEXED_LINE.search(incremental.log)["bundles"].split(", "))
        to_index = bundles_to_index(before, search_bundles(project), read)
        done[name] = Step(incremental.log, read, indexed, to_index, report, reader_check, clean)
    return done


@pytest.mark.parametrize("name", STEPS)
def test_incremental_build_equals_a_clean_build(steps, name):
    step = steps[name]
    assert not WARNING.findall(step.log), step.log
    assert not step.differences, step.differences


@pytest.mark.parametrize("name", STEPS)
def test_incremental_build_reads_only_the_changed_posts(steps, name):
    expected = STEPS[name][1]
    if expected is EVERY_DOCUMENT:
        expected = set(READ_LINE.findall(steps[name].clean.log))
        assert {"index", "papers"} < expected
    assert steps[name].read == expected


@pytest.mark.parametrize("name", STEPS)
def test_incremental_build_indexes_only_the_search_bundles_of_changed_posts(steps, name):
    assert steps[name].indexed == steps[name].to_index


@pytest.mark.parametrize("name", AFTER)
def test_untouched_pages_show_the_new_post_and_lose_the_deleted_one(steps, name):
    """What the equality means to a reader, checked right after the step."""
    assert not steps[name].reader_check


def test_a_blog_built_by_parallel_processes_equals_its_serial_build(tmp_path):
    """With enough posts that Sphinx reads and writes them in forked processes.

    The blog's own posts are read and written in the main process
    (``paper_notes.patches.sphinx.PARALLEL_FROM``); ``-j 2`` takes the parallel paths on
    any machine, where ``-j auto`` would not on one core.
    """
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project, ignore=COPY_IGNORE)
    write_posts(project, synthetic_posts(PARALLEL_POSTS, read_taxonomy(project / "conf.py")))
    parallel = built(project, tmp_path / "parallel", {"SPHINXOPTS": "-n -W --keep-going -j 2"})
    assert not WARNING.findall(parallel.log), parallel.log
    for phase in ("reading sources", "writing output"):
        assert re.search(rf"^{phase}\.\.\. \[\s*\d+%\] \S+ \.\. \S+$", parallel.log, re.MULTILINE), (phase, parallel.log)
    serial = built(project, tmp_path / "serial", SERIAL)
    found = differences(serial.html, parallel.html)
    assert not found, explain(serial.html, parallel.html, found)


def test_serial_builds_warn_nothing_and_equal_the_parallel_build(steps, tmp_path):
    """Clean, then incremental after adding a post, with ``-j 1``."""
    parallel = list(steps.values())[-1].clean  # of the project as the last step left it
    assert "-j auto" in parallel.log
    project = parallel.source
    serial = make_html(project, tmp_path / "serial", SERIAL)
    assert serial.returncode == 0 and not WARNING.findall(serial.log), serial.log
    assert "-j 1" in serial.log
    found = differences(serial.html, parallel.html)
    assert not found, explain(serial.html, parallel.html, found)

    write_post(project, "2025/serial-test.md", NEW_POST.replace("2025-01-15", "2025-01-20"))
    serial = make_html(project, tmp_path / "serial", SERIAL)
    assert serial.returncode == 0 and not WARNING.findall(serial.log), serial.log
    parallel = built(project, tmp_path / "parallel")
    found = differences(serial.html, parallel.html)
    assert not found, explain(serial.html, parallel.html, found)
