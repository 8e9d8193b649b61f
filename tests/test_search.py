"""Search, as a reader uses it: the built site served on 127.0.0.1, in Chromium.

A query finds the published posts whose text (the article: title, category,
tags and body) contains every word of it; titles rank first; each result
shows the title, a highlighted passage and a link to the post or its section.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from conftest import COPY_IGNORE, PROJECT, built, make_html, serve, write_post
from test_search_scripts import conversion_corpus, t2s

POST_URL = re.compile(r"/posts/\d{4}/(?P<slug>[a-z0-9-]+)\.html(?:#(?P<anchor>.+))?$")
RESULTS = "#search-results"
PAGE_FIELD = ".bd-search-container form.bd-search input[name=q]"
DIALOG_FIELD = "#pst-search-dialog input[name=q]"
UNLEARNING = {
    "adversarial-perspective-unlearning", "f-learning", "harry-potter-unlearning", "kga",
    "knowledge-unlearning-privacy", "latent-adversarial-unlearning", "llm-unlearning",
    "mechanistic-unlearning", "pcgu", "quark", "seul",
}  # fmt: skip
SAMPLES = {"blog-post-1", "blog-post-2", "blog-post-3", "blog-post-4"}

# query, posts it must return, posts it must not return
QUERY_TABLE = [
    # A Chinese word anywhere in a sentence.
    ("遗忘", UNLEARNING | {"training-dynamics"}, {"dpo", "ppo", "mnemon", "depn"}),
    ("隐私", {"privacy-preserving-llm", "depn", "knowledge-unlearning-privacy", "mnemon", "seul"}, {"kga", "dpo"}),
    ("神经元", {"depn"}, {"mechanistic-interpretability", "llm-graph-learning"}),
    ("幻觉", {"llm-graph-learning", "llm-unlearning"}, {"dpo", "seul"}),
    ("版权", {"harry-potter-unlearning", "llm-unlearning"}, {"kga", "privacy-preserving-llm"}),
    ("记忆", {"depn", "knowledge-unlearning-privacy", "seul", "training-dynamics"}, {"mnemon", "ppo"}),
    ("奖励", {"quark"}, {"dpo", "ppo", "apo"}),
    # Several Chinese words typed without spaces.
    ("机器遗忘", UNLEARNING, {"training-dynamics", "dpo", "privacy-preserving-llm"}),
    ("梯度上升", {"knowledge-unlearning-privacy"}, {"pcgu", "llm-unlearning", "dpo"}),
    ("差分隐私", {"knowledge-unlearning-privacy"}, {"privacy-preserving-llm", "depn", "seul"}),
    ("知识编辑", {"mechanistic-unlearning", "depn", "f-learning"}, {"kga", "mechanistic-interpretability"}),
    ("大语言模型", {"dro", "llm-graph-learning", "privacy-preserving-llm", "training-dynamics"}, {"adversarial-perspective-unlearning", "kga", "mnemon"}),
    ("强化学习", {"ppo", "llm-unlearning", "mechanistic-interpretability", "quark"}, {"dpo", "apo"}),
    ("图神经网络", {"mnemon", "llm-graph-learning"}, {"depn", "mechanistic-interpretability"}),
    ("访问控制", {"access-control"}, {"isolation", "vulnerability-analysis"}),
    # English terms, acronyms, names with digits or hyphens.
    ("DPO", {"dpo"}, {"ppo", "apo"}),
    ("LoRA", {"f-learning"}, {"llm-unlearning"}),
    ("RLHF", {"dpo", "ppo", "apo", "llm-unlearning"}, {"quark", "dro"}),
    ("PPO", {"ppo", "dpo", "apo", "quark"}, {"dro", "llm-unlearning"}),
    ("Llama2-7b", {"harry-potter-unlearning"}, {"llm-unlearning", "training-dynamics"}),
    # A note's paper card is part of its article: the paper's title and authors find it.
    ("Harry Potter", {"harry-potter-unlearning"}, {"llm-unlearning", "training-dynamics"}),
    ("Rafailov", {"dpo"}, {"ppo", "apo"}),
    ("llama", {"harry-potter-unlearning"}, {"llm-unlearning"}),
    ("GNN", {"llm-graph-learning"}, {"mnemon"}),
    ("SeUL", {"seul"}, {"kga"}),
    # The English sample posts sit in the same index as the Chinese ones.
    ("lorem", SAMPLES, {"dpo"}),
    ("blog post", SAMPLES, {"dpo", "llm-unlearning"}),
    # Mixed queries: every word must be in the post.
    ("LoRA 微调", {"f-learning"}, {"adversarial-perspective-unlearning", "llm-unlearning", "quark"}),
    ("PPO 奖励", {"quark"}, {"ppo", "dpo", "apo"}),
    ("版权 幻觉", {"llm-unlearning"}, {"harry-potter-unlearning", "llm-graph-learning"}),
    ("GNN 大模型", {"llm-graph-learning"}, {"mnemon"}),
    # Nothing contains these, though parts of them are indexed.
    ("量子计算", set(), UNLEARNING),
    ("Markdown", set(), {"seul"}),
    ("RLHF 量子", set(), {"dpo", "ppo", "apo", "llm-unlearning"}),
]


QUERY_TABLE_RESULTS = {query: must for query, must, _ in QUERY_TABLE}

# Queries typed in Traditional characters, or mixing them with Simplified
# ones or Latin words, and the Simplified query each one is (OpenCC's t2s).
SCRIPT_QUERIES = [
    ("機器遺忘", "机器遗忘"),
    ("反學習", "反学习"),
    ("隱私神經元", "隐私神经元"),
    ("版權", "版权"),
    ("越獄", "越狱"),
    ("圖神經網絡", "图神经网络"),
    ("知識編輯", "知识编辑"),
    ("大語言模型", "大语言模型"),
    ("差分隱私", "差分隐私"),
    ("強化學習", "强化学习"),
    ("訪問控制", "访问控制"),
    ("遺忘", "遗忘"),
    ("記憶", "记忆"),
    ("數據集", "数据集"),
    ("災難性後果", "灾难性后果"),
    ("表徵", "表征"),
    # Mixed: Traditional and Simplified characters, Latin words.
    ("機器遗忘", "机器遗忘"),
    ("LoRA 微調", "LoRA 微调"),
    ("PPO 獎勵", "PPO 奖励"),
    ("版權 幻覺", "版权 幻觉"),
    ("RLHF 對齊", "RLHF 对齐"),
    ("Llama2-7b 測試", "Llama2-7b 测试"),
    # Nothing contains these.
    ("量子計算", "量子计算"),
    ("後門", "后门"),
    ("RLHF 聯邦學習", "RLHF 联邦学习"),
]


@dataclass
class Result:
    slug: str
    anchor: str | None
    href: str
    title: str
    section: str | None
    excerpt_html: str
    marks: list[str]


@pytest.fixture(scope="module")
def post_texts(site) -> dict[str, str]:
    """Each published post's searchable text, as the reader sees it in its article, without what Pagefind skips."""
    texts = {}
    for post in site.posts:
        article = site.page(post.html_path).select_one("article.bd-article")
        for hidden in article.select(".headerlink, .post-meta time, .post-reading-time, [data-pagefind-ignore]"):
            hidden.decompose()
        texts[post.source.stem] = article.get_text(" ").lower()
    return texts


