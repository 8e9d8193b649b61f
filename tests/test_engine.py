"""The engine as its maintainers need it: speed-ups that change nothing, patches that stop loudly.

- Built with ``speedups = False`` (every speed-up patch left out, every
  document read and every page written through the packages' own code
  paths), the site is the same, file for file, as with them, also when
  forked processes read and write it, and after an incremental rebuild.
- On a version of a patched package that its patches were not checked
  against, ``make html`` stops with one line naming the package, the
  version, the versions the patches know and the setting that leaves out
  the speed-ups; no traceback.
- No module keeps a patched original under its name (a ``from x import y``
  made before the patch would bypass it), and ablog's "tomorrow" is the
  author's, whatever the build machine's time zone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import COPY_IGNORE, PROJECT, built, make_html, write_post
from test_incremental import PARALLEL_POSTS, WARNING, differences, explain

sys.path.insert(0, str(PROJECT / "bench"))
from synthetic import read_taxonomy, synthetic_posts, write_posts  # noqa: E402

WITHOUT_SPEEDUPS = {"SPHINXOPTS": "-n -W --keep-going -j auto -D speedups=0"}
PATCHED_PACKAGES = ["sphinx", "docutils", "myst-parser", "ablog", "pydata-sphinx-theme", "sphinx-book-theme"]


def test_the_site_without_speedups_equals_the_site_with_them(site, tmp_path):
    plain = built(PROJECT, tmp_path / "plain", WITHOUT_SPEEDUPS)
    assert not WARNING.findall(plain.log), plain.log
    found = differences(site.html, plain.html)
    assert not found, explain(site.html, plain.html, found)


def test_without_speedups_every_document_is_read_and_written_again(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project, ignore=COPY_IGNORE)
    built(project, tmp_path / "out", WITHOUT_SPEEDUPS)
    again = built(project, tmp_path / "out", WITHOUT_SPEEDUPS)
    documents = len(list((project / "posts").glob("*/*.md"))) + 2  # index.md, papers.md
    assert re.search(rf"^updating environment: 0 added, {documents} changed, 0 removed$", again.log, re.M), again.log


def test_forked_readers_and_writers_without_speedups_build_the_same_blog(tmp_path):
    """Enough posts that ``-j 2`` reads and writes in forked processes, with and without speed-ups."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project, ignore=COPY_IGNORE)
    write_posts(project, synthetic_posts(PARALLEL_POSTS, read_taxonomy(project / "conf.py")))
    fast = built(project, tmp_path / "fast", {"SPHINXOPTS": "-n -W --keep-going -j 2"})
    plain = built(project, tmp_path / "plain", {"SPHINXOPTS": "-n -W --keep-going -j 2 -D speedups=0"})
    for build in (fast, plain):
        assert not WARNING.findall(build.log), build.log
        assert re.search(r"^reading sources\.\.\. \[\s*\d+%\] \S+ \.\. \S+$", build.log, re.M), build.log
    found = differences(fast.html, plain.html)
    assert not found, explain(fast.html, plain.html, found)


def fake_version(package: str, version: str, folder: Path) -> Path:
    """A copy of the package's installed metadata claiming ``version``, to put first on the path."""
    installed = metadata.distribution(package)
    source = Path(installed._path)  # the .dist-info folder pip installed
    name = source.name.replace(f"-{installed.version}.dist-info", f"-{version}.dist-info")
    shutil.copytree(source, folder / name)
    meta = folder / name / "METADATA"
    meta.write_text(re.sub(r"^Version: .*$", f"Version: {version}", meta.read_text(encoding="utf-8"), count=1, flags=re.M))
    return folder


@pytest.mark.parametrize("package", PATCHED_PACKAGES)
def test_an_unchecked_version_stops_the_build_with_one_line(package, tmp_path):
    fake = fake_version(package, "99.0.1", tmp_path / "fake")
    build = make_html(PROJECT, tmp_path / "out", {"PYTHONPATH": str(fake)})
    assert build.returncode != 0, build.log
    errors = [line for line in build.log.splitlines() if "ERROR" in line]
    assert len(errors) == 1, build.log
    line = errors[0]
    checked = metadata.version(package)
    for part in (f"{package} 99.0.1 is installed", checked, "speedups"):
        assert part in line, (part, line)
    assert "Traceback" not in build.log and "full traceback" not in build.log, build.log
    assert not (tmp_path / "out" / "html" / "index.html").exists()


def test_a_package_patched_only_for_speed_builds_without_speedups_on_any_version(tmp_path):
    fake = fake_version("sphinx-book-theme", "99.0.1", tmp_path / "fake")
    build = make_html(PROJECT, tmp_path / "out", {"PYTHONPATH": str(fake), **WITHOUT_SPEEDUPS})
    assert build.returncode == 0, build.log


def test_no_module_keeps_a_patched_original_and_tomorrow_is_the_authors(tmp_path):
    """In the build's own process: patches bypassed by an early import are found here."""
    script = tmp_path / "check.py"
    script.write_text(
        "import sys\n"
        "from sphinx.cmd.build import build_main\n"
        "status = build_main(['-b', 'html', '-q', '-n', '-W', '-j', '1', '-D', 'blog_timezone=Pacific/Kiritimati',"
        f" {str(PROJECT)!r}, {str(tmp_path / 'out')!r}])\n"
        "from paper_notes.patches.replacing import REPLACED, stale_references\n"
        "import ablog.blog\n"
        "print('STATUS', status, len(REPLACED))\n"
        "print('STALE', stale_references())\n"
        "print('TOMORROW', ablog.blog.TOMORROW.isoformat())\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT / "_extensions"), "TZ": "Etc/GMT+12"},
    )
    out = result.stdout
    assert "STATUS 0" in out, result.stdout + result.stderr
    assert "STALE []" in out, out
    # 26 hours ahead of the machine (TZ=Etc/GMT+12): the two dates always differ.
    zone = ZoneInfo("Pacific/Kiritimati")
    tomorrow = dt.datetime.combine(dt.datetime.now(zone).date() + dt.timedelta(days=1), dt.time())
    assert f"TOMORROW {tomorrow.isoformat()}" in out, out


def test_a_post_dated_the_authors_today_is_published_whatever_the_machines_zone(project_copy, tmp_path):
    """The build machine is 26 hours behind the author: its date is never the author's."""
    zone = "Pacific/Kiritimati"
    today = dt.datetime.now(ZoneInfo(zone)).date()
    write_post(
        project_copy,
        f"{today.year}/written-today.md",
        f"title: 今天写的笔记\ndate: {today.isoformat()}\ncategory: 对齐\ntags: RLHF",
        "今天写完的第一段。\n",
    )
    options = {"SPHINXOPTS": f"-n -W --keep-going -D blog_timezone={zone}", "TZ": "Etc/GMT+12"}
    build = built(project_copy, tmp_path / "out", options)
    page = build.html / f"posts/{today.year}/written-today.html"
    assert page.is_file(), build.log
    assert "今天写的笔记" in (build.html / "index.html").read_text(encoding="utf-8")
    again = built(project_copy, tmp_path / "out", options)
    assert re.search(r"^updating environment: 0 added, 0 changed, 0 removed$", again.log, re.M), again.log
