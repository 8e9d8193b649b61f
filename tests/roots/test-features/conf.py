"""A blog made for the tests of the engine's features: listings, feeds, papers, citations.

Thirteen short published notes in four years (2021-2024), one of them in
English, one draft, ten papers (seven with notes about them, two only cited
inline, one neither; one whose venue is an @string macro) and a few old
addresses. The notes keep the slugs and labels the README's example links
to (dpo, ppo-rlhf-recap).
"""

import os
import sys
from pathlib import Path

# The tests name the project, since they build copies of this folder elsewhere.
sys.path.insert(0, os.path.join(os.environ.get("PAPER_NOTES_PROJECT") or Path(__file__).resolve().parents[3], "tests/roots"))
from site_settings import *  # noqa: E402, F403 (the project's settings, for a test blog)
