"""How long ``make check`` takes: on this blog, and on a copy grown to N posts.

``make check`` runs the build's checks of front matter, bibliography and
redirects without Sphinx, for an author who wants the answer at once. This
prints the median and slowest of ten runs, ``make`` and the interpreter's
start included, for this project and for a copy with N synthetic posts more
(``--posts``, as ``bench/build_bench.py`` makes them).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(PROJECT / "audit"))
from sample_site import COPY_IGNORE  # noqa: E402
from synthetic import read_taxonomy, synthetic_posts, write_posts  # noqa: E402

RUNS = 10


def timed_check(project: Path, venv: Path) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(
            ["make", "-s", "check", f"SOURCEDIR={project}", f"VENV={venv}"], cwd=PROJECT, check=True, capture_output=True
        )
        times.append(time.perf_counter() - start)
    return times


def report(name: str, times: list[float]) -> None:
    print(f"{name}: median {statistics.median(times):.2f} s, slowest {max(times):.2f} s ({RUNS} runs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000, help="synthetic posts added to the copy")
    args = parser.parse_args()
    venv = Path(sys.prefix)
    report("this blog", timed_check(PROJECT, venv))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "project"
        shutil.copytree(PROJECT, copy, ignore=COPY_IGNORE)
        write_posts(copy, synthetic_posts(args.posts, read_taxonomy(copy / "conf.py")))
        report(f"with {args.posts} posts more", timed_check(copy, venv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
