"""Incremental builds equal a clean build of the same sources, file for file.

A copy of the feature tests' blog (tests/roots/test-features: notes in four
years, papers, inline citations, a draft) with 12 synthetic posts added is
built once, then changed step by step (nothing, a post's body and another's
excerpt, a new post in a new year, a post's tags, a deleted post, an @string
macro of the bibliography, the engine's code) and built again in the same
output folder after each step. After each step the output must equal a clean
build of the same sources: every page with its sidebars (recent posts, tag
cloud, categories, archives with counts), previous/next links, the home page,
the year, tag and category pages, the paper index, the feeds and the search
index. No file may differ: the site has no build timestamp. And each rebuild
must read only what changed, or the test would pass with a full rebuild every
time.

The blog builds with a copy of the project's engine (``PAPER_NOTES_PROJECT``),
so that a step can change the engine's code. The build runs with ``-j auto``,
as ``make html`` does; a serial build (``-j 1``), clean and incremental, gives
the same output, and so does the blog with 60 synthetic posts more, built by
parallel processes (``-j 2``). The copy's search index is split into bundles of
5 posts, so that a rebuild must keep the bundles whose posts did not change.
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import COPY_IGNORE, PROJECT, Build, Post, built, copy_root, make_html, write_post

sys.path.insert(0, str(PROJECT / "bench"))
from synthetic import Taxonomy, synthetic_posts, write_posts  # noqa: E402

READ_LINE = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)$", re.MULTILINE)
INDEXED_LINE = re.compile(r"^search: .* \((?P<bundles>.*) indexed again\)$", re.MULTILINE)
WARNING = re.compile(r"WARNING|ERROR|警告|错误|Traceback")
SERIAL = {"SPHINXOPTS": "-n -W --keep-going -j 1"}

NEW_POST_TITLE = "增量构建测试文章"
# In a year the blog has no post in yet: a new year page, feed and archive line.
NEW_POST = f"""
title: {NEW_POST_TITLE}
date: 2025-01-15
category: 机器遗忘
tags: 机器遗忘, 安全
"""
# The synthetic posts' categories and tags: the blog's, but none that a step
# needs a hand-written post alone to have (漏洞分析, whose post is deleted).
SYNTHETIC_TAXONOMY = Taxonomy(
    categories=["对齐", "机器遗忘", "图学习", "可解释性"],
    tags=["RLHF", "大语言模型", "机器遗忘", "安全", "综述", "知识编辑", "可解释性"],
)
SYNTHETIC_POSTS = 12


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


def edit_bodies(blog: Path, engine: Path) -> None:
    """A change deep in one post (only its page and feeds show it), and one in another's excerpt."""
    with (blog / "posts/2023/ppo.md").open("a", encoding="utf-8") as f:
        f.write("\n测试时追加的一段正文，只改变文章页与全文订阅。\n")
    replace_in(blog / "posts/2024/llm-graph-learning.md", "主要关注", "（摘要已修改）主要关注")


def add_post(blog: Path, engine: Path) -> None:
    write_post(blog, "2025/incremental-test.md", NEW_POST, "新文章的第一段。\n\n## 小节\n\n正文。\n")


def change_tags(blog: Path, engine: Path) -> None:
    replace_in(blog / "posts/2024/adversarial-unlearning.md", "tags: 机器遗忘, 对抗鲁棒性, 安全", "tags: 知识编辑, 对抗鲁棒性, 安全")


def delete_post(blog: Path, engine: Path) -> None:
    # The only post tagged 漏洞分析: its tag page and feed must go too.
    (blog / "posts/2022/vulnerability-analysis.md").unlink()


def new_post_is_everywhere(build: Build) -> None:
    sidebar = build.page("posts/2023/dpo.html").select_one(".ablog__recentposts")
    assert NEW_POST_TITLE in sidebar.get_text()
    assert "2025" in build.page("posts/2024/apo.html").select_one(".ablog__archives").get_text()


def deleted_post_is_gone(build: Build) -> None:
    for gone in ("posts/2022/vulnerability-analysis.html", "blog/tag/vulnerability-analysis.html"):
        assert not (build.html / gone).exists(), gone
    assert not (build.html / "blog/tag/vulnerability-analysis").exists()
    assert "漏洞分析" not in build.page("posts/2024/apo.html").select_one(".ablog__tagcloud").get_text()


# The DPO paper's venue is an @string macro of the blog's papers.bib; a step changes its value.
VENUE_MACRO = "dpovenue"
NEW_VENUE = "NeurIPS 2023"


def change_the_venue_macro(blog: Path, engine: Path) -> None:
    replace_in(blog / "papers.bib", f'@string{{{VENUE_MACRO} = "Advances in Neural Information Processing Systems"}}',
               f'@string{{{VENUE_MACRO} = "{NEW_VENUE}"}}')


def change_extension_code(blog: Path, engine: Path) -> None:
    """Code that runs while a post is read: every post's reading time grows by a minute."""
    replace_in(engine / "_extensions/paper_notes/posts/reading_time.py", "return max(1, math.ceil(", "return 1 + max(1, math.ceil(")


