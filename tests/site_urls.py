"""Paths and URLs inside the built site."""

from __future__ import annotations

from posixpath import dirname, join, normpath
from urllib.parse import unquote, urlsplit


def resolve(from_page: str, href: str) -> str:
    """The site-relative path (with #fragment) that an href on ``from_page`` points to."""
    parts = urlsplit(href)
    path = normpath(join(dirname(from_page), unquote(parts.path))) if parts.path else from_page
    return path + (f"#{unquote(parts.fragment)}" if parts.fragment else "")
