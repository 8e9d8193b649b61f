"""Check every post's front matter, and stop the build on the first bad post.

A post is a file matched by ``blog_post_pattern``. Its YAML front matter may
only use the keys in ``ALLOWED_KEYS``; ``title``, ``date``, ``category`` and
``tags`` are required; the date is a plain ``YYYY-MM-DD``; tags are one
comma-separated string of names from ``blog_tags`` and the category one name
from ``blog_categories`` (both in conf.py). Two posts may not share a file
name (the slug), because ablog labels each post by it.

Each problem raises :class:`PostError`, which Sphinx prints with the file, the
key and what was expected, and which fails the build whatever the flags.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import PurePosixPath

import yaml
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError

# 'paper' (a BibTeX key) is checked against the bibliography in bibliography.py.
ALLOWED_KEYS = {"title", "date", "category", "tags", "language", "paper"}
REQUIRED_KEYS = ("title", "date", "category", "tags")


class PostError(SphinxError):
    category = "Bad post"


def is_post(app: Sphinx, docname: str) -> bool:
    return docname in app.config.matched_blog_posts


def split_front_matter(text: str) -> str | None:
    """Return the YAML between the opening and closing ``---`` lines."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:end])
    return None


def parse_front_matter(text: str, where: str) -> dict:
    raw = split_front_matter(text)
    if raw is None:
        raise PostError(f"{where}: no front matter; a post starts with a '---' block (see README)")
    try:
        data = yaml.safe_load(raw)
    except (yaml.YAMLError, ValueError) as exc:
        # YAML reads 2024-13-45 as a timestamp and fails with ValueError.
        raise PostError(f"{where}: front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise PostError(f"{where}: front matter must be 'key: value' lines")
    return data


def check_date(value: object, where: str) -> None:
    expected = "a plain date written YYYY-MM-DD, e.g. 'date: 2024-06-01'"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise PostError(
                f"{where}: key 'date': {value.isoformat()} has a time zone; expected {expected}"
            )
        raise PostError(f"{where}: key 'date': {value.isoformat()} has a time; expected {expected}")
    if not isinstance(value, dt.date):
        raise PostError(f"{where}: key 'date': {value!r} is not a date; expected {expected}")


def check_names(key: str, value: object, known: dict, setting: str, where: str) -> None:
    single = key == "category"
    example = "'category: 机器遗忘'" if single else "'tags: 机器遗忘, 隐私'"
    if isinstance(value, list):
        raise PostError(
            f"{where}: key '{key}' is a YAML list; write one comma-separated string, e.g. {example}"
        )
    if not isinstance(value, str) or not value.strip():
        raise PostError(f"{where}: key '{key}' must be a non-empty string, e.g. {example}")
    names = [name.strip() for name in value.split(",")]
    if single and len(names) != 1:
        raise PostError(f"{where}: key '{key}' names {len(names)} categories; a post has one")
    for name in names:
        if name not in known:
            raise PostError(
                f"{where}: key '{key}': {name!r} is not in the taxonomy; expected one of "
                f"{', '.join(known)} (new names go in {setting} in conf.py)"
            )


def check_post(app: Sphinx, where: str, text: str) -> None:
    data = parse_front_matter(text, where)
    unknown = sorted(set(data) - ALLOWED_KEYS)
    if unknown:
        raise PostError(
            f"{where}: unknown front matter key {unknown[0]!r}; expected only "
            f"{', '.join(sorted(ALLOWED_KEYS))}"
        )
    for key in REQUIRED_KEYS:
        if data.get(key) in (None, ""):
            raise PostError(f"{where}: key '{key}' is missing; every post needs {', '.join(REQUIRED_KEYS)}")
    if not isinstance(data["title"], str):
        raise PostError(f"{where}: key 'title' must be text, got {data['title']!r}")
    check_date(data["date"], where)
    check_names("category", data["category"], app.config.blog_categories, "blog_categories", where)
    check_names("tags", data["tags"], app.config.blog_tags, "blog_tags", where)
    language = data.get("language", app.config.blog_default_language)
    if language not in app.config.blog_languages:
        raise PostError(
            f"{where}: key 'language': {language!r}; expected one of {', '.join(app.config.blog_languages)}"
        )


def on_source_read(app: Sphinx, docname: str, content: list[str]) -> None:
    if is_post(app, docname):
        check_post(app, app.env.doc2path(docname, False).as_posix(), content[0])


def check_unique_slugs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Stop before reading when two posts share a slug (ablog labels posts by it)."""
    by_slug = defaultdict(list)
    for docname in sorted(env.found_docs):
        if is_post(app, docname):
            by_slug[PurePosixPath(docname).name].append(env.doc2path(docname, False).as_posix())
    for slug, paths in by_slug.items():
        if len(paths) > 1:
            raise PostError(f"{paths[1]}: slug {slug!r} is already used by {paths[0]}; rename one file")


def setup(app: Sphinx) -> dict:
    app.add_config_value("blog_categories", {}, "env", types=[dict])
    app.add_config_value("blog_tags", {}, "env", types=[dict])
    app.connect("env-before-read-docs", check_unique_slugs)
    app.connect("source-read", on_source_read)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
