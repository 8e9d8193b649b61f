"""Every setting the site's engine adds to ``conf.py``: its default, what it rebuilds, its check.

One table, so that a reader sees every knob in one place and a wrong value
stops the build when ``conf.py`` has been read, naming the setting and what it
takes, instead of dropping posts, years or feed entries without a word.
Settings of other packages that the engine depends on are checked here too
(``OTHER_PACKAGES_CHECKS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Problem

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def count(config: Config, name: str, *, none_allowed: bool = False) -> str | None:
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
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return None
    expected = "a positive whole number or None" if none_allowed else "a positive whole number"
    return f"{name} is {value!r}; expected {expected}"


def positive(name: str) -> Callable[[Config], str | None]:
    return lambda config: count(config, name)


def taxonomy(name: str) -> Callable[[Config], str | None]:
    """A name shown to readers -> the ASCII slug of its page."""

    def check(config: Config) -> str | None:
        for label, slug in config[name].items():
            if not isinstance(label, str) or not label.strip() or "," in label:
                return f"{name}: {label!r} is not a name; expected text without commas"
            if not isinstance(slug, str) or not SLUG.fullmatch(slug):
                return f"{name}: {label!r} has the slug {slug!r}; expected lowercase ASCII words joined by hyphens"
        slugs = list(config[name].values())
        doubled = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if doubled:
            return f"{name}: the slug {doubled[0]!r} is given to two names; expected one page per name"
        return None

    return check


def time_zone(config: Config) -> str | None:
    try:
        ZoneInfo(config.blog_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return f"blog_timezone is {config.blog_timezone!r}; expected an IANA time zone such as 'Asia/Shanghai'"
    return None


def feed_identity(name: str) -> Callable[[Config], str | None]:
    def check(config: Config) -> str | None:
        if config.blog_baseurl and not config[name]:
            return f"{name} is empty; expected text, which the Atom feeds need"
        return None

    return check


def element_and_class(config: Config) -> str | None:
    if not re.fullmatch(r"[a-z][a-z0-9]*\.[\w-]+", config.post_search_root):
        return f"post_search_root is {config.post_search_root!r}; expected an element and a class, like 'article.bd-article'"
    return None


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    # What a change rebuilds, as Sphinx takes it: "env" reads every document
    # again, "html" writes every page again.
    rebuild: str
    types: tuple[type, ...]
    check: Callable[[Config], str | None] | None = None


SETTINGS = (
    # False builds through the packages' own code paths: no speed-up patch,
    # every document read and every page written at every build.
    Setting("speedups", True, "env", (bool,)),
    # Posts: the taxonomy (name shown -> ASCII slug of its page) and reading speed.
    Setting("blog_categories", {}, "env", (dict,), taxonomy("blog_categories")),
    Setting("blog_tags", {}, "env", (dict,), taxonomy("blog_tags")),
    Setting("reading_time_cjk_chars_per_minute", 400, "env", (int,), positive("reading_time_cjk_chars_per_minute")),
    Setting("reading_time_words_per_minute", 200, "env", (int,), positive("reading_time_words_per_minute")),
    Setting("blog_sidebar_years", 10, "html", (int,), positive("blog_sidebar_years")),
    # Listings that show excerpts (the home page, all posts, each year, tag,
    # category and language) are cut into pages of this many posts: 30 keep
    # a page under Lighthouse's 800 elements and the blog's 28 posts on one.
    Setting("blog_posts_per_page", 30, "html", (int,), positive("blog_posts_per_page")),
    # Dates are the author's: drafts, feeds and page metadata use this zone.
    Setting("blog_timezone", "Asia/Shanghai", "env", (str,), time_zone),
    # Papers: the page listing every entry of the bibliography.
    Setting("paper_index_page", "papers", "env", (str,)),
    # Publishing: feeds, metadata, sitemap, old addresses.
    Setting("blog_feed_id_authority", "", "html", (str,), feed_identity("blog_feed_id_authority")),
    Setting("blog_feed_author", "", "html", (str,), feed_identity("blog_feed_author")),
    Setting("site_description", "", "html", (str,)),
    Setting("site_description_length", 160, "html", (int,), positive("site_description_length")),
    Setting("site_image", "", "html", (str,)),
    Setting("site_image_size", (1200, 630), "html", (tuple, list)),
    Setting("site_image_alt", "", "html", (str,)),
    Setting("sitemap_excluded_pages", [], "html", (list,)),
    Setting("redirects_file", "redirects.yaml", "html", (str,)),
    # Search: what Pagefind indexes of a post page, and in bundles of how many posts.
    Setting("post_search_root", "article", "html", (str,), element_and_class),
    Setting("post_search_exclude", [], "html", (list,)),
    Setting("post_search_language", "zh-cn", "html", (str,)),
    Setting("post_search_bundle_posts", 200, "html", (int,), positive("post_search_bundle_posts")),
    # Templates the theme need not render twice to find them not empty (a speed-up).
    Setting("theme_skip_empty_check", [], "html", (list,)),
)


def feed_templates(config: Config) -> str | None:
    if config.blog_feed_templates != {"atom": {}} or config.blog_feed_titles:
        return "blog_feed_templates and blog_feed_titles are set; expected neither (the engine writes the feeds)"
    return None


# Settings of ablog that the engine reads with a meaning of its own.
OTHER_PACKAGES_CHECKS = (
    lambda config: count(config, "blog_feed_length", none_allowed=True),
    feed_templates,
)


def add_settings(app: Sphinx) -> None:
    for setting in SETTINGS:
        app.add_config_value(setting.name, setting.default, setting.rebuild, types=setting.types)


def where(confdir: Path, name: str) -> str:
    """``conf.py:<line>`` of the line that sets ``name`` (line 1 when it is not set there)."""
    lines = (confdir / "conf.py").read_text(encoding="utf-8").splitlines()
    line = next((number for number, text in enumerate(lines, 1) if re.match(rf"{name}\s*=", text)), 1)
    return f"conf.py:{line}"


def problems(confdir: Path, config: Config) -> list[Problem]:
    """What is wrong with the settings, each at the line of ``conf.py`` that sets it."""
    checks = [setting.check for setting in SETTINGS if setting.check] + list(OTHER_PACKAGES_CHECKS)
    found = [message for check in checks if (message := check(config))]
    return [Problem(where(confdir, message.split(" ", 1)[0].rstrip(":")), message) for message in found]