def read_results(page, container: str = RESULTS) -> list[Result]:
    while page.locator(f"{container} .post-search-results__more").count():
        shown = page.locator(f"{container} .post-search-result").count()
        page.click(f"{container} .post-search-results__more")
        page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[f"{container} .post-search-result", shown]
        )
    results = []
    for item in page.locator(f"{container} .post-search-result").all():
        link = item.locator("a.post-search-result__title")
        href = link.get_attribute("href")
        match = POST_URL.search(urlsplit(href).path + (f"#{urlsplit(href).fragment}" if urlsplit(href).fragment else ""))
        assert match, f"result link is not a post: {href}"
        section = item.locator(".post-search-result__section")
        excerpt = item.locator(".post-search-result__excerpt")
        results.append(
            Result(
                slug=match["slug"],
                anchor=match["anchor"],
                href=href,
                title=link.inner_text(),
                section=section.inner_text() if section.count() else None,
                excerpt_html=excerpt.inner_html(),
                marks=[mark.strip().lower() for mark in excerpt.locator("mark").all_inner_texts()],
            )
        )
    return results


def wait_for_query(page, query: str, container: str = RESULTS) -> None:
    page.wait_for_function(
        "([sel, q]) => document.querySelector(sel)?.dataset.query === q", arg=[container, query], timeout=10_000
    )


