"""The site as ``make audit`` and the browser tests see it: every page type.

The owner's notes have no formula, and a post with math is a page type of its
own, so the audited site is a copy of the project with ``math-sample-post.md``
added as one more post (tagged RLHF, so that it is on the audited tag page
too). ``PAGE_TYPES`` are the addresses, inside the built site, of the page
types that are measured and tested; ``ENGLISH_POST`` is a post written in
English (``language: en``). ``make audit N=1000`` audits a copy whose posts
are N synthetic ones (``bench/synthetic.py``) instead of the owner's.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

AUDIT = Path(__file__).resolve().parent
PROJECT = AUDIT.parent
SAMPLE_POST = "posts/2024/math-sample.md"
PAGE_TYPES = {
    "home": "index.html",
    "post with math": SAMPLE_POST.replace(".md", ".html"),
    "tag page": "blog/tag/rlhf.html",
    "archive": "blog/archive.html",
    "search": "search.html?q=%E9%81%97%E5%BF%98",  # 遗忘
}
ENGLISH_POST = "posts/2012/blog-post-1.html"
# What a copy of the project leaves out: version control, environments,
# builds and what the tests and the audit write (also used by tests/ and bench/).
NOT_COPIED = (".git", ".venv", "_build", "__pycache__", ".pytest_cache", "artifacts", "node_modules", "reports")
COPY_IGNORE = shutil.ignore_patterns(*NOT_COPIED)


def leaving_out(*top_level: str):
    """``COPY_IGNORE``, and these names in the project's own folder only (the engine has a posts/ too)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = set(COPY_IGNORE(folder, names))
        if Path(folder) == PROJECT:
            ignored.update(name for name in names if name in top_level)
        return ignored

    return ignore


def copy_with_sample_post(target: Path) -> Path:
    """Copy the project to ``target`` with the math sample post added; returns ``target``."""
    shutil.copytree(PROJECT, target, ignore=COPY_IGNORE)
    shutil.copy(AUDIT / "math-sample-post.md", target / SAMPLE_POST)
    return target


def copy_with_synthetic_posts(target: Path, count: int, seed: int = 0) -> Path:
    """Copy the project to ``target`` with ``count`` synthetic posts instead of the owner's, and the math sample post."""
    sys.path.insert(0, str(PROJECT / "bench"))
    from synthetic import keep_redirects_to_listings, read_taxonomy, synthetic_posts, write_posts

    shutil.copytree(PROJECT, target, ignore=leaving_out("posts"))
    keep_redirects_to_listings(target / "redirects.yaml")
    write_posts(target, synthetic_posts(count, read_taxonomy(target / "conf.py"), seed))
    shutil.copy(AUDIT / "math-sample-post.md", target / SAMPLE_POST)
    return target
