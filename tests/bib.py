"""The bibliography as the tests read it: papers.bib parsed with pybtex, apart
from the site's own code, so that a test compares the site with the file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pybtex.database import parse_file
from pybtex.richtext import Text

BIB = Path(__file__).resolve().parent.parent / "papers.bib"


@dataclass
class BibPaper:
    key: str
    title: str
    year: str
    arxiv: str | None
    doi: str | None
    first_author_surname: str
    urls: set[str]  # every address of the paper that the site may link to


def read_bib(path: Path = BIB) -> dict[str, BibPaper]:
    papers = {}
    for key, entry in parse_file(str(path)).entries.items():
        fields = entry.fields
        arxiv, doi = fields.get("eprint"), fields.get("doi")
        urls = {fields["url"]} if "url" in fields else set()
        urls |= {f"https://arxiv.org/abs/{arxiv}"} if arxiv else set()
        urls |= {f"https://doi.org/{doi}"} if doi else set()
        papers[key] = BibPaper(
            key=key,
            title=Text.from_latex(fields["title"]).render_as("text"),
            year=fields["year"],
            arxiv=arxiv,
            doi=doi,
            first_author_surname=Text.from_latex(entry.persons["author"][0].last_names[-1]).render_as("text"),
            urls=urls,
        )
    return papers


def paper_keys(posts) -> dict[str, str]:
    """docname -> the BibTeX key its front matter names, for posts that name one."""
    keys = {}
    for post in posts:
        front_matter = yaml.safe_load(post.source.read_text(encoding="utf-8").split("---\n")[1])
        if "paper" in front_matter:
            keys[post.docname] = front_matter["paper"]
    return keys