def search(page, query: str) -> list[Result]:
    page.fill(PAGE_FIELD, query)
    wait_for_query(page, query)
    return read_results(page)


@pytest.fixture(scope="module")
def search_page(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "search.html")
    yield page
    page.close()


@pytest.mark.parametrize(("query", "must", "must_not"), QUERY_TABLE, ids=[row[0] for row in QUERY_TABLE])
def test_query_table(search_page, post_texts, query, must, must_not):
    check_query(search_page, post_texts, query, must, must_not)


def check_query(search_page, post_texts, query, must, must_not) -> None:
    results = search(search_page, query)
    found = {result.slug for result in results}
    assert must <= found, f"{query!r} misses {must - found}"
    assert not found & must_not, f"{query!r} returns {found & must_not}"
    # Exactly the posts whose text holds every word of the query, each once.
    terms = query.lower().split()
    holding = {slug for slug, text in post_texts.items() if all(term in text for term in terms)}
    assert found == holding
    assert len(results) == len(found)
    status = search_page.inner_text(f"{RESULTS} .post-search-results__status")
    if must:
        assert f"找到 {len(found)} 篇笔记" in status
    else:
        assert status == f"没有找到包含“{query}”的笔记。"


def test_there_are_at_least_25_queries_of_every_kind():
    assert len(QUERY_TABLE) >= 25
    assert len([row for row in QUERY_TABLE if not row[1]]) >= 2


@pytest.mark.parametrize(("query", "first"), [("隐私", "privacy-preserving-llm"), ("PPO", "ppo"), ("哈利波特", "harry-potter-unlearning")])
def test_a_post_with_the_query_in_its_title_ranks_first(search_page, query, first):
    results = search(search_page, query)
    assert results[0].slug == first
    assert query.lower() in results[0].title.lower()
    assert all(query.lower() not in result.title.lower() for result in results[1:])


def test_a_result_shows_title_highlighted_passage_and_links_to_the_section(site, search_page, served_site):
    results = search(search_page, "RLHF")
    dpo = next(result for result in results if result.slug == "dpo")
    assert dpo.title == "DPO背景知识"
    assert dpo.marks and set(dpo.marks) == {"rlhf"}
    # The match is in the section "RLHF流程回顾": the link goes to it.
    assert dpo.section == "RLHF流程回顾"
    assert dpo.anchor
    target = site.page("posts/2023/dpo.html").find(id=dpo.anchor)
    assert target is not None and target.name == "h2" and "RLHF流程回顾" in target.get_text()
    # Every result shows a passage with the match highlighted.
    assert all(result.marks and all("rlhf" in mark for mark in result.marks) for result in results)
    # The link works from the served site.
    search_page.click(f"{RESULTS} a[href='{dpo.href}']")
    search_page.wait_for_url(re.compile(r"/posts/2023/dpo\.html#"))
    assert search_page.locator(f"#{dpo.anchor}").is_visible()
    search_page.goto(served_site + "search.html")


def test_a_result_without_a_section_links_to_the_post(search_page):
    (result,) = search(search_page, "梯度上升")
    assert result.anchor is None and result.section is None
    assert "".join(result.marks) == "梯度上升"


def test_search_address_shows_the_results_when_opened_directly(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "search.html?q=" + quote("差分隐私"))
    wait_for_query(page, "差分隐私")
    assert page.input_value(PAGE_FIELD) == "差分隐私"
    assert [result.slug for result in read_results(page)] == ["knowledge-unlearning-privacy"]
    # Typing keeps the address in step, for bookmarks.
    page.fill(PAGE_FIELD, "LoRA 微调")
    wait_for_query(page, "LoRA 微调")
    assert "q=LoRA+%E5%BE%AE%E8%B0%83" in page.url or "q=LoRA%20%E5%BE%AE%E8%B0%83" in page.url
    page.close()


def test_an_empty_search_address_shows_no_results(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "search.html")
    page.wait_for_load_state("networkidle")
    assert page.locator(f"{RESULTS} .post-search-result").count() == 0
    assert page.locator(f"{RESULTS} .post-search-results__status").count() == 0
    page.close()


