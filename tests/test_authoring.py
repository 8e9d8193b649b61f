"""`make post` starts a note the build accepts; `make check` runs the build's checks alone."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import VENV, built, make_html, write_post


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


def test_make_post_writes_a_draft_with_complete_front_matter_and_headings(project_copy):
    result = make(project_copy, "post", TITLE='遗忘: "一篇" 论文', SLUG="unlearning-note-2", TAGS="机器遗忘,隐私", CATEGORY="隐私")
    assert result.returncode == 0, result.stderr
    today = today_in_shanghai()
    path = project_copy / "posts" / str(today.year) / "unlearning-note-2.md"
    assert front_matter_of(path) == {
        "title": '遗忘: "一篇" 论文',
        "date": today,
        "category": "隐私",
        "tags": "机器遗忘, 隐私",
        "language": "zh-CN",
        "draft": True,
    }
    body = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    lines = [line for line in body.splitlines() if line.strip()]
    assert lines and all(line.startswith("## ") for line in lines), body
    assert "posts/" in result.stdout and "draft: true" in result.stdout


def test_a_new_post_without_tags_lists_the_choices_and_builds_in_the_preview(project_copy, tmp_path):
    result = make(project_copy, "post", TITLE="An English note", SLUG="english-note", POST_LANGUAGE="en")
    assert result.returncode == 0, result.stderr
    path = project_copy / "posts" / str(today_in_shanghai().year) / "english-note.md"
    text = path.read_text(encoding="utf-8")
    assert "# category: one of 机器遗忘, 隐私" in text and "# tags: comma-separated, from 机器遗忘" in text
    assert front_matter_of(path)["language"] == "en"
    build = built(project_copy, tmp_path / "out", preview=True)
    assert build.page(f"posts/{today_in_shanghai().year}/english-note.html").select_one(".draft-banner")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SLUG": "Bad_Slug"}, r"SLUG 'Bad_Slug' is not a slug; expected lowercase ASCII"),
        ({"SLUG": "trailing-"}, r"SLUG 'trailing-' is not a slug"),
        ({"SLUG": "论文"}, r"SLUG '论文' is not a slug"),
        ({"SLUG": ""}, r"SLUG '' is not a slug"),
        ({"SLUG": "dpo"}, r"slug 'dpo' is already used by posts/2023/dpo\.md"),
        ({"SLUG": "fresh", "TAGS": "机器遗忘, 没有这个标签"}, r"key 'tags': '没有这个标签' is not in the taxonomy"),
        ({"SLUG": "fresh", "CATEGORY": "不存在"}, r"key 'category': '不存在' is not in the taxonomy"),
        ({"SLUG": "fresh", "TITLE": ""}, r"TITLE is empty"),
    ],
)
def test_make_post_refuses_bad_input_and_writes_nothing(project_copy, variables, message):
    before = posts_in(project_copy)
    result = make(project_copy, "post", **{"TITLE": "标题", **variables})
    assert result.returncode != 0
    assert re.search(message, result.stderr), result.stderr
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
    assert "28 posts checked" in result.stdout
    assert not (project_copy / "_build").exists()


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("title: 坏\ndate: 2024-06-01\ncategory: 对齐\ntags: RLHF\nsummary: x", r"unknown front matter key 'summary'"),
        ("title: 坏\ndate: 2024-06-01T10:00:00\ncategory: 对齐\ntags: RLHF", r"key 'date'.*has a time"),
        ("title: 坏\ndate: 2024-06-01\ncategory: 对齐\ntags: 不存在", r"key 'tags': '不存在' is not in the taxonomy"),
        ("title: 坏\ndate: 2024-06-01\ntags: RLHF", r"key 'category' is missing"),
        ("title: 坏\ndate: 2024-06-01\ndraft: yes please", r"key 'draft': 'yes please'"),
    ],
)
def test_make_check_fails_naming_the_file_and_the_key(project_copy, front_matter, message):
    write_post(project_copy, "2024/bad-post.md", front_matter)
    result = make(project_copy, "check")
    assert result.returncode != 0
    assert re.search(rf"posts/2024/bad-post\.md: .*{message}", result.stderr), result.stderr


def test_make_check_lists_every_problem_at_once(project_copy):
    write_post(project_copy, "2024/Bad_Name.md", "title: 坏\ndate: 2024-06-01\ncategory: 对齐\ntags: RLHF")
    write_post(project_copy, "2024/dpo.md", "title: 重名\ndate: 2024-06-01\ncategory: 对齐\ntags: RLHF")
    result = make(project_copy, "check")
    assert result.returncode != 0
    assert "posts/2024/Bad_Name.md: file name 'Bad_Name' is not a slug" in result.stderr, result.stderr
    assert "posts/2024/dpo.md: slug 'dpo' is already used by posts/2023/dpo.md" in result.stderr, result.stderr


def test_a_draft_with_a_bad_key_fails_the_published_build_too(project_copy, tmp_path):
    write_post(project_copy, "2024/bad-draft.md", "title: 草稿\ndate: 2024-06-01\ndraft: true\ntags: 不存在")
    build = make_html(project_copy, tmp_path / "out")
    assert build.returncode != 0
    assert "posts/2024/bad-draft.md: key 'tags': '不存在' is not in the taxonomy" in build.log, build.log
