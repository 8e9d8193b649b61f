"""The papers of the bibliography, and the paper each note is about.

The project's one BibTeX file (``bibtex_bibfiles`` in conf.py) is parsed once
per build by sphinxcontrib-bibtex; this module turns its entries into
:class:`Paper` records for the templates: title and authors as plain text
(braces stripped, LaTeX accents decoded), venue, year, arXiv ID, DOI,
publisher's address and the entry's BibTeX.

A post names its paper with the front matter key ``paper: <BibTeX key>``.
When the configuration has been read, before sphinxcontrib-bibtex parses the
files, they are checked here: an entry pybtex cannot read (which would end
the build with pybtex's traceback), an entry without a title or a year, a
key given twice, and a post's ``paper`` that no entry has each stop the
build with one line at the file and line of the mistake. ``make check`` runs
the same checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pybtex.backends.plaintext import Backend as PlainText
from pybtex.database import BibliographyDataError, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.richtext import Text
from pybtex.scanner import PybtexSyntaxError

from ..errors import Problem, stop
from ..posts.front_matter import FrontMatter, checked_posts

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

FRONT_MATTER_KEY = "paper"
ENTRY_START = re.compile(r"@\w+\s*\{\s*([^,\s]+)\s*,")


def entry_sources(text: str) -> dict[str, str]:
    """Each entry's text as the file writes it, by key (pybtex's writer would
    re-quote fields and escape the underscores of URLs)."""
    sources = {}
    for match in ENTRY_START.finditer(text):
        depth = 0
        for end in range(text.index("{", match.start()), len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        sources[match.group(1)] = text[match.start() : end + 1]
    return sources


# A field whose value is a macro's name (``booktitle = neurips``): an @string
# of the file, which the entry copied alone would not have.
MACRO_VALUE = re.compile(r"(=\s*)([A-Za-z][\w:-]*)(?=\s*[,}#\n])")
# BibTeX's own macros, which every reader knows.
MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


def macros_of(text: str) -> dict[str, str]:
    """The file's @string macros, by lower-case name."""
    parser = Parser()
    parser.parse_string(text)
    return {name.lower(): value for name, value in parser.macros.items() if name.lower() not in MONTHS}


def with_macros_expanded(source: str, macros: dict[str, str]) -> str:
    """The entry as it reads on its own: a macro's name replaced by its value, braced."""
    if not macros:
        return source
    return MACRO_VALUE.sub(
        lambda m: f"{m[1]}{{{macros[m[2].lower()]}}}" if m[2].lower() in macros else m[0], source
    )


def plain(latex: str) -> str:
    """BibTeX field text as a reader sees it: ``{\\L}ucki`` -> ``Łucki``."""
    # render_as("text") would look the backend up among the installed
    # packages' entry points at every call.
    return Text.from_latex(latex).render(PlainText())


@dataclass(frozen=True)
class Paper:
    key: str
    type: str  # the BibTeX entry type: article, inproceedings, ...
    title: str
    authors: tuple[str, ...]
    venue: str
    year: str
    arxiv: str | None
    doi: str | None
    # The publisher's or venue's page, when it is not the arXiv or DOI address.
    url: str | None
    bibtex: str

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv}" if self.arxiv else None

    @property
    def doi_url(self) -> str | None:
        return f"https://doi.org/{self.doi}" if self.doi else None

    @property
    def main_url(self) -> str | None:
        """Where a reader opens the paper: arXiv, else the DOI, else the publisher."""
        return self.arxiv_url or self.doi_url or self.url

    @classmethod
    def from_entry(cls, key: str, entry: Entry, source: str) -> Paper:
        fields = entry.fields
        authors = tuple(
            plain(" ".join(person.first_names + person.middle_names + person.prelast_names + person.last_names))
            for person in entry.persons.get("author", [])
        )
        is_arxiv = fields.get("archivePrefix", "arXiv").lower() == "arxiv"
        arxiv = fields.get("eprint") if is_arxiv else None
        doi = fields.get("doi")
        paper = cls(
            key=key,
            type=entry.type.lower(),
            title=plain(fields.get("title", "")),
            authors=authors,
            venue=plain(fields.get("booktitle") or fields.get("journal") or ""),
            year=fields.get("year", ""),
            arxiv=arxiv,
            doi=doi,
            url=None,
            bibtex=source,
        )
        url = fields.get("url")
        if url and url not in (paper.arxiv_url, paper.doi_url):
            paper = replace(paper, url=url)
        return paper


