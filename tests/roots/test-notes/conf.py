"""A small blog of notes that link, share papers, tags and categories: for the tests of cross-referenced browsing."""

import os
import sys
from pathlib import Path

# The tests name the project, since they build copies of this folder elsewhere.
sys.path.insert(0, os.path.join(os.environ.get("PAPER_NOTES_PROJECT") or Path(__file__).resolve().parents[3], "tests/roots"))
from site_settings import *  # noqa: E402, F403 (the project's settings, for a test blog)
