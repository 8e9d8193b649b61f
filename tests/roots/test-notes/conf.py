"""A small blog of notes that link, share papers, tags and categories: for the tests of cross-referenced browsing.

The settings are the project's ``conf.py``, read as it is, with the
templates, static files and interface strings taken from the project: a
test on this blog checks the engine the site runs, and no change to the
owner's posts can break it.
"""

import os
from pathlib import Path

# The project whose engine this blog tests: the tests name it, since they
# build copies of this folder elsewhere.
PROJECT = Path(os.environ.get("PAPER_NOTES_PROJECT") or Path(__file__).resolve().parents[3])
__file__ = str(PROJECT / "conf.py")
exec(compile((PROJECT / "conf.py").read_text(encoding="utf-8"), __file__, "exec"))

templates_path = [str(PROJECT / "_templates")]
html_static_path = [str(PROJECT / "_static")]
html_favicon = str(PROJECT / "_static/favicon.svg")
locale_dirs = [str(PROJECT / "locale")]