def new_venue_is_shown(build: Build) -> None:
    assert NEW_VENUE in build.page("posts/2023/dpo.html").select_one(".paper-card").get_text()
    # The notes citing the paper list it with its new venue too.
    for pagename in ("posts/2024/citing-first.html", "posts/2024/citing-second.html"):
        assert NEW_VENUE in build.page(pagename).select_one("#cite-rafailov2023direct").get_text(), pagename


AFTER = {
    "add a post": new_post_is_everywhere,
    "delete a post": deleted_post_is_gone,
    "change an @string macro of the bibliography": new_venue_is_shown,
}

EVERY_DOCUMENT = None
# A step, and the documents it reads again (EVERY_DOCUMENT: all that a clean build reads).
STEPS = {
    "nothing changed": (lambda blog, engine: None, set()),
    "edit a body and an excerpt": (edit_bodies, {"posts/2023/ppo", "posts/2024/llm-graph-learning"}),
    "add a post": (add_post, {"posts/2025/incremental-test"}),
    "change a post's tags": (change_tags, {"posts/2024/adversarial-unlearning"}),
    "delete a post": (delete_post, set()),
    # The note about the paper, the notes citing it, the paper index.
    "change an @string macro of the bibliography": (
        change_the_venue_macro, {"posts/2023/dpo", "posts/2024/citing-first", "posts/2024/citing-second", "papers"}),
    "change an extension's code": (change_extension_code, EVERY_DOCUMENT),
}
BUNDLE_POSTS = 5
# Synthetic posts added to the blog's own for a build in parallel processes.
PARALLEL_POSTS = 60


def search_bundles(project: Path) -> dict[str, list[str]]:
    """The published posts of each search bundle: by date from the oldest, BUNDLE_POSTS to a bundle."""
    posts = sorted(
        (post for path in (project / "posts").glob("*/*.md") if not (post := Post.read(path, project)).draft),
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
    differing: list[str]  # the files that differ from the clean build's
    differences: str  # empty when the incremental build equals the clean one
    reader_check: str  # what a reader would miss, if anything
    clean: Build
    env: dict[str, str]  # what the builds ran with: the engine's copy


# What the engine's copy holds: the project's settings and what they name.
ENGINE_PARTS = ("conf.py", "_extensions", "_templates", "_static", "locale", "tests/roots/site_settings.py")


def copy_engine(target: Path) -> Path:
    """The project's engine, settings, templates and static files, to change without touching the project."""
    target.mkdir()
    for part in ENGINE_PARTS:
        source = PROJECT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=COPY_IGNORE)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / part)
    return target


def blog_with_synthetic_posts(folder: Path, synthetic: int) -> Path:
    """A copy of the feature tests' blog with ``synthetic`` generated posts added."""
    blog = copy_root("features", folder)
    write_posts(blog, synthetic_posts(synthetic, SYNTHETIC_TAXONOMY))
    return blog


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> dict[str, Step]:
    """Build the copy once, then change it and build it again, step by step."""
    root = tmp_path_factory.mktemp("incremental")
    engine = copy_engine(root / "engine")
    env = {"PAPER_NOTES_PROJECT": str(engine)}
    project = blog_with_synthetic_posts(root / "blog", SYNTHETIC_POSTS)
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"post_search_bundle_posts = {BUNDLE_POSTS}\n")
    built(project, root / "site", env)
    done = {}
    for number, (name, (change, _)) in enumerate(STEPS.items()):
        before = search_bundles(project)
        change(project, engine)
        incremental = built(project, root / "site", env)
        clean = built(project, root / f"clean-{number}", env)
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
        done[name] = Step(incremental.log, read, indexed, to_index, found, report, reader_check, clean, env)
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
    project = blog_with_synthetic_posts(tmp_path / "blog", PARALLEL_POSTS)
    parallel = built(project, tmp_path / "parallel", {"SPHINXOPTS": "-n -W --keep-going -j 2"})
    assert not WARNING.findall(parallel.log), parallel.log
    for phase in ("reading sources", "writing output"):
        assert re.search(rf"^{phase}\.\.\. \[\s*\d+%\] \S+ \.\. \S+$", parallel.log, re.MULTILINE), (phase, parallel.log)
    serial = built(project, tmp_path / "serial", SERIAL)
    found = differences(serial.html, parallel.html)
    assert not found, explain(serial.html, parallel.html, found)


def test_serial_builds_warn_nothing_and_equal_the_parallel_build(steps, tmp_path):
    """Clean, then incremental after adding a post, with ``-j 1``."""
    last = list(steps.values())[-1]
    parallel, env = last.clean, last.env  # of the blog (and the engine) as the last step left them
    assert "-j auto" in parallel.log
    project = parallel.source
    serial = make_html(project, tmp_path / "serial", {**SERIAL, **env})
    assert serial.returncode == 0 and not WARNING.findall(serial.log), serial.log
    assert "-j 1" in serial.log
    found = differences(serial.html, parallel.html)
    assert not found, explain(serial.html, parallel.html, found)

    write_post(project, "2025/serial-test.md", NEW_POST.replace("2025-01-15", "2025-01-20"))
    serial = make_html(project, tmp_path / "serial", {**SERIAL, **env})
    assert serial.returncode == 0 and not WARNING.findall(serial.log), serial.log
    parallel = built(project, tmp_path / "parallel", env)
    found = differences(serial.html, parallel.html)
    assert not found, explain(serial.html, parallel.html, found)
