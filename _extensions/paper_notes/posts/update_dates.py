"""The date each post last changed, read from git, without the author writing it.

One ``git log`` per build lists the commits that touched the posts. For each
post, the commit that added its file publishes it; the newest later commit is
its last update, dated by its author date in ``blog_timezone``. That date
becomes ablog's ``update`` of the post, which the post's meta line shows as
"updated on" (when it is a later day than the post's date) and which its feed
entries give as ``<updated>``.

A post changed by no commit after the one that added it has no update date;
so has every post when the sources are not a git checkout or git is missing.
In a shallow clone, commits beyond the cut are unknown: a post last changed
there shows no update (Read the Docs needs ``git fetch --unshallow``).

Commits that change posts without editing them (adding metadata to every post,
say) are listed in ``.git-blame-ignore-revs``, the file git and code hosts
already read to skip such commits in ``git blame``; they update no post.

A commit changes no source file, so Sphinx would not rebuild the posts it
touched: a post whose update date changed is re-read.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

ENV_KEY = "post_update_dates"


IGNORE_REVS_FILE = ".git-blame-ignore-revs"


def ignored_commits(srcdir: Path) -> set[str]:
    path = srcdir / IGNORE_REVS_FILE
    if not path.is_file():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


def git_update_dates(srcdir: Path, patterns: Iterable[str], zone: ZoneInfo) -> dict[str, dt.datetime]:
    """Last update of each post file changed after the commit that added it."""
    pathspecs = [f":(glob){pattern}" for pattern in patterns]
    command = ["git", "-c", "core.quotePath=false", "log", "--relative", "--no-renames", "--name-status"]
    command += ["--format=%x00%H %aI", "--", *pathspecs]
    try:
        log = subprocess.run(command, cwd=srcdir, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    updated: dict[str, dt.datetime] = {}
    published: set[str] = set()
    ignored = ignored_commits(srcdir)
    for commit in log.split("\0")[1:]:  # newest first
        header, *changes = commit.strip().splitlines()
        sha, stamp = header.split(" ", 1)
        if sha in ignored:
            continue
        when = dt.datetime.fromisoformat(stamp).astimezone(zone).replace(tzinfo=None)
        for change in filter(None, changes):
            status, path = change.split("\t", 1)
            if path in published:
                continue
            if status == "A":
                published.add(path)
            elif status == "M":
                updated.setdefault(path, when)
    return {path: when for path, when in updated.items() if path in published}


def refresh_update_dates(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    patterns = app.config.blog_post_pattern
    patterns = [patterns] if isinstance(patterns, str) else patterns
    dates = git_update_dates(Path(app.srcdir), patterns, ZoneInfo(app.config.blog_timezone))
    fresh = {env.path2doc(str(Path(app.srcdir, path))): when for path, when in dates.items()}
    fresh.pop(None, None)
    before = getattr(env, ENV_KEY, {})
    setattr(env, ENV_KEY, fresh)
    return [doc for doc in set(before) | set(fresh) if before.get(doc) != fresh.get(doc) and doc in env.found_docs]


def set_update_date(app: Sphinx, doctree: nodes.document) -> None:
    """Runs after ablog's ``process_posts`` has recorded the post."""
    when = getattr(app.env, ENV_KEY, {}).get(app.env.docname)
    for postinfo in getattr(app.env, "ablog_posts", {}).get(app.env.docname, []):
        if when and postinfo["date"] and when > postinfo["update"]:
            postinfo["update"] = when
