"""A blog whose listings span several pages: the site's settings, three posts a page.

As ``test-blog``: the project's ``conf.py``, templates, static files and
interface strings, so that the tests check the engine the site runs.
"""

import os
from pathlib import Path

PROJECT = Path(os.environ.get("PAPER_NOTES_PROJECT") or Path(__file__).resolve().parents[3])
__file__ = str(PROJECT / "conf.py")
exec(compile((PROJECT / "conf.py").read_text(encoding="utf-8"), __file__, "exec"))

templates_path = [str(PROJECT / "_templates")]
html_static_path = [str(PROJECT / "_static")]
html_favicon = str(PROJECT / "_static/favicon.svg")
locale_dirs = [str(PROJECT / "locale")]

# Twelve posts, three a page: the home page and all posts have four pages,
# RLHF two, 2024 two, 2022 one.
blog_posts_per_page = 3
