"""Another Sphinx project links to posts and their sections through objects.inv.

Every post and section of the owner's site, whatever posts it holds, has a
label that leads to it; the labels' names and a second project's links are
checked on the feature tests' blog (tests/roots/test-features).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from sphinx.util.inventory import InventoryFile

from conftest import make_html, write_post

REMOTE_BASE = "https://notes.example.org/"

OTHER_PROJECT = """
Links
=====

- :ref:`notes:dpo`
- :ref:`notes:dpo-rlhf流程回顾`
- :ref:`notes:llm-graph-learning-与大模型有关的图学习技术`
- :ref:`PPO 笔记的 RLHF 部分 <notes:ppo-rlhf-recap>`
- :doc:`notes:posts/2023/dpo`
"""

EXPECTED = [
    ("DPO背景知识", "posts/2023/dpo.html#dpo"),
    ("RLHF流程回顾", "posts/2023/dpo.html#rlhf流程回顾"),
    ("与大模型有关的图学习技术", "posts/2024/llm-graph-learning.html#与大模型有关的图学习技术"),
    ("PPO 笔记的 RLHF 部分", "posts/2023/ppo.html#ppo-rlhf-recap"),
    ("DPO背景知识", "posts/2023/dpo.html"),
]


def inventory(build):
    with open(build.html / "objects.inv", "rb") as stream:
        return InventoryFile.load(stream, "", lambda base, uri: uri)


def ids_of(build, uri: str) -> tuple[str, set[str]]:
    file, _, fragment = uri.partition("#")
    page = build.page(file)
    return fragment, {tag["id"] for tag in page.select("[id]")}


@pytest.fixture(params=["owner's site", "feature tests' blog"])
def any_blog(request):
    return request.getfixturevalue("site" if request.param == "owner's site" else "features")


def test_every_post_and_every_section_of_it_has_a_label_that_points_at_it(any_blog):
    site = any_blog
    labels = inventory(site)["std:label"]
    for post in site.posts:
        slug = post.source.stem
        assert labels[slug].uri.startswith(post.html_path + "#"), slug
        article = site.page(post.html_path).select_one("article")
        for heading in article.select("section section > h2, section section > h3"):
            section = heading.parent
            # A heading's anchors: spans before it, or (an ASCII heading) the heading or section itself.
            fragment_ids = {span["id"] for span in section.find_all("span", recursive=False, id=True)}
            fragment_ids |= {tag["id"] for tag in (section, heading) if tag.get("id")}
            matching = [name for name in labels if name.startswith(slug + "-") and labels[name].uri.split("#")[1] in fragment_ids]
            assert matching, (slug, heading.get_text())
    for name, item in labels.items():
        if "#" in item.uri:
            fragment, ids = ids_of(site, item.uri)
            assert fragment in ids, (name, item.uri)


def test_no_label_depends_on_docutils_ids(any_blog):
    labels = inventory(any_blog)["std:label"]
    assert not [name for name, item in labels.items() if re.search(r"#id\d+$", item.uri)]


def test_section_labels_are_the_slug_and_the_headings_anchor(features):
    labels = inventory(features)["std:label"]
    assert labels["dpo-rlhf流程回顾"].uri == "posts/2023/dpo.html#rlhf流程回顾"
    assert labels["llm-graph-learning-与大模型有关的图学习技术"].uri == "posts/2024/llm-graph-learning.html#与大模型有关的图学习技术"


def test_a_second_sphinx_project_links_to_posts_and_sections_offline(features, tmp_path):
    site = features
    source = tmp_path / "other"
    source.mkdir()
    (source / "conf.py").write_text(
        "extensions = ['sphinx.ext.intersphinx']\n"
        f"intersphinx_mapping = {{'notes': ({REMOTE_BASE!r}, {str(site.html / 'objects.inv')!r})}}\n",
        encoding="utf-8",
    )
    (source / "index.rst").write_text(OTHER_PROJECT, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", str(source), str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((tmp_path / "out" / "index.html").read_text(encoding="utf-8"), "lxml")
    links = [(a.get_text(), a["href"]) for a in page.select("li a.reference.external")]
    assert links == [(text, REMOTE_BASE + uri) for text, uri in EXPECTED]
    for _, uri in EXPECTED:
        fragment, ids = ids_of(site, uri)
        assert not fragment or fragment in ids, uri


def test_a_section_label_that_is_already_taken_fails_the_build(features_copy, tmp_path):
    write_post(
        features_copy, "2024/label-clash.md",
        "title: 标签冲突\ndate: 2024-06-01\ncategory: 对齐\ntags: RLHF",
        "正文。\n\n(label-clash-方法)=\n段落。\n\n## 方法\n\n内容。\n",
    )
    build = make_html(features_copy, tmp_path / "out")
    assert build.returncode != 0, build.log
    assert re.search(r"posts/2024/label-clash\.md: section label 'label-clash-方法' is already used", build.log), build.log
