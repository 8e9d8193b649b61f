"""Checks of the site's own settings, made when ``conf.py`` has been read.

A setting that would drop posts, years or feed entries without a word stops
the build instead, with the setting's name and the value it was given.
"""

from __future__ import annotations

from sphinx.config import Config
from sphinx.errors import ConfigError


def require_count(config: Config, name: str, *, none_allowed: bool = False) -> None:
    """``name`` must be a whole number above zero (or None, when that means "no limit").

    Sphinx converts a value given with ``-D`` to the type of the setting's
    default, but leaves it a string when the default is None (ablog's
    ``blog_feed_length``): a string of digits is converted here.
    """
    value = config[name]
    if isinstance(value, str) and value.isdigit():
        value = int(value)
        config[name] = value
    if none_allowed and value is None:
        return
    if not (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        expected = "a positive whole number or None" if none_allowed else "a positive whole number"
        raise ConfigError(f"conf.py: {name} must be {expected}, not {value!r}")
