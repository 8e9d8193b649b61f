"""``make post`` (``python -m paper_notes.commands.new_post``): start a new post, as a draft, with front matter the build accepts.

Writes ``posts/<this year>/<slug>.md`` with today's date (in ``blog_timezone``),
the title, the category, the tags and the language, ``draft: true``, and
section headings to fill in. The front matter is checked by the same code as
the build (posts/front_matter.py) before anything is written. It never overwrites a
file: an existing file or a slug already used in any year is refused, and so
is a slug that is not lowercase ASCII words joined by hyphens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import yaml

from ..errors import as_lines
from ..posts.front_matter import SLUG, SLUG_RULE, PostError, Taxonomy, check_post, post_files, read_settings

class ArgumentError(Exception):
    """A TITLE, SLUG or file that ``make post`` cannot use."""


SECTIONS = {
    "zh-CN": ("背景", "方法", "实验", "思考"),
    "en": ("Background", "Method", "Experiments", "Thoughts"),
}


def yaml_text(value: str) -> str:
    """``value`` as YAML: bare when YAML reads it back as the same text, else quoted."""
    try:
        if yaml.safe_load(f"key: {value}") == {"key": value}:
            return value
    except yaml.YAMLError:
        pass
    return yaml.safe_dump(value, allow_unicode=True, default_style='"').strip()


def front_matter(title: str, date: dt.date, category: str, tags: str, language: str, taxonomy: Taxonomy) -> str:
    """The front matter; a category or tags not given yet is a comment listing the choices."""
    lines = [f"title: {yaml_text(title)}", f"date: {date.isoformat()}"]
    if category:
        lines.append(f"category: {category}")
    else:
        lines.append(f"# category: one of {', '.join(taxonomy.categories)}")
    if tags:
        lines.append(f"tags: {', '.join(name.strip() for name in tags.split(','))}")
    else:
        lines.append(f"# tags: comma-separated, from {', '.join(taxonomy.tags)}")
    lines += [f"language: {language}", "draft: true"]
    return "---\n" + "\n".join(lines) + "\n---\n"


def new_post(project: Path, title: str, slug: str, category: str, tags: str, language: str) -> Path:
    """Write the new post and return its path; raise and write nothing on bad input.

    A wrong argument raises :class:`ArgumentError`, a category or tag outside
    the taxonomy :class:`PostError`, as the build would.
    """
    settings = read_settings(project)
    language = language or settings["blog_default_language"]
    if not title.strip():
        raise ArgumentError("TITLE is empty; e.g. make post TITLE=\"论文标题\" SLUG=paper-slug")
    if not SLUG.fullmatch(slug):
        raise ArgumentError(f"SLUG {slug!r} is not a slug; expected {SLUG_RULE}")
    today = dt.datetime.now(ZoneInfo(settings["blog_timezone"])).date()
    relpath = f"posts/{today.year}/{slug}.md"
    path = project / relpath
    if path.exists():
        raise ArgumentError(f"{relpath} already exists; edit it, or choose another SLUG")
    for existing in post_files(project, settings["blog_post_pattern"]):
        if PurePosixPath(existing).stem == slug:
            raise ArgumentError(f"slug {slug!r} is already used by {existing}; choose another SLUG")
    taxonomy = Taxonomy.from_settings(settings)
    text = front_matter(title.strip(), today, category.strip(), tags.strip(), language, taxonomy)
    check_post(relpath, text, taxonomy)
    headings = SECTIONS.get(language, SECTIONS["zh-CN"])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:
        file.write(text + "".join(f"\n## {heading}\n" for heading in headings))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", required=True)
    parser.add_argument("--slug", required=True)
    parser.add_argument("--category", default="")
    parser.add_argument("--tags", default="")
    parser.add_argument("--language", default="")
    args = parser.parse_args()
    try:
        path = new_post(Path.cwd(), args.title, args.slug, args.category, args.tags, args.language)
    except ArgumentError as error:
        print(f"make post: {error}", file=sys.stderr)
        return 1
    except PostError as error:
        print(as_lines(error.problems), file=sys.stderr)
        return 1
    print(f"Wrote {path.relative_to(Path.cwd())} as a draft: 'make livehtml' previews it;")
    print("remove its 'draft: true' line to publish it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
