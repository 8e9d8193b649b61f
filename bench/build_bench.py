"""Benchmark of the site's build: clean, nothing changed, and the four usual edits.

``make bench N=1000`` copies this project (conf.py, templates, extensions,
static files) into a temporary folder, replaces its posts with N synthetic
ones (``synthetic.py``), and builds it with the options of ``make html``,
one step after the other in the same output folder:

1. a clean build (each repetition into an empty folder);
2. a rebuild with nothing changed;
3. a rebuild after editing one post's body;
4. after adding a post (the newest);
5. after changing one post's tags;
6. after deleting a post.

Each step runs ``--repeat`` times (3 by default), every time on another post,
and reports the median run: its wall time, CPU time (user and system, the
reading and writing processes included), the documents Sphinx read (as its
``updating environment`` line counts them), the pages and feeds written (HTML
and XML files whose modification time changed) and the build's peak memory.
After the clean build it also reports the size of the site (without Sphinx's
doctree cache), part by part (post pages and their articles, the listing
pages, the other pages, the search index, feeds, static files, the rest),
and of a post page: the
median page, and its frame (the page without its article), which must not
grow with N. The table goes to standard
output, every run as JSON to ``--json`` (default ``_build/bench/N<N>.json``).

With ``--check``, the last run of every rebuild is also compared file for
file with a clean build of the same sources (a second clean build per step).
Timing figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from synthetic import keep_redirects_to_listings, one_more_post, read_taxonomy, synthetic_posts, write_posts

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "audit"))
from sample_site import leaving_out  # noqa: E402

# The copy's posts are synthetic; the benchmark itself is not copied.
COPY_IGNORE = leaving_out("posts", "bench")
# Sphinx's count of the documents it reads, serial or parallel.
READ_COUNT = re.compile(r"updating environment: (?:\[.*?\] )?(\d+) added, (\d+) changed")
CACHE_DIR = "doctrees"
ARTICLE = re.compile(r'<article class="bd-article">.*</article>', re.DOTALL)


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    docs_read: int
    files_written: int
    peak_mib: float


@dataclass
class Step:
    name: str
    runs: list[Run]
    site_mib: float | None = None
    site_parts_mib: dict[str, float] | None = None
    post_page_kib: float | None = None
    post_frame_kib: float | None = None
    matches_clean_build: bool | None = None
    median: Run = field(init=False)

    def __post_init__(self) -> None:
        self.median = sorted(self.runs, key=lambda run: run.seconds)[len(self.runs) // 2]


def output_files(outdir: Path) -> dict[str, int]:
    """Modification time of every page and feed of the site."""
    stamps = {}
    for root, dirs, files in os.walk(outdir):
        dirs[:] = [d for d in dirs if d != "_static"]
        for name in files:
            if name.endswith((".html", ".xml")):
                path = os.path.join(root, name)
                stamps[path] = os.stat(path).st_mtime_ns
    return stamps


SITE_PARTS = ("post pages", "listing pages", "other pages", "search", "feeds", "_static", "the rest")
# The pages that list posts: the home page and its pages, all posts, each
# year, tag, category and language with their pages, and the catalogs (the
# archive, all tags, all categories, all languages).
LISTING_PAGES = re.compile(r"(index|blog)\.html|(page|blog)/.*\.html")


def site_part(outdir: Path, path: Path) -> str:
    """Which of ``SITE_PARTS`` a built file belongs to."""
    relpath = path.relative_to(outdir)
    top = relpath.parts[0]
    if top == "posts" and path.suffix == ".html":
        return "post pages"
    if LISTING_PAGES.fullmatch(relpath.as_posix()):
        return "listing pages"
    if top == "pagefind":
        return "search"
    if top == "_static":
        return "_static"
    if path.suffix == ".html":
        return "other pages"
    if path.suffix == ".xml" and path.name != "sitemap.xml":
        return "feeds"
    return "the rest"


def measure_site(outdir: Path, step: Step) -> None:
    """The site's size, part by part with the post pages' articles, and its median post page and frame."""
    sizes = dict.fromkeys((*SITE_PARTS, "articles"), 0)
    pages, frames = [], []
    for path in outdir.rglob("*"):
        if not path.is_file():
            continue
        part, size = site_part(outdir, path), path.stat().st_size
        sizes[part] += size
        if part == "post pages":
            article = len(ARTICLE.search(path.read_text(encoding="utf-8")).group(0).encode("utf-8"))
            sizes["articles"] += article
            pages.append(size)
            frames.append(size - article)
    step.site_mib = round(sum(sizes[part] for part in SITE_PARTS) / 2**20, 1)
    step.site_parts_mib = {part: round(size / 2**20, 1) for part, size in sizes.items()}
    step.post_page_kib = round(statistics.median(pages) / 1024, 1)
    step.post_frame_kib = round(statistics.median(frames) / 1024, 1)


def sphinx_build(source: Path, build: Path, options: list[str]) -> tuple[Run, str]:
    """Run the strict build as ``make html`` does; return its figures and log."""
    command = [
        str(Path(sys.prefix) / "bin" / "sphinx-build"), "-b", "html", *options,
        "-d", str(build / CACHE_DIR), str(source), str(build / "html"),
    ]  # fmt: skip
    before = output_files(build / "html") if (build / "html").exists() else {}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        # Plain text to parse: Sphinx colours its output when CI is set.
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"})
        # wait4 reports what this build used, its reading and writing processes included.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        log.seek(0)
        text = log.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"sphinx-build failed on {source}:\n{text[-5000:]}")
    after = output_files(build / "html")
    run = Run(
        seconds=round(seconds, 2),
        cpu_seconds=round(usage.ru_utime + usage.ru_stime, 2),
        docs_read=sum(map(int, READ_COUNT.search(text).groups())),
        files_written=sum(1 for path, stamp in after.items() if before.get(path) != stamp),
        peak_mib=round(usage.ru_maxrss / 1024, 1),
    )
    return run, text


def differences(left: Path, right: Path) -> list[str]:
    """Files of two built sites that differ or exist in only one."""

    def tree(root: Path) -> dict[str, Path]:
        return {path.relative_to(root).as_posix() + ("/" if path.is_dir() else ""): path for path in root.rglob("*")}

    a, b = tree(left), tree(right)
    found = set(a).symmetric_difference(b)
    found.update(name for name in set(a) & set(b) if a[name].is_file() and a[name].read_bytes() != b[name].read_bytes())
    return sorted(found)


def same_as_clean_build(source: Path, build: Path, options: list[str]) -> bool:
    with tempfile.TemporaryDirectory() as clean:
        sphinx_build(source, Path(clean), options)
        found = differences(build / "html", Path(clean) / "html")
    if found:
        print(f"  differs from a clean build: {', '.join(found[:10])}", file=sys.stderr)
    return not found


def run(count: int, seed: int, options: list[str], repeat: int, check: bool, workdir: Path) -> list[Step]:
    source, build = workdir / "project", workdir / "build"
    shutil.copytree(PROJECT, source, ignore=COPY_IGNORE)
    taxonomy = read_taxonomy(source / "conf.py")
    keep_redirects_to_listings(source / "redirects.yaml")
    posts = synthetic_posts(count, taxonomy, seed)
    write_posts(source, posts)
    newest = dt.date.fromisoformat(re.search(r"date: (\S+)", posts[0].text).group(1))

    def post_path(position: int) -> Path:
        return source / "posts" / posts[position % count].relpath

    def clean(k: int) -> None:
        shutil.rmtree(build, ignore_errors=True)

    def edit_body(k: int) -> None:
        path = post_path(count // 2 + k)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\n\n[^note]:", "\n\n改动后的一段文字，用来测量增量构建。\n\n[^note]:"), encoding="utf-8")

    def add_post(k: int) -> None:
        write_posts(source, [one_more_post(taxonomy, seed, count + 1 + k, newest + dt.timedelta(days=1 + k))])

    def change_tags(k: int) -> None:
        path = post_path(count // 3 + k)
        text = path.read_text(encoding="utf-8")
        old = re.search(r"^tags: (.*)$", text, re.MULTILINE).group(1).split(", ")
        new = [tag for tag in taxonomy.tags if tag not in old][:2]
        path.write_text(text.replace(f"tags: {', '.join(old)}", f"tags: {', '.join(new)}"), encoding="utf-8")

    def delete_post(k: int) -> None:
        post_path(2 * count // 3 + k).unlink()

    changes: list[tuple[str, Callable[[int], None]]] = [
        ("clean build", clean),
        ("nothing changed", lambda k: None),
        ("edit one post's body", edit_body),
        ("add a post", add_post),
        ("change one post's tags", change_tags),
        ("delete a post", delete_post),
    ]
    steps = []
    for name, change in changes:
        runs = []
        for k in range(repeat):
            change(k)
            figures, _ = sphinx_build(source, build, options)
            runs.append(figures)
            print(f"  {name}: {figures.seconds:.2f} s", file=sys.stderr)
        step = Step(name, runs)
        if change is clean:
            measure_site(build / "html", step)
        elif check:
            step.matches_clean_build = same_as_clean_build(source, build, options)
        steps.append(step)
    return steps


def table(steps: list[Step]) -> str:
    header = ("step", "wall s", "CPU s", "docs read", "files written", "peak MiB", "= clean build")
    rows = [
        (
            s.name,
            f"{s.median.seconds:.2f}",
            f"{s.median.cpu_seconds:.1f}",
            str(s.median.docs_read),
            str(s.median.files_written),
            f"{s.median.peak_mib:.0f}",
            "" if s.matches_clean_build is None else ("yes" if s.matches_clean_build else "NO"),
        )
        for s in steps
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in [header, *rows]]
    lines.insert(1, "-|-".join("-" * width for width in widths))
    clean = steps[0]
    parts = clean.site_parts_mib
    lines.append(
        f"site: {clean.site_mib} MiB: post pages {parts['post pages']} (their articles {parts['articles']}), "
        + ", ".join(f"{part} {parts[part]}" for part in SITE_PARTS[1:])
    )
    lines.append(
        f"post page: {clean.post_page_kib} KiB (median), {clean.post_frame_kib} KiB of it around the article"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--posts", type=int, default=300, help="number of synthetic posts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sphinxopts", required=True, help="the options of make html (SPHINXOPTS; make bench passes them)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the median is reported")
    parser.add_argument("--check", action="store_true", help="compare each rebuild with a clean build")
    parser.add_argument("--json", type=Path, help="where to write the figures (default _build/bench/N<N>.json)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (emptied first)")
    args = parser.parse_args()
    options = shlex.split(args.sphinxopts)
    print(f"building {args.posts} synthetic posts with {args.sphinxopts} (cores: {os.cpu_count()})", file=sys.stderr)
    if args.keep is not None:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        steps = run(args.posts, args.seed, options, args.repeat, args.check, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="blog-bench-") as workdir:
            steps = run(args.posts, args.seed, options, args.repeat, args.check, Path(workdir))
    print(table(steps))
    out = args.json or PROJECT / "_build" / "bench" / f"N{args.posts}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "posts": args.posts,
        "seed": args.seed,
        "sphinxopts": args.sphinxopts,
        "repeat": args.repeat,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "steps": [asdict(step) for step in steps],
    }
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
