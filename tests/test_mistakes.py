"""Every mistake an author can make stops the build with one line: ``path:line: ERROR: what; expected``.

Each case makes one mistake in a copy of the small test blog and builds it
with ``make html``: the build fails, prints exactly one error line, at the
file and line of the mistake, saying what is wrong and what is expected,
and no Python traceback. ``make check`` prints the same line for the
mistakes it can see without building (how long it takes is measured by
``bench/check_bench.py``, not here). Files as editors
write them (a byte-order mark, CRLF line endings) build exactly like the
same files without.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import PROJECT, VENV, built, copy_root, make_html
from test_incremental import differences, explain

ERROR_LINE = re.compile(r"^(?P<where>\S+?:\d+): ERROR: (?P<what>.+); expected (?P<expected>.+)$")


def replace(blog: Path, relpath: str, old: str, new: str) -> None:
    path = blog / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, (relpath, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def not_utf8(blog: Path) -> None:
    path = blog / "posts/2023/alpha.md"
    path.write_bytes(path.read_bytes().replace("摘要段落".encode(), "caf\xe9".encode("latin-1")))


def slug_twice(blog: Path) -> None:
    text = (blog / "posts/2024/beta.md").read_text(encoding="utf-8").replace("2024-02-10", "2023-02-10")
    (blog / "posts/2023/beta.md").write_text(text, encoding="utf-8")


def bad_taxonomy_setting(blog: Path) -> None:
    with (blog / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('blog_tags = {**blog_tags, "新标签": "New Tag"}\n')


BETA = "posts/2024/beta.md"
# name: (the mistake, where its line is, words the line must hold, whether make check sees it)
CASES = {
    "a file that is not UTF-8": (not_utf8, "posts/2023/alpha.md:9", "not UTF-8", True),
    "a year folder that is not the date's year": (
        lambda b: replace(b, BETA, "date: 2024-02-10", "date: 2023-02-10"), f"{BETA}:3", "2023", True),
    "a post with no text": (
        lambda b: (b / "posts/2024/gamma.md").write_text(
            "---\ntitle: Empty\ndate: 2024-03-20\ncategory: 示例\ntags: 示例\n---\n\n## Only a heading\n", encoding="utf-8"),
        "posts/2024/gamma.md:6", "no text", True),
    "broken YAML": (lambda b: replace(b, BETA, "title: 第二篇测试笔记", "title: [第二篇"), f"{BETA}:3", "YAML", True),
    "an impossible date": (lambda b: replace(b, BETA, "date: 2024-02-10", "date: 2024-02-30"), f"{BETA}:3", "real day", True),
    "a date with a time": (
        lambda b: replace(b, BETA, "date: 2024-02-10", "date: 2024-02-10 10:30:00"), f"{BETA}:3", "has a time", True),
    "a date with a time zone": (
        lambda b: replace(b, BETA, "date: 2024-02-10", "date: 2024-02-10T10:30:00+08:00"), f"{BETA}:3", "time zone", True),
    "tags as a YAML list": (
        lambda b: replace(b, BETA, "tags: 机器遗忘, 大语言模型", "tags: [机器遗忘, 大语言模型]"), f"{BETA}:5", "YAML list", True),
    "a tag outside the taxonomy": (
        lambda b: replace(b, BETA, "tags: 机器遗忘, 大语言模型", "tags: 机器遗忘, 新标签"), f"{BETA}:5", "'新标签'", True),
    "a category outside the taxonomy": (
        lambda b: replace(b, BETA, "category: 机器遗忘", "category: 新类别"), f"{BETA}:4", "'新类别'", True),
    "an unknown key": (lambda b: replace(b, BETA, "category:", "autor: 张三\ncategory:"), f"{BETA}:4", "'autor'", True),
    "a missing title": (lambda b: replace(b, BETA, "title: 第二篇测试笔记\n", ""), f"{BETA}:1", "'title'", True),
    "a slug used twice": (slug_twice, "posts/2024/beta.md:1", "'beta'", True),
    "a link to a post that does not exist": (
        lambda b: replace(b, BETA, "<alpha>", "<alpah>"), f"{BETA}:12", "alpah", False),
    "a paper key the bibliography lacks": (
        lambda b: replace(b, BETA, "category:", "paper: nosuch2024\ncategory:"), f"{BETA}:4", "'nosuch2024'", True),
    "a malformed bibliography entry": (
        lambda b: replace(b, "papers.bib", "  journal       = {Journal of Tests},", "  journal       = {Journal of Tests,"),
        "papers.bib:", "", True),
    "an entry without a year": (
        lambda b: replace(b, "papers.bib", "  year          = {2024},\n", ""), "papers.bib:11", "year", True),
    "a redirect to nothing": (
        lambda b: replace(b, "redirects.yaml", "/tags/: blog/tag", "/tags/: blog/tagz"), "redirects.yaml:2", "blog/tagz", False),
    "a redirect that is not an address": (
        lambda b: replace(b, "redirects.yaml", "/tags/: blog/tag", "tags: blog/tag"), "redirects.yaml:2", "'tags'", True),
    "a taxonomy setting": (bad_taxonomy_setting, "conf.py:", "'New Tag'", False),
}  # fmt: skip


def the_error_line(log: str) -> re.Match:
    lines = [line for line in log.splitlines() if "ERROR" in line or "WARNING" in line]
    assert len(lines) == 1, log
    match = ERROR_LINE.match(lines[0])
    assert match, lines[0]
    assert "Traceback" not in log and "full traceback" not in log and "Extension error" not in log, log
    return match


@pytest.mark.parametrize("case", CASES)
def test_a_mistake_stops_the_build_with_one_line(case, blog_copy, tmp_path):
    make_mistake, where, words, _ = CASES[case]
    make_mistake(blog_copy)
    build = make_html(blog_copy, tmp_path / "out")
    assert build.returncode != 0, build.log
    line = the_error_line(build.log)
    assert line["where"].startswith(where), (where, line[0])
    assert words in line[0], (words, line[0])


def make_check(blog: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", "-s", "check", f"SOURCEDIR={blog}", f"VENV={VENV}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("case", [name for name, (*_, checked) in CASES.items() if checked])
def test_make_check_prints_the_same_line(case, blog_copy, tmp_path):
    make_mistake, where, words, _ = CASES[case]
    make_mistake(blog_copy)
    checked = make_check(blog_copy)
    assert checked.returncode != 0, checked.stdout + checked.stderr
    line = the_error_line(checked.stderr)
    assert line["where"].startswith(where) and words in line[0], line[0]
    build = make_html(blog_copy, tmp_path / "out")
    assert line[0] in build.log.splitlines(), (line[0], build.log)


def test_make_check_passes_on_a_blog_without_mistakes(blog_copy):
    checked = make_check(blog_copy)
    assert checked.returncode == 0, checked.stderr
    assert "all fine" in checked.stdout


def test_a_byte_order_mark_and_crlf_build_like_the_same_post_without(blog_copy, tmp_path):
    plain = built(blog_copy, tmp_path / "plain")
    edited = copy_root("blog", tmp_path / "edited")
    for path in (edited / "posts").glob("*/*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    build = built(edited, tmp_path / "edited-out")
    found = differences(plain.html, build.html)
    assert not found, explain(plain.html, build.html, found)
