"""sphinx-book-theme's page description, which nothing prints, left unmade (a speed-up).

For every page the theme joins the text of every section, nested sections
counted again inside their parents, then cuts it to 160 characters for
``page_description``. No template of either theme or of this site prints it
(``publishing/page_meta.py`` writes the description), so the theme's handler
is given no doctree, and sets everything else it sets.
"""

from __future__ import annotations

import functools

from sphinx.application import Sphinx
from sphinx_book_theme import add_metadata_to_page

from .replacing import replace_handler


def without_page_description(original):
    @functools.wraps(original)
    def add_metadata(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
        original(app, pagename, templatename, context, None)

    return add_metadata


def no_page_description(app: Sphinx) -> None:
    # When the theme has connected its handlers.
    app.connect(
        "builder-inited",
        lambda app: replace_handler(app, "html-page-context", add_metadata_to_page, without_page_description),
    )
