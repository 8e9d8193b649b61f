"""The authoring guide in README.md: its example post builds, and its lists are conf.py's.

The example is published in a copy of the feature tests' blog
(tests/roots/test-features), which has the posts and labels it links to.
"""

from __future__ import annotations

import re
import shutil
import sys

import pytest

from conftest import PROJECT, built, copy_root
from site_urls import resolve
from test_build import WARNING

sys.path.insert(0, str(PROJECT / "_extensions"))
from paper_notes.posts.front_matter import read_settings  # noqa: E402

README = (PROJECT / "README.md").read_text(encoding="utf-8")
GUIDE = README[README.index("## Writing a post"):]
EXAMPLE = re.search(r"^````markdown\n(.*?)^````$", GUIDE, re.S | re.M).group(1)
PAGE = "posts/2024/guide-example.html"


def test_the_guide_shows_the_three_commands():
    commands = re.search(r"```sh\n(.*?)```", GUIDE, re.S).group(1)
    assert [line.split()[:2] for line in commands.splitlines()] == [["make", "post"], ["make", "livehtml"], ["make", "check"]]


def test_the_guide_lists_only_the_taxonomy_of_conf_py_in_its_order():
    """The guide's lists ("today they are") name no category or tag that conf.py lacks.

    A new one is a line in conf.py; the guide may list it later.
    """
    settings = read_settings(PROJECT)
    for key, setting in (("categories", "blog_categories"), ("tags", "blog_tags")):
        line = re.search(rf"^  - {key}: (.*?)(?=^  - |^- )", GUIDE, re.S | re.M).group(1)
        listed = [name.strip() for name in line.split(",")]
        assert listed, key
        assert [name for name in settings[setting] if name in listed] == listed, key


def test_the_example_post_is_a_draft():
    assert re.search(r"^draft: true$", EXAMPLE, re.M)


@pytest.fixture(scope="module")
def guide_site(tmp_path_factory):
    """The example, published as the guide says (its draft line removed), in a copy of the blog."""
    project = copy_root("features", tmp_path_factory.mktemp("guide") / "p")
    # Images are files of the blog's _static folder, as the guide says: the project's.
    shutil.copytree(PROJECT / "_static", project / "_static")
    (project / "posts/2024/guide-example.md").write_text(EXAMPLE.replace("draft: true\n", ""), encoding="utf-8")
    build = built(project, tmp_path_factory.mktemp("guide-out"))
    return build


def test_the_example_post_builds_with_no_warning(guide_site):
    assert not WARNING.findall(guide_site.log), guide_site.log


def test_the_example_post_renders_every_feature(guide_site):
    article = guide_site.page(PAGE).select_one("article")
    assert article.select("p math") and article.select(".math-display math[display=block]")
    footnote = article.select_one("a.footnote-reference")
    assert article.find(id=footnote["href"].lstrip("#"))
    assert article.select_one("div.highlight-python pre")
    image = article.select_one("img")
    assert image["alt"] == "RLHF 与 DPO 的训练流程"
    assert (guide_site.html / resolve(PAGE, image["src"])).is_file()
    links = {resolve(PAGE, a["href"]) for a in article.select("a.reference.internal")}
    # ablog labels a post by its slug, on the post's top section.
    assert {"posts/2023/dpo.html#dpo", "posts/2023/ppo.html#ppo-rlhf-recap"} <= links
    assert guide_site.page("posts/2023/dpo.html").find(id="dpo")
    assert article.find(id="dpo-vs-rlhf-loss")


def test_the_example_excerpt_is_its_first_paragraph(guide_site):
    home = guide_site.page("index.html")
    entry = next(e for e in home.select(".blog-entry") if e.a.get_text() == "DPO 与 RLHF 的流程对比")
    assert entry.select_one(".blog-entry-excerpt").get_text(strip=True).startswith("第一段是摘要")
