"""Draw the theme's icons from a few-kilobyte font instead of 1.8 MB of Font Awesome.

pydata-sphinx-theme loads ``fontawesome.js`` (1.56 MB) on every page to turn
``<i class="fa-...">`` into SVG, although its stylesheet already draws the
same icons from Font Awesome's webfonts (115 KB for the solid style alone).
This extension:

- removes the ``fontawesome.js`` script from the page head (the ``css`` block
  of ``_templates/layout.html`` passes through the ``without_script`` filter);
- once the site is written, cuts the webfonts in the output down to the
  glyphs the site can show: every ``fa-*`` icon named in the theme's and the
  project's templates and scripts, and the icons the theme's CSS uses itself
  (``--pst-icon-*``, e.g. admonition titles).
"""

from __future__ import annotations

import re
from pathlib import Path

from fontTools import subset
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

THEME_CSS = "_static/styles/pydata-sphinx-theme.css"
WEBFONTS = "_static/vendor/fontawesome/webfonts"
ICON_NAME = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
# .fa-magnifying-glass,.fa-search{--fa:"\f002"}
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"([^"]+)"')
THEME_ICON = re.compile(r'--pst-icon-[a-z-]+:"([^"]+)"')
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?")


def without_script(html: str, name: str) -> str:
    return re.sub(rf'<script[^>]*src="[^"]*/{re.escape(name)}[^"]*"[^>]*></script>\s*', "", html)


def css_string(value: str) -> str:
    return CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


def icon_names(folders: list[Path]) -> set[str]:
    names = set()
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".js"} and path.is_file():
                names |= set(ICON_NAME.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return names


def codepoints(css: str, names: set[str]) -> set[int]:
    points = {ord(char) for value in THEME_ICON.findall(css) for char in css_string(value)}
    for selectors, value in ICON_RULE.findall(css):
        if names & {selector.removeprefix(".fa-") for selector in selectors.split(",")}:
            points |= {ord(char) for char in css_string(value)}
    return points


def subset_font(source: Path, target: Path, unicodes: set[int]) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def subset_webfonts(app: Sphinx, exception: Exception | None) -> None:
    outdir = Path(app.outdir)
    if exception is not None or app.builder.format != "html" or not (outdir / THEME_CSS).is_file():
        return
    theme_dirs = [Path(d) for d in app.builder.theme.get_theme_dirs()]
    folders = theme_dirs + [Path(app.confdir, d) for d in app.config.templates_path]
    unicodes = codepoints((outdir / THEME_CSS).read_text(encoding="utf-8"), icon_names(folders))
    # Always cut from the theme's full fonts, so that the output never depends
    # on whether Sphinx copied the static files again in this build.
    for theme_dir in theme_dirs:
        for source in sorted(theme_dir.joinpath("static", "vendor", "fontawesome", "webfonts").glob("*.woff2")):
            subset_font(source, outdir / WEBFONTS / source.name, unicodes)


def add_filter(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.builder.templates.environment.filters["without_script"] = without_script


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", add_filter)
    app.connect("build-finished", subset_webfonts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
