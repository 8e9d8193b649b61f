"""pydata-sphinx-theme's work on every page, done once (speed-ups).

Writing a page through the theme costs more in its Python than in Sphinx's
(pydata/pydata-sphinx-theme#855, #876, #1609 are the same problem on big
sites). Three parts of it are done again for every page:

- Before each page is rendered, every template of every section (sidebars,
  header, footer) is rendered once more to drop those that come out empty.
  ``theme_skip_empty_check`` names the templates that never do; they are
  rendered once.
- The page's table of contents (``generate_toc_html``) is parsed with
  BeautifulSoup, given the theme's classes and then turned back into HTML
  every time a template prints it: five times a page. Here it is made once
  per page with lxml, with the same structure and classes (a rewrite of the
  theme's function: the speed-ups test checks that the pages are the same).
- The site's navigation (``generate_toctree_html``) resolves the whole
  toctree and goes through BeautifulSoup for every page, although it comes
  out the same on every page of a folder that is not itself in a toctree.
  It is made once per such group of pages, and kept between builds while
  the toctrees are the same (``build.incremental.remembered_for_site``).
"""

from __future__ import annotations

import functools
from pathlib import PurePosixPath

from markupsafe import Markup
from pydata_sphinx_theme import toctree as theme_toctree
from pydata_sphinx_theme import utils as theme_utils
from sphinx.application import Sphinx

from ..build.incremental import remembered_for_site
from .replacing import replace, replace_handler


def add_class(element, *names: str) -> None:
    element.set("class", " ".join([*element.get("class", "").split(), *names]))


def toc_html(toc: str, show_toc_level: int) -> str:
    """The theme's in-page table of contents, from the ``toc`` Sphinx renders."""
    import lxml.html  # only when a page is written

    root = lxml.html.fragment_fromstring(toc, create_parent="div")

    def add_header_levels(ul, level: int) -> None:
        if ul is None:
            return
        if level <= show_toc_level + 1:
            add_class(ul, "pst-show_toc_level")
        for li in ul.findall("li"):
            add_class(li, f"toc-h{level}")
            add_header_levels(li.find("ul"), level + 1)

    add_header_levels(next(root.iter("ul"), None), 1)
    for ul in root.iter("ul"):
        add_class(ul, "nav", "section-nav", "flex-column")
    for li in root.iter("li"):
        add_class(li, "nav-item", "toc-entry")
        link = next(li.iter("a"), None)
        if link is not None:
            add_class(link, "nav-link")
    # A single top heading is the page's title: its sections are the contents.
    titles = [li for li in root.iter("li") if "toc-h1" in li.get("class", "").split()]
    if len(titles) == 1:
        sections = next(titles[0].iter("ul"), None)
        if sections is None or not any("toc-h2" in li.get("class", "").split() for li in sections.iter("li")):
            return ""
        return lxml.html.tostring(sections, encoding="unicode", with_tail=False)
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def in_toctrees(app: Sphinx) -> set[str]:
    env = app.env
    return {app.config.root_doc, *env.toctree_includes, *(doc for docs in env.toctree_includes.values() for doc in docs)}


def faster_toctree_functions(original):
    """pydata's ``add_toctree_functions`` handler, with two of its functions replaced."""

    @functools.wraps(original)
    def add_toctree_functions(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
        original(app, pagename, templatename, context, doctree)
        if pagename == getattr(app.config, "notfound_pagename", None):
            # Its links are absolute (sphinx-notfound-page): it shares no rendering.
            return

        @functools.cache
        def generate_toc_html(kind: str = "html") -> str:
            if "toc" not in context:
                return ""
            return Markup(toc_html(context["toc"], int(context.get("theme_show_toc_level", 1))))

        per_page = context["generate_toctree_html"]
        folder = PurePosixPath(app.builder.get_target_uri(pagename)).parent.as_posix()
        # A page in a toctree is marked as the current one in the navigation.
        group = (folder, pagename if pagename in in_toctrees(app) else "")

        def generate_toctree_html(kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs) -> str:
            key = ("navigation", group, kind, startdepth, show_nav_level, tuple(sorted(kwargs.items())))
            return Markup(remembered_for_site(app, key, lambda: str(per_page(kind, startdepth, show_nav_level, **kwargs))))

        context["generate_toc_html"] = generate_toc_html
        context["generate_toctree_html"] = generate_toctree_html

    return add_toctree_functions


def skip_empty_check_of(original):
    """The theme's emptiness check, skipping the templates of ``theme_skip_empty_check``."""

    @functools.wraps(original)
    def update_and_remove_templates(app, context, templates, section, templates_skip_empty_check=None):
        never_empty = [*(templates_skip_empty_check or []), *app.config.theme_skip_empty_check]
        return original(app, context, templates, section, templates_skip_empty_check=never_empty)

    return update_and_remove_templates


def skip_empty_checks(app: Sphinx) -> None:
    replace(theme_utils, "_update_and_remove_templates", skip_empty_check_of)


def tables_of_contents_once(app: Sphinx) -> None:
    # When the theme has connected its handlers.
    app.connect(
        "builder-inited",
        lambda app: replace_handler(
            app, "html-page-context", theme_toctree.add_toctree_functions, faster_toctree_functions
        ),
    )
