"""Settings of the paper-notes blog: Sphinx + MyST + sphinx-book-theme + ablog.

Code that is not configuration lives in ``_extensions/``, one small module per
feature; this file only says which features the site has and how they are set.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_extensions"))

# -- Project -----------------------------------------------------------------

project = "论文阅读笔记"
language = "zh_CN"
root_doc = "index"
# The canonical address of the published site. Read the Docs no longer injects
# one, so its environment variable wins; the default serves local builds.
html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://paper-notes.readthedocs.io/zh-cn/latest/"
)

# -- Sources -----------------------------------------------------------------

extensions = [
    "myst_parser",
    "ablog",
    # Local extensions, in _extensions/.
    "front_matter",
    "collection_urls",
    "reading_time",
    "blog_pages",
    "mathml",
    "atom_feeds",
    # Last: it takes over ablog's collection pages and feeds.
    "incremental_blog",
]
source_suffix = {".md": "markdown"}
exclude_patterns = [
    "_build",
    # A virtual environment inside the project would be read as sources.
    ".venv",
    "README.md",
    "tests",
    ".pytest_cache",
]
templates_path = ["_templates"]
# Compiled from locale/zh_CN/LC_MESSAGES/*.po at build time: Chinese strings for
# ablog, whose wheel ships .po files but no compiled .mo.
locale_dirs = ["locale"]

# -- MyST --------------------------------------------------------------------

myst_enable_extensions = ["dollarmath", "amsmath", "deflist"]
# A post's title lives in its front matter, where the owner edits it.
myst_title_to_header = True
myst_heading_anchors = 3

# -- Blog (ablog) --------------------------------------------------------------

blog_title = project
blog_path = "blog"
blog_baseurl = html_baseurl
blog_post_pattern = ["posts/*/*.md"]
blog_feed_archives = True  # an Atom feed per tag, category and year
blog_feed_fulltext = True
# The newest posts of each feed: every post's full text in each of its five to
# eight feeds would add about 100 KB to the site per post. Readers keep what
# they have already fetched.
blog_feed_length = 20
blog_languages = {"zh-CN": ("中文", None), "en": ("English", None)}
blog_default_language = "zh-CN"
# Post dates are the author's local dates; feeds give them this offset.
blog_timezone = "Asia/Shanghai"
post_date_format = "%Y年%-m月%-d日"
post_date_format_short = "%Y-%m-%d"
post_auto_excerpt = 1
post_show_prev_next = True
# pydata-sphinx-theme ships Font Awesome and flips this option during the build,
# which makes every rebuild report "config changed" and re-read every post.
fontawesome_included = True

# The taxonomy: every post has one category and a few tags from these lists.
# The key is the name shown to readers, the value the stable ASCII part of the
# page's URL (blog/category/<slug>/, blog/tag/<slug>/). Adding one is one line.
blog_categories = {
    "机器遗忘": "machine-unlearning",
    "隐私": "privacy",
    "对齐": "alignment",
    "可解释性": "interpretability",
    "图学习": "graph-learning",
    "系统安全": "systems-security",
    "示例": "samples",
}
blog_tags = {
    "机器遗忘": "machine-unlearning",
    "大语言模型": "llm",
    "知识编辑": "knowledge-editing",
    "对抗鲁棒性": "adversarial-robustness",
    "隐私": "privacy",
    "去偏": "debiasing",
    "强化学习": "reinforcement-learning",
    "RLHF": "rlhf",
    "偏好优化": "preference-optimization",
    "安全": "safety",
    "可解释性": "interpretability",
    "记忆": "memorization",
    "图神经网络": "gnn",
    "综述": "survey",
    "漏洞分析": "vulnerability-analysis",
    "访问控制": "access-control",
    "隔离": "isolation",
    "示例": "samples",
}

# Reading speed for the reading time shown beside each post.
reading_time_cjk_chars_per_minute = 400
reading_time_words_per_minute = 200

# -- HTML --------------------------------------------------------------------

html_theme = "sphinx_book_theme"
# Math becomes MathML while pages are written (_extensions/mathml.py): no
# MathJax, no CDN request, and formulas render in excerpts and feeds too.
html_math_renderer = "mathml"
html_title = project
html_static_path = ["_static"]
html_css_files = ["blog.css"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "home_page_in_toc": False,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "secondary_sidebar_items": ["page-toc"],
}
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
        "ablog/recentposts.html",
        "ablog/tagcloud.html",
        "ablog/categories.html",
        "ablog/archives.html",
    ],
}
