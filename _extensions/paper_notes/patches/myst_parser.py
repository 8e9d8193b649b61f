"""MyST-Parser's throwaway settings, made from a parser made once (a speed-up).

MyST's renderer calls ``options.get("document", make_document())``, which
makes a document, and a docutils settings parser for it, even when a
document is given: once per document rendered.
"""

from __future__ import annotations

from myst_parser.mdit_to_docutils import base as myst_renderer
from sphinx.application import Sphinx

from .docutils import cached_default_settings
from .replacing import replace


def settings_parsers_once(app: Sphinx) -> None:
    replace(myst_renderer, "get_default_settings", lambda original: cached_default_settings)
