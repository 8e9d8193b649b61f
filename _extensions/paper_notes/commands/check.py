"""``make check`` (``python -m paper_notes.commands.check``): the build's checks of its input, alone.

The same code as the build's, without starting Sphinx, in well under a
second: every post's front matter and file name, drafts included, the
bibliography and the posts' papers, the lines of ``redirects.yaml``. Each
mistake is printed as the build prints it, ``path:line: ERROR: what is wrong;
what is expected``. What only a build can see (a link to a post that does
not exist, a redirect to a page the site lacks) is left to ``make html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import as_lines
from ..papers.bibliography import bibliography_problems, paper_key_problems
from ..posts.front_matter import PostError, Taxonomy, check_posts, read_settings
from ..publishing.redirects import read_redirects
from ..settings import SETTINGS


def main() -> int:
    project = Path.cwd()
    settings = {setting.name: setting.default for setting in SETTINGS}
    settings.update(read_settings(project))
    bibfiles = list(settings.get("bibtex_bibfiles", []))
    encoding = settings.get("bibtex_encoding", "utf-8-sig")
    try:
        posts = check_posts(project, settings["blog_post_pattern"], Taxonomy.from_settings(settings))
    except PostError as error:
        print(as_lines(error.problems), file=sys.stderr)
        return 1
    problems, keys = bibliography_problems(project, bibfiles, encoding)
    problems = problems or paper_key_problems(posts, keys, bibfiles)
    redirects, redirect_problems = read_redirects(project / settings["redirects_file"])
    problems += redirect_problems
    if problems:
        print(as_lines(problems), file=sys.stderr)
        return 1
    print(f"{len(posts)} posts, {len(keys)} papers and {len(redirects)} old addresses checked: all fine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
