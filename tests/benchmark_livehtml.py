"""Time from saving a post to the browser showing the change, with `make livehtml`.

Run with the test environment: ``.venv/bin/python tests/benchmark_livehtml.py [ROUNDS]``.
It starts ``make livehtml`` in a throwaway copy of the project, opens a post in
Debian's chromium, then saves an edit to that post ROUNDS times (default 5),
each time timing how long the page, which reloads by itself, takes to show it.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from conftest import COPY_IGNORE, PROJECT  # noqa: E402
from preview_server import CHROMIUM, CHROMIUM_ARGS, append, livehtml  # noqa: E402

POST = "posts/2023/dpo"


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "p"
        shutil.copytree(PROJECT, project, ignore=COPY_IGNORE)
        with livehtml(project) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{server.url}{POST}.html", wait_until="load")
            page.wait_for_timeout(1000)  # the live-reload socket connects after load
            seconds = []
            for n in range(rounds):
                marker = f"第 {n + 1} 次保存后出现的一段。"
                start = time.monotonic()
                append(project / f"{POST}.md", f"\n{marker}\n")
                page.locator("article p", has_text=marker).wait_for(timeout=60_000)
                seconds.append(time.monotonic() - start)
                print(f"save {n + 1}: shown after {seconds[-1]:.2f} s", flush=True)
                page.wait_for_timeout(1000)
            browser.close()
    print(f"save to browser, {rounds} saves: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
