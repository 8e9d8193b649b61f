"""Draw the theme's icons from a few-kilobyte font instead of 1.8 MB of Font Awesome.

pydata-sphinx-theme draws its icons from Font Awesome's webfonts (115 KB for
the solid style alone) and names all 1,970 of them in its stylesheet (19 KB
of its 64 KB, compressed), although the site shows about a dozen; its
``fontawesome.js`` is not loaded at all (``scripts.py``).
Once the site is written, this extension cuts, in the output:

- the webfonts down to the glyphs the site can show: every ``fa-*`` icon named
  in the theme's and the project's templates and scripts, and the icons the
  theme's CSS uses itself (``--pst-icon-*``, e.g. admonition titles);
- the theme's stylesheet down to the rules of those same icons.

Sphinx copies the theme's full files again at every build. A cut font is
kept beside the environment, by the glyphs it holds, the font it was cut
from and this module's code, so that a build whose icons did not change
only copies it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx

from ..build.code_versions import source_version

# Cut fonts, and the icons the templates name, in the doctree folder.
FONT_CACHE = "icon-fonts"
ICON_NAMES = "icon-names.json"
# Inside _static/, of the output and of the theme.
THEME_CSS = "styles/pydata-sphinx-theme.css"
WEBFONTS = "vendor/fontawesome/webfonts"
ICON_NAME = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
# .fa-magnifying-glass,.fa-search{--fa:"\f002"}
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+,?)+)\{--fa:"([^"]+)"\}')
SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")
THEME_ICON = re.compile(r'--pst-icon-[a-z-]+:"([^"]+)"')
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?")


def css_string(value: str) -> str:
    return CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


def icon_names(folders: list[Path], cache: Path) -> set[str]:
    """Every icon the templates and scripts name, read again only when one of them changed."""
    files = sorted(path for folder in folders for path in folder.rglob("*") if path.suffix in {".html", ".js"})
    stamps = [(str(path), path.stat().st_mtime_ns) for path in files if path.is_file()]
    key = hashlib.blake2b(repr((source_version(__file__), stamps)).encode(), digest_size=16).hexdigest()
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if known.get("key") != key:
        names = set()
        for path in files:
            if path.is_file():
                names |= set(ICON_NAME.findall(path.read_text(encoding="utf-8", errors="ignore")))
        known = {"key": key, "names": sorted(names)}
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(known), encoding="utf-8")
    return set(known["names"])


def is_shown(selectors: str, names: set[str]) -> bool:
    return bool(names & {selector.removeprefix(".fa-") for selector in selectors.split(",")})


def codepoints(css: str, names: set[str]) -> set[int]:
    points = {ord(char) for value in THEME_ICON.findall(css) for char in css_string(value)}
    for selectors, value in ICON_RULE.findall(css):
        if is_shown(selectors, names):
            points |= {ord(char) for char in css_string(value)}
    return points


def shown_icon_rules(css: str, names: set[str]) -> str:
    """The stylesheet without the rules of icons the site does not show.

    Its source map no longer matches, so the comment pointing to it goes too.
    """
    css = ICON_RULE.sub(lambda m: m.group(0) if is_shown(m.group(1), names) else "", css)
    return SOURCE_MAP.sub("", css)


def subset_font(source: Path, target: Path, unicodes: set[int]) -> None:
    from fontTools import subset  # a tenth of a second to import, when a font must be cut

    options = subset.Options()
    options.flavor = "woff2"
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def cut_font(source: Path, target: Path, unicodes: set[int], cache: Path) -> None:
    stat = source.stat()
    made_by = (source_version(__file__), str(source), stat.st_size, stat.st_mtime_ns, sorted(unicodes))
    key = hashlib.blake2b(repr(made_by).encode(), digest_size=16)
    cached = cache / f"{key.hexdigest()}.woff2"
    if not cached.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        subset_font(source, cached, unicodes)
    shutil.copyfile(cached, target)


def subset_icons(app: Sphinx, exception: Exception | None) -> None:
    static = Path(app.outdir) / "_static"
    if exception is not None or app.builder.format != "html" or not (static / THEME_CSS).is_file():
        return
    theme_static = [Path(d) / "static" for d in app.builder.theme.get_theme_dirs()]
    folders = [path.parent for path in theme_static] + [Path(app.confdir, d) for d in app.config.templates_path]
    names = icon_names(folders, Path(app.doctreedir) / ICON_NAMES)
    # Always cut from the theme's full files, so that the output never depends
    # on whether Sphinx copied the static files again in this build.
    css = next(d / THEME_CSS for d in theme_static if (d / THEME_CSS).is_file()).read_text(encoding="utf-8")
    (static / THEME_CSS).write_text(shown_icon_rules(css, names), encoding="utf-8")
    unicodes = codepoints(css, names)
    cache = Path(app.doctreedir) / FONT_CACHE
    for directory in theme_static:
        for source in sorted(directory.joinpath(WEBFONTS).glob("*.woff2")):
            cut_font(source, static / WEBFONTS / source.name, unicodes, cache)
