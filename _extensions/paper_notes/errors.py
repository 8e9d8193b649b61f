"""One line for every mistake: ``path:line: what is wrong; what is expected``.

Sphinx ends a build that raises with a traceback, an "Extension error" banner
and "The full traceback has been saved in ...": noise around the one line an
author needs. A mistake in the site's input is reported through Sphinx's own
logging instead, with the file and line as its location, and the build then
stops with a non-zero status, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

# The exit status of a build stopped by a mistake (Sphinx's own for a build
# that ends with an error).
EXIT_STATUS = 2


@dataclass(frozen=True)
class Problem:
    """A mistake in a file: where it is (``path`` or ``path:line``) and what is wrong."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class InputError(Exception):
    """Raised by the checks, so that one caller reports every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def stop(problems: Iterable[Problem]) -> NoReturn:
    """Log each problem as an error at its location, then end the build."""
    from sphinx.util import logging  # here: make check and make post run without Sphinx

    logger = logging.getLogger("paper_notes")
    for problem in problems:
        logger.error(problem.message, location=problem.where or None)
    raise SystemExit(EXIT_STATUS)


def as_lines(problems: Iterable[Problem]) -> str:
    """The problems as the build prints them, for commands that run without Sphinx."""
    return "\n".join(f"{p.where}: ERROR: {p.message}" if p.where else f"ERROR: {p.message}" for p in problems)
