"""Benchmark of the site's build: clean, nothing changed, and the four usual edits.

``make bench N=1000`` copies this project (conf.py, templates, extensions,
static files) into a temporary folder, replaces its posts with N synthetic
ones (``synthetic.py``), and times, one after the other in the same output
folder:

1. a clean build;
2. a rebuild with nothing changed;
3. a rebuild after editing one post's body;
4. after adding a post (the newest);
5. after changing one post's tags;
6. after deleting a post.

For each it reports the wall time, the documents Sphinx re-read (as its
``updating environment`` line counts them), the pages and feeds written (HTML and XML files
whose modification time changed), the peak memory of the build process and,
after the clean build, the size of the site (without Sphinx's ``.doctrees``
cache). The table goes to standard output, the figures as JSON to
``--json`` (default ``_build/bench/N<N>.json``).

With ``--check``, every incremental build is also compared file for file
with a clean build of the same sources (much slower: a second clean build
per step). Timing figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from synthetic import one_more_post, read_taxonomy, synthetic_posts, write_posts

PROJECT = Path(__file__).resolve().parent.parent
COPY_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "_build", "__pycache__", ".pytest_cache", "artifacts", "posts", "bench"
)
# Sphinx's count of the documents it reads, serial or parallel.
READ_COUNT = re.compile(r"updating environment: (?:\[.*?\] )?(\d+) added, (\d+) changed")
CACHE_DIR = ".doctrees"


@dataclass
class Step:
    name: str
    seconds: float
    docs_read: int
    files_written: int
    peak_mib: float
    site_mib: float | None = None
    matches_clean_build: bool | None = None


def output_files(outdir: Path) -> dict[str, int]:
    """Modification time of every page and feed of the site."""
    stamps = {}
    for root, dirs, files in os.walk(outdir):
        dirs[:] = [d for d in dirs if d not in (CACHE_DIR, "_static")]
        for name in files:
            if name.endswith((".html", ".xml")):
                path = os.path.join(root, name)
                stamps[path] = os.stat(path).st_mtime_ns
    return stamps


def site_size(outdir: Path) -> int:
    total = 0
    for root, dirs, files in os.walk(outdir):
        dirs[:] = [d for d in dirs if d != CACHE_DIR]
        total += sum(os.path.getsize(os.path.join(root, name)) for name in files)
    return total


def sphinx_build(source: Path, outdir: Path, options: list[str]) -> tuple[float, str, float]:
    """Run sphinx-build; return wall seconds, its log and its peak memory in MiB."""
    command = [str(Path(sys.prefix) / "bin" / "sphinx-build"), "-b", "html", *options, str(source), str(outdir)]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        # Plain text to parse: Sphinx colours its output when CI is set.
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"})
        # wait4 reports the peak memory of this build alone (and of its workers).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read()
    if process.returncode != 0:
        raise SystemExit(f"sphinx-build failed on {source}:\n{text}")
    return seconds, text, usage.ru_maxrss / 1024


def differences(left: Path, right: Path) -> list[str]:
    """Files of two built sites that differ or exist in only one, the cache aside."""

    def tree(root: Path) -> dict[str, Path]:
        paths = (path for path in root.rglob("*") if CACHE_DIR not in path.relative_to(root).parts)
        return {path.relative_to(root).as_posix() + ("/" if path.is_dir() else ""): path for path in paths}

    a, b = tree(left), tree(right)
    found = set(a).symmetric_difference(b)
    found.update(name for name in set(a) & set(b) if a[name].is_file() and a[name].read_bytes() != b[name].read_bytes())
    return sorted(found)


def same_as_clean_build(source: Path, outdir: Path, options: list[str]) -> bool:
    with tempfile.TemporaryDirectory() as clean:
        sphinx_build(source, Path(clean), options)
        found = differences(outdir, Path(clean))
    if found:
        print(f"  differs from a clean build: {', '.join(found[:10])}", file=sys.stderr)
    return not found


def keep_redirects_to_listings(path: Path) -> None:
    """The old addresses of the owner's posts would point to posts the copy does not have."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not re.search(r":\s*posts/", line)), encoding="utf-8")


