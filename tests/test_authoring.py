"""`make post` starts a note the build accepts; `make check` runs the build's checks alone.

``make post`` writes into the project it runs in, so it runs in a copy of the
project, with the categories, tags and slugs that copy has; the notes it
writes are built, and ``make check``'s mistakes made, in copies of the feature
tests' blog (tests/roots/test-features). ``make check`` passes on the owner's
blog, counting its posts, papers and old addresses.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import shutil

import pytest
import yaml

from bib import read_bib
from conftest import PROJECT, VENV, built, make_html, write_post

sys.path.insert(0, str(PROJECT / "_extensions"))
from paper_notes.posts.front_matter import read_settings  # noqa: E402


def make(project: Path, target: str, **variables: str) -> subprocess.CompletedProcess:
    """``make <target> NAME=value...``, as an author types it."""
    return subprocess.run(
        ["make", "--no-print-directory", target, f"VENV={VENV}", *(f"{k}={v}" for k, v in variables.items())],
        cwd=project,
        capture_output=True,
        text=True,
        env={key: value for key, value in os.environ.items() if key not in {"TITLE", "SLUG", "TAGS", "CATEGORY"}},
    )


def today_in_shanghai() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def front_matter_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def posts_in(project: Path) -> set[Path]:
    return set((project / "posts").glob("*/*.md"))


def taxonomy(project: Path) -> tuple[list[str], list[str]]:
    """The categories and tags of a blog's conf.py, in its order."""
    settings = read_settings(project)
    return list(settings["blog_categories"]), list(settings["blog_tags"])


def make_check(blog: Path) -> subprocess.CompletedProcess:
    """``make check`` on another blog than the project's (SOURCEDIR)."""
    return make(PROJECT, "check", SOURCEDIR=str(blog))


def test_make_post_writes_a_draft_with_complete_front_matter_and_headings(project_copy):
    categories, tags = taxonomy(project_copy)
    result = make(project_copy, "post", TITLE='遗忘: "一篇" 论文', SLUG="unlearning-note-2", TAGS=",".join(tags[:2]), CATEGORY=categories[-1])
    assert result.returncode == 0, result.stderr
    today = today_in_shanghai()
    path = project_copy / "posts" / str(today.year) / "unlearning-note-2.md"
    assert front_matter_of(path) == {
        "title": '遗忘: "一篇" 论文',
        "date": today,
        "category": categories[-1],
        "tags": ", ".join(tags[:2]),
        "language": "zh-CN",
        "draft": True,
    }
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    lines = [line for line in body.splitlines() if line.strip()]
    assert lines and all(line.startswith("## ") for line in lines), body
    assert "posts/" in result.stdout and "draft: true" in result.stdout


def test_a_new_post_without_tags_lists_the_choices_and_builds_in_the_preview(project_copy, features_copy, tmp_path):
    result = make(project_copy, "post", TITLE="An English note", SLUG="new-english-note", POST_LANGUAGE="en")
    assert result.returncode == 0, result.stderr
    year = str(today_in_shanghai().year)
    path = project_copy / "posts" / year / "new-english-note.md"
    text = path.read_text(encoding="utf-8")
    categories, tags = taxonomy(project_copy)
    assert f"# category: one of {', '.join(categories)}\n" in text and f"# tags: comma-separated, from {', '.join(tags)}\n" in text
    assert front_matter_of(path)["language"] == "en"
    # The note, as written, in a blog of its own.
    (features_copy / "posts" / year).mkdir(exist_ok=True)
    shutil.copy(path, features_copy / "posts" / year)
    build = built(features_copy, tmp_path / "out", preview=True)
    assert build.page(f"posts/{year}/new-english-note.html").select_one(".draft-banner")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SLUG": "Bad_Slug"}, r"SLUG 'Bad_Slug' is not a slug; expected lowercase ASCII"),
        ({"SLUG": "trailing-"}, r"SLUG 'trailing-' is not a slug"),
        ({"SLUG": "论文"}, r"SLUG '论文' is not a slug"),
        ({"SLUG": ""}, r"SLUG '' is not a slug"),
        ({"SLUG": "{taken}"}, r"slug '{taken}' is already used by {taken_path}"),
        ({"SLUG": "fresh", "TAGS": "{tag}, 没有这个标签"}, r"tags '没有这个标签' is not in the taxonomy"),
        ({"SLUG": "fresh", "CATEGORY": "不存在"}, r"category '不存在' is not in the taxonomy"),
        ({"SLUG": "fresh", "TITLE": ""}, r"TITLE is empty"),
    ],
)
def test_make_post_refuses_bad_input_and_writes_nothing(project_copy, variables, message):
    before = posts_in(project_copy)
    # A slug the blog already uses (its oldest file's, in any year), and one of its tags.
    taken = min(before)
    names = {"taken": taken.stem, "taken_path": re.escape(taken.relative_to(project_copy).as_posix()), "tag": taxonomy(project_copy)[1][0]}
    variables = {key: value.format(**names) for key, value in variables.items()}
    result = make(project_copy, "post", **{"TITLE": "标题", **variables})
    assert result.returncode != 0
    assert re.search(message.format(**names), result.stderr), result.stderr
    assert posts_in(project_copy) == before


