"""Check every post's front matter: in every build, in ``make check``, in ``make post``.

A post is a file matched by ``blog_post_pattern``, in UTF-8 (a byte-order
mark and CRLF line endings, which some editors write, are read as if they
were not there). Its YAML front matter may only use the keys in
``ALLOWED_KEYS``. ``title`` and a plain ``YYYY-MM-DD`` ``date`` are always
required; ``category`` and ``tags`` too, except in a draft (``draft:
true``), which may leave them out until it is published. Tags are one
comma-separated string of names from ``blog_tags``, the category one name
from ``blog_categories`` (both in conf.py). The date's year is the name of
the post's folder. A published post has text: its first paragraph is its
excerpt. The file name is the slug: lowercase ASCII words joined by
hyphens, unique across years, because ablog labels each post by it.

The checks are plain functions over conf.py's settings, so that ``make
check`` (``commands/check.py``) runs them without a Sphinx build. A build
runs them over every post, drafts included, when its configuration is read.
Every mistake is a :class:`errors.Problem` at the file and line where it is,
saying what is wrong and what is expected; the build stops on them
(``errors.stop``).
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

from ..build.code_versions import source_version
from ..errors import InputError, Problem, stop

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

# 'paper' (a BibTeX key) is checked against the bibliography in papers/bibliography.py.
ALLOWED_KEYS = ("title", "date", "category", "tags", "language", "draft", "paper")
REQUIRED_KEYS = ("title", "date")
REQUIRED_TO_PUBLISH = ("category", "tags")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SLUG_RULE = "lowercase ASCII letters and digits, words joined by single hyphens, e.g. 'dpo-notes'"
DATE_RULE = "a plain date written YYYY-MM-DD, e.g. 'date: 2024-06-01'"
YEAR_FOLDER = re.compile(r"\d{4}")
# Lines that are not text: headings, labels (``(name)=``), MyST comments.
NOT_TEXT = re.compile(r"^\s*(#|\(\S+\)=\s*$|%|$)")
# libyaml's parser, which PyYAML's wheels include, reads front matter ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The front matter of the files checked by the last build, in the doctree folder.
CHECKED_FILE = "front-matter.pickle"


class PostError(InputError):
    """Mistakes in posts, each a :class:`errors.Problem`."""


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
    paper: str | None = None
    paper_line: int = 0


def read_source(path: Path, where: str) -> str:
    """The file's text as Sphinx reads it: UTF-8, without a byte-order mark, lines ending in ``\\n``."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        raise PostError([Problem(f"{where}:{line}", f"byte 0x{byte} is not UTF-8; expected a file saved as UTF-8")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class Source:
    """A post's text, split at its front matter, with the line of each key."""

    def __init__(self, text: str, where: str) -> None:
        self.where = where
        lines = text.split("\n")
        if not lines or lines[0].strip() != "---":
            raise self.error(1, "no front matter; expected the file to start with a '---' line, the keys, then '---'")
        end = next((number for number, line in enumerate(lines[1:], 1) if line.strip() == "---"), None)
        if end is None:
            raise self.error(1, "the front matter has no closing '---' line; expected one after the last key")
        self.yaml = "\n".join(lines[1:end])
        self.end = end + 1  # the line number of the closing '---'
        self.body = lines[end + 1 :]
        self.key_lines = {}
        for number, line in enumerate(lines[1:end], 2):
            match = re.match(r"([^\s:#][^:]*):", line)
            if match:
                self.key_lines.setdefault(match[1].strip(), number)

    def error(self, line: int, message: str) -> PostError:
        return PostError([Problem(f"{self.where}:{line}", message)])

    def at(self, key: str, message: str) -> PostError:
        return self.error(self.key_lines.get(key, 1), message)

    def has_text(self) -> bool:
        return any(not NOT_TEXT.match(line) for line in self.body)


