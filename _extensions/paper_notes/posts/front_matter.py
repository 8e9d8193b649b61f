"""Check every post's front matter: in every build, in ``make check``, in ``make post``.

A post is a file matched by ``blog_post_pattern``. Its YAML front matter may
only use the keys in ``ALLOWED_KEYS``. ``title`` and a plain ``YYYY-MM-DD``
``date`` are always required; ``category`` and ``tags`` too, except in a
draft (``draft: true``), which may leave them out until it is published. Tags
are one comma-separated string of names from ``blog_tags``, the category one
name from ``blog_categories`` (both in conf.py). The file name is the slug:
lowercase ASCII words joined by hyphens, unique across years, because ablog
labels each post by it.

The checks are plain functions over conf.py's settings, so that
``make check`` (``commands/check.py``) runs them without a
Sphinx build. A build runs them over every post, drafts included, when its
configuration is read. Every problem is reported with the file, the key and
what was expected, as a :class:`PostError`, which fails the build whatever
the flags.
"""

from __future__ import annotations

import datetime as dt
import glob
import pickle
import re
import runpy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import yaml
from sphinx.errors import SphinxError

from ..build.code_versions import source_version

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

# 'paper' (a BibTeX key) is checked against the bibliography in papers/bibliography.py.
ALLOWED_KEYS = ("title", "date", "category", "tags", "language", "draft", "paper")
REQUIRED_KEYS = ("title", "date")
REQUIRED_TO_PUBLISH = ("category", "tags")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SLUG_RULE = "lowercase ASCII letters and digits, words joined by single hyphens, e.g. 'dpo-notes'"
# libyaml's parser, which PyYAML's wheels include, reads front matter ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The front matter of the files checked by the last build, in the doctree folder.
CHECKED_FILE = "front-matter.pickle"


class PostError(SphinxError):
    category = "Bad post"


@dataclass(frozen=True)
class Taxonomy:
    """The names a post may use, as conf.py defines them."""

    categories: Mapping[str, str]
    tags: Mapping[str, str]
    languages: Mapping[str, object]
    default_language: str

    @classmethod
    def from_settings(cls, settings: Config | Mapping) -> Taxonomy:
        """From Sphinx's config or from the names conf.py defines: both index by name."""
        return cls(
            settings["blog_categories"],
            settings["blog_tags"],
            settings["blog_languages"],
            settings["blog_default_language"],
        )


