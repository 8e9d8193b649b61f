"""Every page loads the scripts this site uses, and none of the others.

pydata-sphinx-theme and Sphinx put scripts on every page that serve features
this site does not have:

- ``fontawesome.js`` (1.56 MB) turns ``<i class="fa-...">`` into SVG, although
  the theme's stylesheet draws the same icons from webfonts
  (``icon_font.py`` cuts them down to the glyphs the site shows).
  The theme writes its tag from a macro, so the ``css`` block of
  ``_templates/layout.html`` removes it with the ``without_script`` filter.
- ``sphinx_highlight.js`` and ``translations.js`` serve Sphinx's own search:
  they highlight the words of a result opened with ``?highlight=`` and
  translate that feature's one message. This site searches with Pagefind
  (``_static/search.js``), whose results link without ``?highlight=``.

Two others do their work once the page is parsed, so they are loaded with
``defer`` instead of blocking the first paint: ``sphinx-book-theme.js`` and
``doctools.js`` (whose "/" focuses the search page's field).

sphinx-copybutton puts its scripts (clipboard.js and its own, 15 KB) and its
stylesheet on every page; only a page with a code block loads them, deferred.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx

UNUSED_SCRIPTS = {"_static/sphinx_highlight.js", "_static/translations.js"}
DEFERRED_SCRIPTS = {"_static/doctools.js", "_static/scripts/sphinx-book-theme.js"}
# Files a page loads only when it shows what they serve (a pattern of its body).
SERVING = {
    "_static/clipboard.min.js": "code",
    "_static/copybutton.js": "code",
    "_static/copybutton.css": "code",
}
SHOWS = {"code": re.compile(r'<div class="highlight')}


def serves(app: Sphinx, filename: str, context: dict) -> bool:
    what = SERVING.get(filename)
    return what is None or bool(SHOWS[what].search(context.get("body", "")))


def without_script(html: str, name: str) -> str:
    return re.sub(rf'<script[^>]*src="[^"]*/{re.escape(name)}[^"]*"[^>]*></script>\s*', "", html)


def used_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = []
    for script in context["script_files"]:
        filename = getattr(script, "filename", script)
        if filename in UNUSED_SCRIPTS or not serves(app, filename, context):
            continue
        if filename in DEFERRED_SCRIPTS or filename in SERVING:
            # Sphinx's script objects are immutable: a copy with one more attribute.
            script = type(script)(filename, priority=script.priority, **{**script.attributes, "defer": "defer"})
        scripts.append(script)
    # In place: the list is the builder's, which handlers after this one may
    # still add a page's own scripts to.
    context["script_files"][:] = scripts
    context["css_files"][:] = [
        css for css in context["css_files"] if serves(app, getattr(css, "filename", css), context)
    ]


def add_filter(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.builder.templates.environment.filters["without_script"] = without_script
