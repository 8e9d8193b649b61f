"""Give tag, category and language pages readable, stable ASCII URLs.

ablog names a collection's page after ``slugify(name)``, so a tag 机器遗忘 would
live at a percent-encoded ``blog/tag/%E6%9C%BA...``. The taxonomy in conf.py
maps each name to a slug; creating the collections up front with that path
makes ablog use it everywhere (pages, feeds, links, sidebars), while readers
still see the Chinese name.
"""

from __future__ import annotations

from ablog.blog import Blog, Collection, os_path_join
from sphinx.application import Sphinx


def create_collections(app: Sphinx) -> None:
    blog = Blog(app)
    slugs = {
        blog.tags: app.config.blog_tags,
        blog.category: app.config.blog_categories,
        blog.language: {label: label.lower() for label in app.config.blog_languages},
    }
    for catalog, slug_of in slugs.items():
        for label, slug in slug_of.items():
            existing = catalog.collections.get(label)
            name = existing.name if existing is not None else label
            href = existing.href if existing is not None else None
            catalog[label] = Collection(catalog, label, name, href, path=os_path_join(catalog.path, slug))