@dataclass(frozen=True)
class FrontMatter:
    title: str
    date: dt.date
    category: str | None
    tags: list[str]
    language: str
    draft: bool


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
        data = yaml.load(raw, Loader=SAFE_LOADER)
    except (yaml.YAMLError, ValueError) as exc:
        # YAML reads 2024-13-45 as a timestamp and fails with ValueError.
        raise PostError(f"{where}: front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise PostError(f"{where}: front matter must be 'key: value' lines")
    return data


def check_date(value: object, where: str) -> dt.date:
    expected = "a plain date written YYYY-MM-DD, e.g. 'date: 2024-06-01'"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise PostError(
                f"{where}: key 'date': {value.isoformat()} has a time zone; expected {expected}"
            )
        raise PostError(f"{where}: key 'date': {value.isoformat()} has a time; expected {expected}")
    if not isinstance(value, dt.date):
        raise PostError(f"{where}: key 'date': {value!r} is not a date; expected {expected}")
    return value


def check_names(key: str, value: object, known: Mapping[str, str], setting: str, where: str) -> list[str]:
    """The names in a ``category`` or ``tags`` value, each one checked against the taxonomy."""
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
    return names


def check_language(value: object, taxonomy: Taxonomy, where: str) -> str:
    if value not in taxonomy.languages:
        raise PostError(
            f"{where}: key 'language': {value!r}; expected one of {', '.join(taxonomy.languages)}"
        )
    return value


def check_post(where: str, text: str, taxonomy: Taxonomy) -> FrontMatter:
    data = parse_front_matter(text, where)
    unknown = sorted(set(data) - set(ALLOWED_KEYS))
    if unknown:
        raise PostError(
            f"{where}: unknown front matter key {unknown[0]!r}; expected only {', '.join(ALLOWED_KEYS)}"
        )
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        raise PostError(f"{where}: key 'draft': {draft!r}; expected 'draft: true' or no draft key")
    required = REQUIRED_KEYS if draft else REQUIRED_KEYS + REQUIRED_TO_PUBLISH
    for key in required:
        if data.get(key) in (None, ""):
            raise PostError(
                f"{where}: key '{key}' is missing; every post needs {', '.join(REQUIRED_KEYS)}, "
                f"and a post that is not a draft {', '.join(REQUIRED_TO_PUBLISH)} too"
            )
    if not isinstance(data["title"], str):
        raise PostError(f"{where}: key 'title' must be text, got {data['title']!r}")
    category = data.get("category")
    tags = data.get("tags")
    return FrontMatter(
        title=data["title"],
        date=check_date(data["date"], where),
        category=check_names("category", category, taxonomy.categories, "blog_categories", where)[0]
        if category is not None
        else None,
        tags=check_names("tags", tags, taxonomy.tags, "blog_tags", where) if tags is not None else [],
        language=check_language(data.get("language", taxonomy.default_language), taxonomy, where),
        draft=draft,
    )


def check_slug(slug: str, where: str) -> None:
    if not SLUG.fullmatch(slug):
        raise PostError(f"{where}: file name {slug!r} is not a slug; expected {SLUG_RULE}")


def post_files(srcdir: Path, patterns: str | Iterable[str]) -> list[str]:
    """The posts' paths relative to ``srcdir``, found as ablog finds them."""
    if isinstance(patterns, str):
        patterns = [patterns]
    found = {
        Path(path).relative_to(srcdir).as_posix()
        for pattern in patterns
        for path in glob.glob(str(srcdir / pattern), recursive=True)
    }
    return sorted(found)


def check_posts(
    srcdir: Path, patterns: str | Iterable[str], taxonomy: Taxonomy, known: dict | None = None
) -> dict[str, FrontMatter]:
    """Check every post; raise one :class:`PostError` listing every problem.

    ``known`` maps a file's (path, modification time, size) to its checked
    front matter under ``taxonomy``; it then holds the posts checked now alone.
    """
    known = {} if known is None else known
    posts, problems, by_slug, used = {}, [], {}, {}
    for path in post_files(srcdir, patterns):
        slug = PurePosixPath(path).stem
        stat = (srcdir / path).stat()
        stamp = (path, stat.st_mtime_ns, stat.st_size, repr(taxonomy))
        try:
            check_slug(slug, path)
            if stamp not in known:
                known[stamp] = check_post(path, (srcdir / path).read_text(encoding="utf-8"), taxonomy)
            posts[path] = used[stamp] = known[stamp]
        except PostError as error:
            problems.append(str(error))
        if slug in by_slug:
            problems.append(f"{path}: slug {slug!r} is already used by {by_slug[slug]}; rename one file")
        by_slug.setdefault(slug, path)
    known.clear()
    known.update(used)
    if problems:
        raise PostError("\n".join(problems))
    return posts


def read_settings(project: Path) -> dict:
    """The names conf.py defines, without starting Sphinx."""
    return runpy.run_path(str(project / "conf.py"))


def check_project(project: Path) -> dict[str, FrontMatter]:
    settings = read_settings(project)
    return check_posts(project, settings["blog_post_pattern"], Taxonomy.from_settings(settings))


def check_in_build(app: Sphinx, config: Config) -> None:
    """Check every post, reading again only the files changed since the last build."""
    cache = Path(app.doctreedir) / CHECKED_FILE
    # Checked by this module's code: another version checks every post again.
    code = source_version(__file__)
    try:
        with open(cache, "rb") as f:
            checked_by, known = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        checked_by, known = None, {}
    if checked_by != code:
        known = {}
    taxonomy = Taxonomy.from_settings(config)
    app.blog_front_matter = check_posts(Path(app.srcdir), config.blog_post_pattern, taxonomy, known)
    cache.parent.mkdir(parents=True, exist_ok=True)
    with open(cache, "wb") as f:
        pickle.dump((code, known), f, pickle.HIGHEST_PROTOCOL)


def checked_posts(app: Sphinx) -> dict[str, FrontMatter]:
    """Every post's front matter, as this build checked it when its configuration was read."""
    return app.blog_front_matter
