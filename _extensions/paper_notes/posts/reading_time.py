"""Reading time of each post, right for Chinese as for English.

Words-per-minute alone (Academic Pages divides whitespace-separated words by
160) says "less than 1 minute" for any Chinese text, which has no spaces.
Han characters and Latin words are counted apart, each at its own reading
speed (``reading_time_cjk_chars_per_minute`` and
``reading_time_words_per_minute`` in conf.py), over the whole post.
"""

from __future__ import annotations

import math
import re

from docutils import nodes
from sphinx.application import Sphinx

# Han ideographs (with extension A and compatibility forms), kana and hangul.
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*")

METADATA_KEY = "reading_minutes"


def reading_minutes(text: str, cjk_per_minute: int, words_per_minute: int) -> int:
    cjk_chars = len(CJK_CHAR.findall(text))
    words = len(LATIN_WORD.findall(text))
    return max(1, math.ceil(cjk_chars / cjk_per_minute + words / words_per_minute))


def record_reading_time(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if docname in app.config.matched_blog_posts:
        app.env.metadata[docname][METADATA_KEY] = reading_minutes(
            doctree.astext(),
            app.config.reading_time_cjk_chars_per_minute,
            app.config.reading_time_words_per_minute,
        )