def parse(source: Source) -> dict:
    try:
        data = yaml.load(source.yaml, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise source.error(line, f"the front matter is not valid YAML ({problem}); expected 'key: value' lines") from None
    except ValueError:
        # YAML reads 2024-13-45 as a timestamp and fails.
        raise source.at("date", f"the date is not a real day; expected {DATE_RULE}") from None
    if not isinstance(data, dict):
        raise source.error(2, "the front matter is not 'key: value' lines; expected e.g. 'title: 论文标题'")
    return data


def check_date(source: Source, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        what = "a time zone" if value.tzinfo is not None else "a time"
        raise source.at("date", f"the date {value.isoformat()} has {what}; expected {DATE_RULE}")
    if not isinstance(value, dt.date):
        raise source.at("date", f"the date {value!r} is not a date; expected {DATE_RULE}")
    return value


def check_names(source: Source, key: str, value: object, known: Mapping[str, str], setting: str) -> list[str]:
    """The names in a ``category`` or ``tags`` value, each one checked against the taxonomy."""
    single = key == "category"
    example = "'category: 机器遗忘'" if single else "'tags: 机器遗忘, 隐私'"
    if isinstance(value, list):
        raise source.at(key, f"'{key}' is a YAML list; expected one comma-separated string, e.g. {example}")
    if not isinstance(value, str) or not value.strip():
        raise source.at(key, f"'{key}' is empty; expected text, e.g. {example}")
    names = [name.strip() for name in value.split(",")]
    if single and len(names) != 1:
        raise source.at(key, f"'{key}' names {len(names)} categories; expected one")
    for name in names:
        if name not in known:
            raise source.at(
                key,
                f"{key} {name!r} is not in the taxonomy; expected one of {', '.join(known)} "
                f"(a new one is a line in {setting} in conf.py)",
            )
    return names


def check_post(where: str, text: str, taxonomy: Taxonomy) -> FrontMatter:
    source = Source(text, where)
    data = parse(source)
    unknown = [key for key in data if key not in ALLOWED_KEYS]
    if unknown:
        raise source.at(str(unknown[0]), f"unknown key {unknown[0]!r}; expected only {', '.join(ALLOWED_KEYS)}")
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        raise source.at("draft", f"'draft: {draft}'; expected 'draft: true', or no draft key")
    required = REQUIRED_KEYS if draft else REQUIRED_KEYS + REQUIRED_TO_PUBLISH
    for key in required:
        if data.get(key) in (None, ""):
            raise source.at(
                key,
                f"no '{key}'; expected {', '.join(REQUIRED_KEYS)} in every post"
                f" and {', '.join(REQUIRED_TO_PUBLISH)} in a post that is not a draft",
            )
    if not isinstance(data["title"], str):
        raise source.at("title", f"the title {data['title']!r} is not text; expected e.g. 'title: 论文标题'")
    date = check_date(source, data["date"])
    folder = PurePosixPath(where).parent.name
    if YEAR_FOLDER.fullmatch(folder) and int(folder) != date.year:
        raise source.at(
            "date", f"the date is in {date.year} but the post is in a folder {folder}/; expected the two to agree"
        )
    paper = data.get("paper")
    if paper is not None and not isinstance(paper, str):
        raise source.at("paper", "'paper' is not one BibTeX key; expected e.g. 'paper: rafailov2023direct'")
    language = data.get("language", taxonomy.default_language)
    if language not in taxonomy.languages:
        raise source.at("language", f"language {language!r}; expected one of {', '.join(taxonomy.languages)}")
    if not draft and not source.has_text():
        raise source.error(source.end, "no text after the front matter; expected a first paragraph, the post's excerpt")
    category, tags = data.get("category"), data.get("tags")
    return FrontMatter(
        title=data["title"],
        date=date,
        category=check_names(source, "category", category, taxonomy.categories, "blog_categories")[0]
        if category is not None
        else None,
        tags=check_names(source, "tags", tags, taxonomy.tags, "blog_tags") if tags is not None else [],
        language=language,
        draft=draft,
        paper=paper,
        paper_line=source.key_lines.get("paper", 0),
    )


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
    """Check every post; raise one :class:`PostError` with every problem found.

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
            if not SLUG.fullmatch(slug):
                raise PostError([Problem(f"{path}:1", f"the file name {slug!r} is not a slug; expected {SLUG_RULE}")])
            if stamp not in known:
                known[stamp] = check_post(path, read_source(srcdir / path, path), taxonomy)
            posts[path] = used[stamp] = known[stamp]
        except PostError as error:
            problems += error.problems
        if slug in by_slug:
            problems.append(
                Problem(f"{path}:1", f"the slug {slug!r} is also {by_slug[slug]}'s; expected each file name once, across years")
            )
        by_slug.setdefault(slug, path)
    known.clear()
    known.update(used)
    if problems:
        raise PostError(problems)
    return posts


def read_settings(project: Path) -> dict:
    """The names conf.py defines, without starting Sphinx."""
    return runpy.run_path(str(project / "conf.py"))


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
    if checked_by != code or not config.speedups:
        known = {}
    taxonomy = Taxonomy.from_settings(config)
    try:
        app.blog_front_matter = check_posts(Path(app.srcdir), config.blog_post_pattern, taxonomy, known)
    except PostError as error:
        stop(error.problems)
    cache.parent.mkdir(parents=True, exist_ok=True)
    with open(cache, "wb") as f:
        pickle.dump((code, known), f, pickle.HIGHEST_PROTOCOL)


def checked_posts(app: Sphinx) -> dict[str, FrontMatter]:
    """Every post's front matter, as this build checked it when its configuration was read."""
    return app.blog_front_matter