def run(count: int, seed: int, options: list[str], check: bool, keep: Path | None) -> list[Step]:
    workdir = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    source, outdir = workdir / "project", workdir / "html"
    shutil.copytree(PROJECT, source, ignore=COPY_IGNORE)
    taxonomy = read_taxonomy(source / "conf.py")
    keep_redirects_to_listings(source / "redirects.yaml")
    posts = synthetic_posts(count, taxonomy, seed)
    write_posts(source, posts)
    newest = dt.date.fromisoformat(re.search(r"date: (\S+)", posts[0].text).group(1))

    def edit_body() -> None:
        path = source / "posts" / posts[count // 2].relpath
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\n\n[^note]:", "\n\n改动后的一段文字，用来测量增量构建。\n\n[^note]:"), encoding="utf-8")

    def add_post() -> None:
        write_posts(source, [one_more_post(taxonomy, seed, count + 1, newest + dt.timedelta(days=1))])

    def change_tags() -> None:
        path = source / "posts" / posts[count // 3].relpath
        text = path.read_text(encoding="utf-8")
        old = re.search(r"^tags: (.*)$", text, re.MULTILINE).group(1).split(", ")
        new = [tag for tag in taxonomy.tags if tag not in old][:2]
        path.write_text(text.replace(f"tags: {', '.join(old)}", f"tags: {', '.join(new)}"), encoding="utf-8")

    def delete_post() -> None:
        (source / "posts" / posts[2 * count // 3].relpath).unlink()

    changes = [
        ("clean build", None),
        ("nothing changed", lambda: None),
        ("edit one post's body", edit_body),
        ("add a post", add_post),
        ("change one post's tags", change_tags),
        ("delete a post", delete_post),
    ]
    steps = []
    try:
        for name, change in changes:
            if change is not None:
                change()
            before = output_files(outdir) if outdir.exists() else {}
            seconds, log, peak = sphinx_build(source, outdir, options)
            after = output_files(outdir)
            written = sum(1 for path, stamp in after.items() if before.get(path) != stamp)
            step = Step(name, round(seconds, 2), sum(map(int, READ_COUNT.search(log).groups())), written, round(peak, 1))
            if change is None:
                step.site_mib = round(site_size(outdir) / 2**20, 2)
            elif check:
                step.matches_clean_build = same_as_clean_build(source, outdir, options)
            steps.append(step)
            print(f"  {name}: {seconds:.2f} s", file=sys.stderr)
    finally:
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.move(workdir, keep)
        else:
            shutil.rmtree(workdir)
    return steps


def table(steps: list[Step]) -> str:
    header = ("step", "wall s", "docs read", "files written", "peak MiB", "site MiB", "= clean build")
    rows = [
        (
            s.name,
            f"{s.seconds:.2f}",
            str(s.docs_read),
            str(s.files_written),
            f"{s.peak_mib:.0f}",
            "" if s.site_mib is None else f"{s.site_mib:.1f}",
            "" if s.matches_clean_build is None else ("yes" if s.matches_clean_build else "NO"),
        )
        for s in steps
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in [header, *rows]]
    lines.insert(1, "-|-".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--posts", type=int, default=300, help="number of synthetic posts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", default="1", help="sphinx-build -j (a number or 'auto')")
    parser.add_argument("--check", action="store_true", help="compare each rebuild with a clean build")
    parser.add_argument("--json", type=Path, help="where to write the figures (default _build/bench/N<N>.json)")
    parser.add_argument("--keep", type=Path, help="keep the generated project and site in this folder")
    args = parser.parse_args()
    # The options of `make html`: the benchmark times the strict build.
    options = ["-n", "-W", "--keep-going", "-j", args.jobs]
    print(f"building {args.posts} synthetic posts with -j {args.jobs} (cores: {os.cpu_count()})", file=sys.stderr)
    steps = run(args.posts, args.seed, options, args.check, args.keep)
    print(table(steps))
    out = args.json or PROJECT / "_build" / "bench" / f"N{args.posts}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "posts": args.posts,
        "seed": args.seed,
        "jobs": args.jobs,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "steps": [asdict(step) for step in steps],
    }
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
