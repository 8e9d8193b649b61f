"""The site's absolute address and its language tag, as feeds, metadata, the sitemap and redirects write them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def site_base(app: Sphinx) -> str:
    """``blog_baseurl`` ending in one slash: absolute URLs are joined to it."""
    return app.config.blog_baseurl.rstrip("/") + "/"


def language_tag(sphinx_language: str) -> str:
    """Sphinx's ``zh_CN`` as BCP 47 writes it: ``zh-CN``."""
    return sphinx_language.replace("_", "-")