def test_make_post_never_overwrites_an_existing_file(project_copy):
    year = today_in_shanghai().year
    existing = write_post(project_copy, f"{year}/taken.md", f"title: 已有\ndate: {year}-01-01\ndraft: true")
    original = existing.read_bytes()
    result = make(project_copy, "post", TITLE="新的", SLUG="taken")
    assert result.returncode != 0
    assert f"posts/{year}/taken.md already exists" in result.stderr, result.stderr
    assert existing.read_bytes() == original


def test_make_check_passes_on_the_blog_and_builds_nothing(project_copy):
    result = make(project_copy, "check")
    assert result.returncode == 0, result.stderr
    posts, papers = len(posts_in(project_copy)), len(read_bib(project_copy / "papers.bib"))
    addresses = len(yaml.safe_load((project_copy / "redirects.yaml").read_text(encoding="utf-8")))
    assert f"{posts} posts, {papers} papers and {addresses} old addresses checked: all fine." in result.stdout
    assert not (project_copy / "_build").exists()


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("title: 坏\ndate: 2024-06-01\ncategory: 对齐\ntags: RLHF\nsummary: x", r"6: ERROR: unknown key 'summary'"),
        ("title: 坏\ndate: 2024-06-01T10:00:00\ncategory: 对齐\ntags: RLHF", r"3: ERROR: the date .* has a time"),
        ("title: 坏\ndate: 2024-06-01\ncategory: 对齐\ntags: 不存在", r"5: ERROR: tags '不存在' is not in the taxonomy"),
        ("title: 坏\ndate: 2024-06-01\ntags: RLHF", r"1: ERROR: no 'category'"),
        ("title: 坏\ndate: 2024-06-01\ndraft: yes please", r"4: ERROR: 'draft: yes please'"),
    ],
)
def test_make_check_fails_naming_the_file_and_the_key(features_copy, front_matter, message):
    write_post(features_copy, "2024/bad-post.md", front_matter)
    result = make_check(features_copy)
    assert result.returncode != 0
    assert re.search(rf"posts/2024/bad-post\.md:{message}", result.stderr), result.stderr


def test_make_check_lists_every_problem_at_once(features_copy):
    write_post(features_copy, "2024/Bad_Name.md", "title: 坏\ndate: 2024-06-01\ncategory: 对齐\ntags: RLHF")
    write_post(features_copy, "2024/dpo.md", "title: 重名\ndate: 2024-06-01\ncategory: 对齐\ntags: RLHF")
    result = make_check(features_copy)
    assert result.returncode != 0
    assert "posts/2024/Bad_Name.md:1: ERROR: the file name 'Bad_Name' is not a slug" in result.stderr, result.stderr
    assert "posts/2024/dpo.md:1: ERROR: the slug 'dpo' is also posts/2023/dpo.md's" in result.stderr, result.stderr


def test_a_draft_with_a_bad_key_fails_the_published_build_too(features_copy, tmp_path):
    write_post(features_copy, "2024/bad-draft.md", "title: 草稿\ndate: 2024-06-01\ndraft: true\ntags: 不存在")
    build = make_html(features_copy, tmp_path / "out")
    assert build.returncode != 0
    assert "posts/2024/bad-draft.md:5: ERROR: tags '不存在' is not in the taxonomy" in build.log, build.log
