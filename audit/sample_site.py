"""The site as ``make audit`` and the browser tests see it: every page type.

The owner's notes have no formula, and a post with math is a page type of its
own, so the audited site is a copy of the project with ``math-sample-post.md``
added as one more post (tagged RLHF, so that it is on the audited tag page
too). ``PAGE_TYPES`` are the addresses, inside the built site, of the page
types that are measured and tested; ``ENGLISH_POST`` is a post written in
English (``language: en``).
"""

from __future__ import annotations

import shutil
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


def copy_with_sample_post(target: Path) -> Path:
    """Copy the project to ``target`` with the math sample post added; returns ``target``."""
    shutil.copytree(PROJECT, target, ignore=COPY_IGNORE)
    shutil.copy(AUDIT / "math-sample-post.md", target / SAMPLE_POST)
    return target