def open_dialog_and_search(page, query: str) -> list[Result]:
    page.wait_for_selector("#pst-search-dialog[open]")
    page.keyboard.type(query)
    wait_for_query(page, query, "#pst-search-dialog .post-search-results")
    return read_results(page, "#pst-search-dialog .post-search-results")


def test_the_header_search_button_opens_a_search_with_results_as_you_type(browser, served_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served_site + "posts/2023/ppo.html")
    button = page.locator(".search-button__button:visible").first
    button.click()
    results = open_dialog_and_search(page, "知识编辑")
    assert {result.slug for result in results} == {"mechanistic-unlearning", "depn", "f-learning"}
    assert page.locator("#pst-search-dialog .post-search-result").first.is_visible()
    # Enter opens the search page for the same query.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q="))
    wait_for_query(page, "知识编辑")
    assert {result.slug for result in read_results(page)} == {"mechanistic-unlearning", "depn", "f-learning"}
    page.close()


def test_ctrl_k_opens_the_search(browser, served_site, post_texts):
    page = browser.new_page()
    page.goto(served_site + "index.html")
    page.keyboard.press("Control+k")
    results = open_dialog_and_search(page, "DPO")
    # The note titled DPO first; any other note that says DPO after it.
    assert results[0].slug == "dpo"
    assert {result.slug for result in results} == holding_every_word(post_texts, "DPO")
    page.close()


