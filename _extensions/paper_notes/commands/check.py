"""``make check`` (``python -m paper_notes.commands.check``): the build's front matter checks, alone.

The same code as the build's, over every post, drafts included, without
starting Sphinx: in well under a second, each mistake on its own line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..posts.front_matter import PostError, check_project


def main() -> int:
    try:
        posts = check_project(Path.cwd())
    except PostError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{len(posts)} posts checked: front matter and slugs are fine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
