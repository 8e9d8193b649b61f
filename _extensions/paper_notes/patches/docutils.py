"""docutils' settings, made from one parser per set of components (a speed-up).

Sphinx and MyST ask docutils for default settings many times per document,
and docutils builds a settings parser for each request, reading its
configuration files again. A parser depends only on the components and
defaults it is made for: it is made once, and every request gets fresh
settings from it, as before. And Sphinx's HTML writer, made for every page,
title and table of contents rendered, looks for docutils' default stylesheet
for a part of its output that Sphinx never uses: it names none.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from docutils.frontend import OptionParser, Values
from sphinx.application import Sphinx
from sphinx.writers.html import HTMLWriter

from .replacing import replace


def settings_key(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool, type(None))) else id(value)


# Settings parsers by what they were made for. A parser keeps its defaults,
# so the objects whose id is in a key stay alive while it is here.
SETTINGS_PARSERS: dict[tuple, OptionParser] = {}


def cached_default_settings(
    *components, defaults: Mapping[str, Any] | None = None, read_config_files: bool = False
) -> Values:
    """Sphinx's ``_get_settings`` (and docutils' ``get_default_settings``), from a parser made once."""
    defaults = dict(defaults or {})
    classes = tuple(component if isinstance(component, type) else type(component) for component in components)
    key = (classes, read_config_files, tuple(sorted((name, settings_key(value)) for name, value in defaults.items())))
    with warnings.catch_warnings(action="ignore", category=DeprecationWarning):
        if key not in SETTINGS_PARSERS:
            SETTINGS_PARSERS[key] = OptionParser(
                components=components, defaults=defaults, read_config_files=read_config_files
            )
        return SETTINGS_PARSERS[key].get_default_values()


def no_stylesheet_lookup(app: Sphinx) -> None:
    replace(
        HTMLWriter,
        "settings_default_overrides",
        lambda overrides: {**overrides, "stylesheet_path": ""},
    )