def test_search_works_on_a_phone_sized_screen(browser, served_site, post_texts):
    context = browser.new_context(viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(served_site + "posts/2024/kga.html")
    button = page.locator(".bd-header-article .search-button")
    assert button.is_visible()
    button.tap()
    results = open_dialog_and_search(page, "梯度上升")
    assert {result.slug for result in results} == holding_every_word(post_texts, "梯度上升")
    first = page.locator("#pst-search-dialog .post-search-result").first
    box = first.bounding_box()
    assert first.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 412
    # The phone's search page works too.
    page.goto(served_site + "search.html?q=RLHF")
    wait_for_query(page, "RLHF")
    assert {result.slug for result in read_results(page)} == {"dpo", "ppo", "apo", "llm-unlearning"}
    context.close()


def index_requests(page) -> list[str]:
    """What the page fetches for searching: the index, Pagefind, the conversion of Traditional characters."""
    requested = []
    searching = re.compile(r"/pagefind/|/_static/search-scripts")
    page.on("request", lambda request: requested.append(request.url) if searching.search(request.url) else None)
    return requested


@pytest.mark.parametrize("pagename", ["index.html", "posts/2023/dpo.html", "posts/2012/blog-post-1.html", "blog/tag/rlhf.html"])
def test_a_page_loads_no_index_data_until_the_reader_searches(browser, served_site, pagename):
    page = browser.new_page()
    requested = index_requests(page)
    other_hosts = []
    page.on("request", lambda r: other_hosts.append(r.url) if not r.url.startswith((served_site, "data:")) else None)
    page.goto(served_site + pagename)
    page.wait_for_load_state("networkidle")
    assert requested == []
    # Opening the search fetches it, and the search works from every page,
    # the English ones (<html lang="en">) included.
    page.keyboard.press("Control+k")
    results = open_dialog_and_search(page, "隐私")
    assert {result.slug for result in results} == QUERY_TABLE_RESULTS["隐私"]
    assert any(url.endswith(".pf_meta") for url in requested)
    assert other_hosts == []
    page.close()


@pytest.fixture(scope="module")
def simplified_post_texts(post_texts) -> dict[str, str]:
    """Each post's searchable text in Simplified characters (by OpenCC's own library)."""
    return {slug: t2s(text) for slug, text in post_texts.items()}


def holding_every_word(texts: dict[str, str], query: str) -> set[str]:
    """The posts whose text holds every word of ``query`` converted to Simplified characters."""
    terms = t2s(query).lower().split()
    return {slug for slug, text in texts.items() if all(term in text for term in terms)}


def test_the_script_queries_are_traditional_and_mixed_and_some_find_nothing(post_texts):
    assert len(SCRIPT_QUERIES) >= 20
    for query, simplified in SCRIPT_QUERIES:
        assert query != simplified and t2s(query) == simplified
    found = [holding_every_word(post_texts, simplified) for _, simplified in SCRIPT_QUERIES]
    assert len([posts for posts in found if posts]) >= 15 and len([posts for posts in found if not posts]) >= 2


@pytest.mark.parametrize(("query", "simplified"), SCRIPT_QUERIES, ids=[row[0] for row in SCRIPT_QUERIES])
def test_a_query_in_either_script_finds_what_its_simplified_form_finds(
    search_page, simplified_post_texts, query, simplified
):
    results = search(search_page, query)
    # Exactly the posts whose text holds every word, both in Simplified characters.
    found = {result.slug for result in results}
    assert found == holding_every_word(simplified_post_texts, query)
    assert len(results) == len(found)
    status = search_page.inner_text(f"{RESULTS} .post-search-results__status")
    assert status == (f"找到 {len(found)} 篇笔记" if found else f"没有找到包含“{query}”的笔记。")
    # The same ranking, links, passages and highlighting as the Simplified query.
    assert search(search_page, simplified) == results


def test_the_browser_converts_as_opencc_does(search_page):
    texts = list(conversion_corpus())
    converted = search_page.evaluate(
        """async (texts) => {
          const scripts = await import(new URL("_static/search-scripts.js", document.baseURI).href);
          return Promise.all(texts.map(scripts.toSimplified));
        }""",
        texts,
    )
    assert converted == [t2s(text) for text in texts]


def test_the_tables_are_fetched_only_for_a_query_that_needs_them(browser, served_site):
    page = browser.new_page()
    requested = index_requests(page)
    page.goto(served_site + "posts/2023/dpo.html")
    page.keyboard.press("Control+k")
    results = open_dialog_and_search(page, "知识编辑 LoRA")
    assert [result.slug for result in results] == ["f-learning"]
    scripts = [url.rsplit("/", 1)[1] for url in requested if "/search-scripts" in url]
    assert scripts == ["search-scripts.js", "traditional.json"]
    # The dialog converts too; the tables come once, from this site.
    page.fill(DIALOG_FIELD, "")
    for query, expected in (("知識編輯", {"mechanistic-unlearning", "depn", "f-learning"}), ("LoRA 微調", {"f-learning"})):
        page.fill(DIALOG_FIELD, query)
        wait_for_query(page, query, "#pst-search-dialog .post-search-results")
        assert {result.slug for result in read_results(page, "#pst-search-dialog .post-search-results")} == expected
    tables = [url for url in requested if re.search(r"/_static/search-scripts/t2s-[0-9a-f]+\.json$", url)]
    assert len(tables) == 1 and tables[0].startswith(served_site)
    page.close()


def test_a_traditional_search_address_shows_the_results(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "search.html?q=" + quote("差分隱私"))
    wait_for_query(page, "差分隱私")
    # The field and the address keep what the reader typed.
    assert page.input_value(PAGE_FIELD) == "差分隱私"
    (result,) = read_results(page)
    assert result.slug == "knowledge-unlearning-privacy" and "".join(result.marks) == "差分隐私"
    page.close()


def bundles(html: Path) -> dict[str, dict]:
    """The search index's bundles, newest first, by name: each one's Pagefind entry file."""
    index = html / "pagefind"
    names = [name.rstrip("/") for name in json.loads((index / "shards.json").read_text(encoding="utf-8"))["bundles"]]
    assert sorted(path.name for path in index.iterdir()) == sorted([*names, "shards.json"])
    return {name: json.loads((index / name / "pagefind-entry.json").read_text(encoding="utf-8")) for name in names}


def test_the_index_holds_exactly_the_published_posts_in_one_bundle(site):
    (name, entry), *others = bundles(site.html).items()
    assert others == [] and name == "001"
    assert list(entry["languages"]) == ["zh-cn"]
    assert entry["languages"]["zh-cn"]["page_count"] == len(site.posts)
    # Sphinx's own index is not built, and no page loads it.
    assert not (site.html / "searchindex.js").exists()
    for pagename in ("index.html", "search.html", "posts/2023/dpo.html"):
        scripts = [script.get("src", "") for script in site.page(pagename).select("script")]
        assert not [src for src in scripts if "searchindex" in src or "searchtools" in src]


# The same site with its index split into bundles of 5 posts (the site's own
# setting makes one bundle of its 28 posts).
SMALL_BUNDLES = {"SPHINXOPTS": "-n -W --keep-going -D post_search_bundle_posts=5"}


@pytest.fixture(scope="module")
def split_index_site(tmp_path_factory):
    return built(PROJECT, tmp_path_factory.mktemp("split-index"), SMALL_BUNDLES)


@pytest.fixture(scope="module")
def split_index_search_page(browser, split_index_site):
    with serve(split_index_site.html) as url:
        page = browser.new_page()
        page.goto(url + "search.html")
        yield page
        page.close()


def test_a_split_index_is_bundles_of_the_bundle_size_from_the_oldest_post(split_index_site):
    found = bundles(split_index_site.html)
    assert list(found) == ["006", "005", "004", "003", "002", "001"]
    counts = [entry["languages"]["zh-cn"]["page_count"] for entry in found.values()]
    assert counts == [len(split_index_site.posts) - 25, 5, 5, 5, 5, 5]
    # Only the newest bundle carries Pagefind's code, which searches them all.
    index = split_index_site.html / "pagefind"
    assert [name for name in found if (index / name / "pagefind.js").is_file()] == ["006"]


@pytest.mark.parametrize(("query", "must", "must_not"), QUERY_TABLE, ids=[row[0] for row in QUERY_TABLE])
def test_a_split_index_finds_what_one_bundle_finds(split_index_search_page, post_texts, query, must, must_not):
    check_query(split_index_search_page, post_texts, query, must, must_not)


def test_a_bundle_size_that_is_not_a_positive_number_fails_the_build(tmp_path):
    build = make_html(PROJECT, tmp_path / "out", {"SPHINXOPTS": "-n -W --keep-going -D post_search_bundle_posts=0"})
    assert build.returncode != 0
    assert "ERROR: post_search_bundle_posts is 0; expected a positive whole number" in build.log


def test_headings_of_a_post_carry_their_section_id(site):
    article = site.page("posts/2024/llm-graph-learning.html").select_one("article")
    # The note's own sections, not the lists of other notes after it.
    headings = [h2 for h2 in article.select("section > h2") if not h2.find_parent(class_="note-relations")]
    assert headings and all(heading.get("id") for heading in headings)
    for heading in headings:
        assert article.select(f"a.headerlink[href='#{heading['id']}']")


DRAFT = """
title: 未发表的草稿
date: 2099-01-01
category: 对齐
tags: RLHF
"""
NEW_POST = """
title: 新笔记
date: 2024-12-20
category: 对齐
tags: RLHF
"""


def test_drafts_and_deleted_posts_are_not_indexed_and_text_stays_text(browser, project_copy, tmp_path):
    write_post(project_copy, "2099/future-draft.md", DRAFT, "草稿里的独有词语紫罗兰星云。\n")
    new_post = write_post(
        project_copy, "2024/new-note.md", NEW_POST, "新笔记里的独有词语琥珀回廊,代码 `<img src=x onerror=alert(1)>`。\n"
    )
    outdir = tmp_path / "out"
    build = built(project_copy, outdir)
    page = browser.new_page()
    with serve(build.html) as url:
        page.goto(url + "search.html?q=" + quote("琥珀回廊"))
        wait_for_query(page, "琥珀回廊")
        (result,) = read_results(page)
        assert result.slug == "new-note"
        # Markup in a post's text is shown as text in the excerpt.
        excerpt = page.locator(".post-search-result__excerpt")
        assert excerpt.locator("img").count() == 0
        assert "<img src=x" in excerpt.inner_text()
        page.fill(PAGE_FIELD, "紫罗兰星云")
        wait_for_query(page, "紫罗兰星云")
        assert read_results(page) == []
    # Delete the post and build again into the same folder, where its old
    # page may stay: the index forgets it.
    new_post.unlink()
    build = built(project_copy, outdir)
    with serve(build.html) as url:
        page.goto(url + "search.html?q=" + quote("琥珀回廊"))
        wait_for_query(page, "琥珀回廊")
        assert read_results(page) == []
    page.close()


def test_search_works_under_a_path_prefix_as_on_read_the_docs(browser, site):
    page = browser.new_page()
    with serve(site.html, prefix="/zh-cn/latest/") as url:
        page.goto(url + "zh-cn/latest/posts/2024/kga.html")
        page.keyboard.press("Control+k")
        results = open_dialog_and_search(page, "DPO")
        # The note titled DPO first, at the site's path.
        assert results[0].href == "/zh-cn/latest/posts/2023/dpo.html"
        page.click("#pst-search-dialog a.post-search-result__title")
        page.wait_for_url(url + "zh-cn/latest/posts/2023/dpo.html")
        assert page.locator("article h1").inner_text().startswith("DPO背景知识")
    page.close()


# A note written in Traditional characters, in a copy of the blog: a
# Simplified query finds it too, and its title shows as written.
TRADITIONAL_NOTE = """
title: 繁體字寫成的機器遺忘筆記
date: 2024-12-22
category: 机器遗忘
tags: 机器遗忘, 隐私
"""
TRADITIONAL_BODY = """這篇筆記以繁體字寫成：大語言模型的機器遺忘與隱私，琉璃燈塔。

## 實驗結果

乾隆年間的實驗之後，頭髮乾淨的研究者發現了琥珀迴廊。
"""
TRADITIONAL_TITLE = "繁體字寫成的機器遺忘筆記"


@pytest.fixture(scope="module")
def traditional_note_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("traditional-note")
    shutil.copytree(PROJECT, root / "project", ignore=COPY_IGNORE)
    write_post(root / "project", "2024/traditional-note.md", TRADITIONAL_NOTE, TRADITIONAL_BODY)
    return built(root / "project", root / "out")


@pytest.fixture(scope="module")
def traditional_note_search_page(browser, traditional_note_site):
    with serve(traditional_note_site.html) as url:
        page = browser.new_page()
        page.goto(url + "search.html")
        yield page
        page.close()


@pytest.fixture(scope="module")
def traditional_note_texts(traditional_note_site) -> dict[str, str]:
    texts = {}
    for post in traditional_note_site.posts:
        article = traditional_note_site.page(post.html_path).select_one("article.bd-article")
        for hidden in article.select(".headerlink, .post-meta time, .post-reading-time, [data-pagefind-ignore]"):
            hidden.decompose()
        texts[post.source.stem] = t2s(article.get_text(" ").lower())
    return texts


@pytest.mark.parametrize(
    "query",
    [
        # Simplified, Traditional, mixed: one note.
        "琉璃灯塔", "琉璃燈塔", "琉璃灯塔 LoRA", "实验结果", "實驗結果",
        # One Traditional character, several Simplified ones: phrases first.
        "干净", "乾淨", "乾隆", "干隆", "头发", "頭髮", "之后", "之後",
        # Words of the other notes too.
        "机器遗忘", "機器遺忘", "隐私", "大语言模型",
    ],
)  # fmt: skip
def test_a_note_in_traditional_characters_is_found_in_either_script(
    traditional_note_search_page, traditional_note_texts, query
):
    results = search(traditional_note_search_page, query)
    found = {result.slug for result in results}
    assert found == holding_every_word(traditional_note_texts, query)
    assert len(results) == len(found)
    if query in ("琉璃灯塔", "琉璃燈塔", "干净", "乾淨", "乾隆", "头发", "頭髮", "机器遗忘"):
        assert "traditional-note" in found
    if query == "干隆":
        # 乾隆 is a name: OpenCC keeps its 乾, in the note and in a query.
        assert "traditional-note" not in found


def test_a_note_in_traditional_characters_shows_its_own_title_and_links_to_its_sections(
    traditional_note_site, traditional_note_search_page
):
    (result,) = search(traditional_note_search_page, "琉璃灯塔")
    assert result.slug == "traditional-note" and result.title == TRADITIONAL_TITLE
    assert "".join(result.marks) == "琉璃灯塔"
    (result,) = search(traditional_note_search_page, "琥珀回廊")
    assert result.title == TRADITIONAL_TITLE and result.anchor
    # The section's id is the page's own, as written.
    target = traditional_note_site.page("posts/2024/traditional-note.html").find(id=result.anchor)
    assert target is not None and target.name == "h2" and "實驗結果" in target.get_text()
    # Its passage is shown as indexed, in Simplified characters.
    assert "".join(result.marks) == "琥珀回廊"
    # The page itself is as written.
    html = (traditional_note_site.html / "posts/2024/traditional-note.html").read_text(encoding="utf-8")
    assert "琥珀迴廊" in html and "琥珀回廊" not in html
