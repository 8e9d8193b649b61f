"""Static files that Sphinx and the themes copy into ``_static/`` and no page loads.

Of the 6.4 MB that Sphinx, pydata-sphinx-theme and sphinx-book-theme put in
``_static/``, 5.3 MB is never requested by any page of this site: source maps
of minified files, Font Awesome's JavaScript (the icons come from the cut
webfonts, ``icon_font.py``), Sphinx's own search (Pagefind searches here),
translations of the themes' build messages, launch-button logos. They are
deleted once Sphinx has copied them (it copies every static file again at
every build). The browser tests fail on any request that finds no file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx

# Inside _static/, by what they would serve.
UNUSED = (
    # Source maps, for debugging the themes' minified files.
    "**/*.map",
    # Font Awesome's script, which turns icon elements into SVG; the theme's
    # CSS draws them from webfonts instead (scripts.py does not load it).
    "scripts/fontawesome.js",
    "scripts/fontawesome.js.LICENSE.txt",
    # Sphinx's search, its stemmer and the highlighting of searched words.
    "searchtools.js",
    "language_data.js",
    "sphinx_highlight.js",
    "translations.js",
    # The themes' message catalogs, for the build; Jinja fragments of their webpack build.
    "locales",
    "webpack-macros.html",
    "sbt-webpack-macros.html",
    # Logos of the book theme's notebook launch buttons (Binder, Colab, ...).
    "images/logo_*",
    # ablog's tag cloud sizes, which blog.css holds.
    "ablog",
    # sphinx-copybutton's icon and functions, which its copybutton.js holds inline.
    "copy-button.svg",
    "copybutton_funcs.js",
)


def remove_unused(app: Sphinx, exception: Exception | None) -> None:
    static = Path(app.outdir) / "_static"
    if exception is not None or app.builder.format != "html" or not static.is_dir():
        return
    for pattern in UNUSED:
        for path in list(static.glob(pattern)):
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for folder in sorted((path for path in static.rglob("*") if path.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
