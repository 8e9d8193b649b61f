"""When each source file was added and last changed, from one ``git log`` per build.

Posts take their "updated on" date from it (``posts/update_dates.py``), and
the sitemap the last change of the pages that are not posts
(``publishing/sitemap.py``). sphinx-last-updated-by-git gives a file's last
commit only, so a ported post would look "updated" on the day of the port:
here a post is updated only by a commit after the one that added it.

Commits that change posts without editing them (adding metadata to every
post, say) are listed in ``.git-blame-ignore-revs``, the file git and code
hosts already read to skip such commits in ``git blame``; they update no
post. Dates are author dates, in ``blog_timezone``. Outside a git checkout,
or without git, no file has a date; in a shallow clone, commits beyond the
cut are unknown (Read the Docs needs ``git fetch --unshallow``).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sphinx.application import Sphinx

IGNORE_REVS_FILE = ".git-blame-ignore-revs"


@dataclass(frozen=True)
class FileDates:
    changed: dt.datetime  # the newest commit that touched the file
    added: dt.datetime | None  # the commit that added it, if the history holds it
    # The newest commit after the one that added it: the file's last update.
    updated: dt.datetime | None


def ignored_commits(srcdir: Path) -> set[str]:
    path = srcdir / IGNORE_REVS_FILE
    if not path.is_file():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


def git_log(srcdir: Path) -> str:
    command = ["git", "-c", "core.quotePath=false", "log", "--relative", "--no-renames", "--name-status"]
    command += ["--format=%x00%H %aI", "--", "."]
    try:
        return subprocess.run(command, cwd=srcdir, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def read_file_dates(srcdir: Path, zone: ZoneInfo) -> dict[str, FileDates]:
    """Every file the history touches, by its path relative to ``srcdir``."""
    changed: dict[str, dt.datetime] = {}
    added: dict[str, dt.datetime] = {}
    updated: dict[str, dt.datetime] = {}
    ignored = ignored_commits(srcdir)
    for commit in git_log(srcdir).split("\0")[1:]:  # newest first
        header, *changes = commit.strip().splitlines()
        sha, stamp = header.split(" ", 1)
        when = dt.datetime.fromisoformat(stamp).astimezone(zone)
        for change in filter(None, changes):
            status, path = change.split("\t", 1)
            if path in added:
                continue
            changed.setdefault(path, when)
            if status == "A":
                added[path] = when
            elif status == "M" and sha not in ignored:
                updated.setdefault(path, when)
    return {
        path: FileDates(when, added.get(path), updated.get(path) if path in added else None)
        for path, when in changed.items()
    }


def file_dates(app: Sphinx) -> dict[str, FileDates]:
    """This build's dates: git is asked once, whoever asks first."""
    if getattr(app, "git_file_dates", None) is None:
        app.git_file_dates = read_file_dates(Path(app.srcdir), ZoneInfo(app.config.blog_timezone))
    return app.git_file_dates


def forget(app: Sphinx) -> None:
    app.git_file_dates = None
