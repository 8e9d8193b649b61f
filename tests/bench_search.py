"""Benchmark of the site's search: index bytes a search fetches, and time to results.

Builds the site with ``make html`` (and, with ``--posts N``, a throwaway copy
grown to N posts from shuffled paragraphs of the real ones), serves it on
127.0.0.1 and drives Chromium as a reader does. Prints, per query:

- the bytes a fresh page fetches from ``pagefind/`` for that one search,
  split into code (JavaScript, WebAssembly) and index data (chunks, fragments),
  and from ``_static/search-scripts*`` (the conversion of Traditional
  characters: its code and the characters it changes, and its tables for a
  query that needs them);
- the time from the last key stroke to the results shown, typing at 8 keys a
  second on the search page: the first search and the median of later ones,
  for queries in Simplified characters and, on a page of their own, in
  Traditional ones (whose first search fetches the tables).

Run: ``.venv/bin/python tests/bench_search.py [--posts 1000]``. It prints
figures and checks nothing; the tests are in test_search.py.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

from conftest import CHROMIUM, CHROMIUM_ARGS, COPY_IGNORE, PROJECT, Post, make_html, serve, write_post

QUERIES = ["遗忘", "机器遗忘", "大语言模型", "梯度上升", "RLHF", "Llama2-7b", "LoRA 微调", "量子计算"]
# The queries above that Traditional characters change, in Traditional characters.
TRADITIONAL_QUERIES = ["遺忘", "機器遺忘", "大語言模型", "LoRA 微調", "量子計算"]
INDEX_DATA = re.compile(r"\.pf_(meta|index|fragment|filter)$")
CONVERSION = "/_static/search-scripts"
KEYSTROKE_DELAY_MS = 125

# Notes the time of the last key stroke and of each query's results being shown.
TIMING_SCRIPT = """
window.__lastKey = 0;
window.__shown = {};
// "input", not "keydown": Chinese characters are typed without key events.
document.addEventListener("input", () => { window.__lastKey = performance.now(); }, true);
document.addEventListener("DOMContentLoaded", () => {
  const results = document.getElementById("search-results");
  new MutationObserver(() => {
    if (results.dataset.query) window.__shown[results.dataset.query] = performance.now();
  }).observe(results, { attributes: true, attributeFilter: ["data-query"] });
});
"""


def grow(project: Path, total: int) -> None:
    """Add posts made of shuffled paragraphs of the real ones, up to ``total`` posts."""
    posts = [Post.read(path, project) for path in sorted((project / "posts").glob("*/*.md"))]
    paragraphs = [
        block.strip()
        for post in posts
        for block in post.source.read_text(encoding="utf-8").split("---\n", 2)[2].split("\n\n")
        if block.strip() and not block.lstrip().startswith(("#", "`", "$", ":", "[^"))
    ]
    rng = random.Random(0)
    for number in range(total - len(posts)):
        model = rng.choice(posts)
        front_matter = (
            f"title: 合成笔记 {number}\n"
            f"date: {2015 + number % 9}-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
            f"category: {model.category}\n"
            f"tags: {', '.join(model.tags)}\n"
        )
        body = "\n\n".join(rng.sample(paragraphs, k=min(6, len(paragraphs)))) + "\n"
        write_post(project, f"{2015 + number % 9}/synthetic-{number}.md", front_matter, body)


def measure(base_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        print(f"{'query':<12} {'results':>7} {'index data':>11} {'code':>9} {'conversion':>11}")
        for query in QUERIES + TRADITIONAL_QUERIES:
            page = browser.new_page()
            fetched: list[tuple[str, int]] = []
            page.on("requestfinished", lambda r: fetched.append((r.url, r.sizes()["responseBodySize"])))
            page.goto(base_url + "search.html?q=" + quote(query))
            page.wait_for_function("q => document.getElementById('search-results').dataset.query === q", arg=query)
            page.wait_for_load_state("networkidle")
            found = page.locator("#search-results .post-search-result").count()
            index = sum(size for url, size in fetched if "/pagefind/" in url and INDEX_DATA.search(url))
            code = sum(size for url, size in fetched if "/pagefind/" in url and not INDEX_DATA.search(url))
            conversion = sum(size for url, size in fetched if CONVERSION in url)
            shown = page.locator("#search-results .post-search-results__status").inner_text()
            print(f"{query:<12} {found:>7} {index:>9,} B {code:>7,} B {conversion:>9,} B   {shown}")
            page.close()

        for label, queries in (("Simplified", QUERIES), ("Traditional", TRADITIONAL_QUERIES)):
            times = time_searches(browser, base_url, queries)
            print(
                f"last key stroke -> results shown, {label} queries: first search {times[0]:.0f} ms, "
                f"then median {statistics.median(times[1:]):.0f} ms, slowest {max(times[1:]):.0f} ms "
                f"over {len(times) - 1} searches"
            )
        browser.close()


def time_searches(browser, base_url: str, queries: list[str]) -> list[float]:
    """Milliseconds from the last key stroke to the results, each query typed three times on one page."""
    page = browser.new_page()
    page.add_init_script(TIMING_SCRIPT)
    page.goto(base_url + "search.html")
    page.wait_for_load_state("networkidle")
    field = page.locator(".bd-search-container input[name=q]")
    times = []
    for query in queries * 3:
        field.fill("")
        page.evaluate("window.__shown = {}")
        field.focus()
        page.keyboard.type(query, delay=KEYSTROKE_DELAY_MS)
        page.wait_for_function("q => q in window.__shown", arg=query)
        times.append(page.evaluate("q => window.__shown[q] - window.__lastKey", query))
    page.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, help="grow a throwaway copy of the blog to this many posts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        source = PROJECT
        if args.posts:
            source = Path(temp) / "project"
            shutil.copytree(PROJECT, source, ignore=COPY_IGNORE)
            grow(source, args.posts)
        started = time.perf_counter()
        build = make_html(source, Path(temp) / "out")
        if build.returncode != 0:
            raise SystemExit(build.log)
        posts = len(list((source / "posts").glob("*/*.md")))
        index_files = [p for p in (build.html / "pagefind").rglob("*") if p.is_file() and INDEX_DATA.search(p.name)]
        print(
            f"{posts} posts: built in {time.perf_counter() - started:.0f} s; index data on disk "
            f"{sum(p.stat().st_size for p in index_files):,} B in {len(index_files)} files"
        )
        for path in sorted((build.html / "_static").glob("search-scripts*")):
            for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
                data = file.read_bytes()
                print(
                    f"conversion: {file.relative_to(build.html)} {len(data):,} B, "
                    f"{len(gzip.compress(data, compresslevel=6)):,} B compressed"
                )
        with serve(build.html) as url:
            measure(url)


if __name__ == "__main__":
    main()
