"""The owner's week, done on a copy of the blog, so that the whole test suite can run on it.

``python tests/owners_week.py <folder>`` clones this project (its committed
state) into ``<folder>`` and does there what the owner does in a week, with
the project's own commands:

- adds a tag to the taxonomy (``blog_tags`` in conf.py);
- starts a note with ``make post``, with that tag;
- adds the note's paper to ``papers.bib`` as a new entry, names it in the
  note's front matter, cites it inline and links to an older note;
- publishes the note (removes ``draft: true``) and commits it;
- adds an old address to ``redirects.yaml``.

CI then runs ``make test`` in ``<folder>``: a suite that only holds for
today's posts, papers and addresses fails there. The note is a test's text,
not the owner's: it says so.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TAG, TAG_SLUG = "模型合并", "model-merging"
SLUG = "owners-week-note"
PAPER = """
@inproceedings{owner2026week,
  title         = {A Paper Added in the Owner's Week},
  author        = {Chen, Yi and Zhao, Er},
  booktitle     = {Proceedings of the Week Conference},
  year          = {2026},
  eprint        = {2601.00001},
  archivePrefix = {arXiv}
}
"""
BODY = """
这是测试周写的一篇笔记（测试用文字，不是博主的笔记），讨论 {cite:p}`owner2026week` 的方法，
接着 {ref}`DPO 的笔记 <dpo>` 往下讲。
"""


def run(folder: Path, *command: str, **env: str) -> None:
    print("$", " ".join(command), *(f"{k}={v}" for k, v in env.items()))
    subprocess.run(command, cwd=folder, check=True, env={**os.environ, **env})


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def owners_week(folder: Path, venv: Path) -> None:
    run(PROJECT, "git", "clone", "--quiet", str(PROJECT), str(folder))
    replace(folder / "conf.py", "blog_tags = {\n", f'blog_tags = {{\n    "{TAG}": "{TAG_SLUG}",\n')
    run(folder, "make", "--no-print-directory", "post", f"VENV={venv}",
        TITLE="测试周的新笔记", SLUG=SLUG, CATEGORY="对齐", TAGS=f"{TAG}, 大语言模型")  # fmt: skip
    note = next(folder.glob(f"posts/*/{SLUG}.md"))
    with (folder / "papers.bib").open("a", encoding="utf-8") as bib:
        bib.write(PAPER)
    text = note.read_text(encoding="utf-8")
    text = text.replace("draft: true\n", "paper: owner2026week\n")
    text = text.replace("\n---\n", "\n---\n" + BODY, 1)  # after the front matter's closing line
    note.write_text(text, encoding="utf-8")
    with (folder / "redirects.yaml").open("a", encoding="utf-8") as redirects:
        redirects.write(f"/notes/{SLUG}/: {note.relative_to(folder).with_suffix('').as_posix()}\n")
    run(folder, "make", "--no-print-directory", "check", f"VENV={venv}")
    run(folder, "git", "add", "-A")
    run(folder, "git", "-c", "user.name=Owner", "-c", "user.email=owner@example.org",
        "commit", "--quiet", "-m", "A week of notes: a new tag, a note with a new paper, an old address")  # fmt: skip
    print(f"The owner's week is in {folder}: {note.relative_to(folder)} published.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="an empty or missing folder for the copy")
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix), help="the virtual environment to build with")
    args = parser.parse_args()
    owners_week(args.folder.resolve(), args.venv.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