def load_papers(app: Sphinx) -> None:
    """Runs after sphinxcontrib-bibtex has (re)parsed the BibTeX files."""
    bibdata = app.env.get_domain("cite").bibdata
    sources, between_entries = {}, []
    for path in bibdata.bibfiles:
        text = Path(path).read_text(encoding=app.config.bibtex_encoding)
        in_file = entry_sources(text)
        for source in in_file.values():
            text = text.replace(source, "", 1)
        between_entries.append(text)
        # A card's BibTeX is copied alone: macros of the file are written out.
        macros = macros_of(text)
        sources.update({key: with_macros_expanded(source, macros) for key, source in in_file.items()})
    previous = getattr(app.env, "papers", {})
    # An entry whose text did not change keeps its record: decoding its LaTeX
    # is slow. Unless the text between entries changed: an @string macro
    # that an entry uses may have.
    same_macros = getattr(app.env, "papers_between_entries", None) == between_entries
    app.env.papers_between_entries = between_entries
    unchanged = {key for key, paper in previous.items() if same_macros and sources.get(key) == paper.bibtex}
    app.env.papers = {
        key: previous[key] if key in unchanged else Paper.from_entry(key, entry, sources[key])
        for key, entry in bibdata.data.entries.items()
    }
    app.env.changed_papers = {
        key for key in previous.keys() | app.env.papers.keys() if previous.get(key) != app.env.papers.get(key)
    }


def notes_of_changed_papers(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """An edited entry makes the notes about or citing it, and the paper index,
    be read and written again (Sphinx only watches the notes' own files)."""
    if not env.changed_papers:
        return []
    about = {docname for docname, metadata in env.metadata.items() if metadata.get(FRONT_MATTER_KEY) in env.changed_papers}
    citing = {
        ref.docname
        for ref in env.get_domain("cite").citation_refs
        if any(target.key in env.changed_papers for target in ref.targets)
    }
    return sorted(about | citing | {app.config.paper_index_page})


def papers(app: Sphinx) -> dict[str, Paper]:
    return app.env.papers


def paper_of(app: Sphinx, docname: str) -> Paper | None:
    """The paper a post is about, if its front matter names one."""
    key = app.env.metadata.get(docname, {}).get(FRONT_MATTER_KEY)
    return papers(app).get(key) if key else None


def line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def bibliography_problems(srcdir: Path, bibfiles: list[str], encoding: str) -> tuple[list[Problem], set[str]]:
    """What pybtex cannot read, or the cards cannot show, in each file; and the keys it holds."""
    problems, keys = [], set()
    for name in bibfiles:
        text = (srcdir / name).read_text(encoding=encoding)
        parser = Parser(encoding=encoding)
        try:
            data = parser.parse_string(text)
        except PybtexSyntaxError as error:
            problems.append(
                Problem(f"{name}:{error.lineno}", f"{str(error).split(': ', 1)[-1]}; expected entries written @type{{key, field = {{value}}, ...}}")
            )
            continue
        except BibliographyDataError as error:
            key = str(error).rsplit(" ", 1)[-1]
            starts = [m for m in ENTRY_START.finditer(text) if m[1] == key]
            where = line_of(text, starts[-1].start()) if starts else 1
            problems.append(Problem(f"{name}:{where}", f"{error}; expected each key once"))
            continue
        starts = {m[1]: line_of(text, m.start()) for m in ENTRY_START.finditer(text)}
        for key, entry in data.entries.items():
            missing = [field for field in ("title", "year") if not entry.fields.get(field)]
            if missing:
                problems.append(
                    Problem(f"{name}:{starts.get(key, 1)}", f"entry {key!r} has no {' or '.join(missing)}; expected both")
                )
        keys |= set(data.entries)
    return problems, keys


def paper_key_problems(posts: dict[str, FrontMatter], keys: set[str], bibfiles: list[str]) -> list[Problem]:
    return [
        Problem(
            f"{path}:{post.paper_line}",
            f"the paper {post.paper!r} is not in {', '.join(bibfiles)}; expected the key of one of its entries"
            " (a new paper is a new entry there)",
        )
        for path, post in posts.items()
        if post.paper is not None and post.paper not in keys
    ]


def check_bibliography(app: Sphinx, config: Config) -> None:
    """``config-inited``, after the posts' front matter: the files, then the posts' papers."""
    srcdir = Path(app.srcdir)
    problems, keys = bibliography_problems(srcdir, list(config.bibtex_bibfiles), config.bibtex_encoding)
    if not problems:
        problems = paper_key_problems(checked_posts(app), keys, list(config.bibtex_bibfiles))
    if problems:
        stop(problems)
