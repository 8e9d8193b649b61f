"""The old blog's listing page (tests/data), read as years of (title, text)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LISTING = Path(__file__).parent / "data" / "original-blog-listing.txt"
READ_TIME = re.compile(r"(less than 1|\d+) minutes? read")
YEAR = re.compile(r"\d{4}")


@dataclass
class OldPost:
    year: int
    title: str
    text: str


def old_posts() -> list[OldPost]:
    """Every post of the listing, in the listing's order (newest year first)."""
    lines = LISTING.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if READ_TIME.fullmatch(line.strip())]
    posts, year = [], None
    for n, start in enumerate(starts):
        for line in lines[: start - 2]:
            if YEAR.fullmatch(line.strip()):
                year = int(line)
        end = starts[n + 1] - 2 if n + 1 < len(starts) else len(lines)
        body = [line for line in lines[start + 3 : end] if not YEAR.fullmatch(line.strip())]
        posts.append(OldPost(year, lines[start - 2], "\n".join(body)))
    return posts


def squeeze(text: str) -> str:
    """Text without white space or list bullets: what survives a change of markup."""
    return re.sub(r"[\s•]+", "", text)
