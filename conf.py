"""Settings of the paper-notes blog: Sphinx + MyST + sphinx-book-theme + ablog.

Code that is not configuration lives in the engine, ``_extensions/paper_notes/``,
a package whose folders are named for what the site does; this file only says
which features the site has and how they are set.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.locale import _

# The engine's folder holds one package, paper_notes, and nothing else.
sys.path.insert(0, str(Path(__file__).parent / "_extensions"))

# -- Engine ------------------------------------------------------------------

# Speed-ups (patches/ in the engine, marked speedup=True) on: False builds the
# same site through the packages' own code paths, reading and writing everything.
speedups = True

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
    "sphinxcontrib.bibtex",
    # The site's own engine, _extensions/paper_notes/: one package, wired in its __init__.py.
    "paper_notes",
    # The 404 page (sphinx-notfound-page), settings under HTML below.
    "notfound.extension",
    # A copy button on code blocks; loaded only by pages that show code (paper_notes/page_weight/scripts.py).
    "sphinx_copybutton",
]
source_suffix = {".md": "markdown"}
# Only these are sources: nothing else in the folder (a virtual environment,
# node_modules, the README, test fixtures) is ever read as a page.
include_patterns = ["index.md", "papers.md", "posts/*/*.md"]
# Folders Sphinx need not walk looking for sources: the virtual environment
# and the audit's node_modules hold tens of thousands of files.
exclude_patterns = ["_build", ".venv", ".git", "audit", "bench", "tests"]
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
# The one switch between excerpts (False) and whole posts (True) in every feed.
# Excerpts: a post is in about seven feeds (the site's, its year's, category's,
# language's and tags'), and in full text those would weigh a hundred times
# what a feed of excerpts does (README, "Incremental builds").
blog_feed_fulltext = False
# A feed holds a collection's 50 newest posts: feed readers fetch a feed again
# and again, and keep the entries they have seen.
blog_feed_length = 50
# Atom IDs are tag URIs (RFC 4151) under this fixed name and date, so that
# they stay the same whatever address or version the site is served from.
blog_feed_id_authority = "paper-notes.readthedocs.io,2026"
blog_feed_author = project
blog_languages = {"zh-CN": ("中文", None), "en": ("English", None)}
blog_default_language = "zh-CN"
# Post dates are the author's local dates; feeds give them this offset.
blog_timezone = "Asia/Shanghai"
post_date_format = "%Y年%-m月%-d日"
post_date_format_short = "%Y-%m-%d"
post_auto_excerpt = 1
# A draft (`draft: true`) or a post dated after today is left out of the build
# entirely, unless Sphinx runs with `-t preview` (make livehtml), which shows it
# marked as a draft. A post's "updated on" date comes from git.
post_show_prev_next = True
# The sidebar's archives list the newest years (the archive page, all of them).
blog_sidebar_years = 10
# Listings that show excerpts (the home page, all posts, each year, tag,
# category and language) show this many posts a page, then go on at
# <listing>/page/2.html; the archive lists every post by date and title.
blog_posts_per_page = 30
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

# -- Papers and citations (sphinxcontrib-bibtex) ------------------------------

# The one bibliography: a note names its paper with 'paper: <key>' in its front
# matter and cites any entry inline with {cite:p}`key` or {cite:t}`key`.
bibtex_bibfiles = ["papers.bib"]
bibtex_reference_style = "author_year"
# pybtex's alpha style, but titles as written (paper_notes/papers/citations.py).
bibtex_default_style = "alpha-keep-case"
# A reference list's entries are anchored by key: posts/x.html#cite-key.
bibtex_cite_id = "cite-{key}"
# Every note lists the papers it cites, so two notes citing one paper is
# normal; citations resolve to their own note first (mcmtroffaes/
# sphinxcontrib-bibtex#385). A paper listed twice in one note still warns
# (bibtex.duplicate_local_citation).
suppress_warnings = ["bibtex.duplicate_citation"]
# The page listing every paper; each note's paper card links to it.
paper_index_page = "papers"

# -- Search ------------------------------------------------------------------

# Pagefind indexes the published posts when the build has finished
# (paper_notes/search/pagefind.py): the article of each post page, its category
# and tags included, without the heading links, date and reading time; all in
# one Chinese index (one per language would hide the English posts from the
# Chinese search page).
post_search_root = "article.bd-article"
post_search_exclude = [".headerlink", ".post-meta time", ".post-reading-time"]
post_search_language = "zh-cn"
# The index is split into bundles of this many posts, by date: an edit
# indexes its bundle's posts again (Pagefind takes about 3 ms a post), not the
# whole blog, while a query fetches index chunks from every bundle, so they
# are no smaller than that.
post_search_bundle_posts = 200

# -- HTML --------------------------------------------------------------------

html_theme = "sphinx_book_theme"
# Math becomes MathML while pages are written (paper_notes/page_weight/mathml.py): no
# MathJax, no CDN request, and formulas render in excerpts and feeds too.
html_math_renderer = "mathml"
html_title = project
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
# The theme's mode switcher reads this; left empty, it logs a console error.
html_context = {"default_mode": "auto"}
html_css_files = ["blog.css", "papers.css", "search.css"]
html_js_files = [("search.js", {"defer": "defer"}), ("keyboard-focus.js", {"defer": "defer"})]
html_last_updated_fmt = None
# No general index: the notes have no index entries.
html_use_index = False
html_copy_source = False
html_show_sourcelink = False
# What search engines and link previews show (paper_notes/publishing/page_meta.py):
# posts are described by their excerpt, listings by what they list.
site_description = "论文阅读笔记：机器遗忘、隐私、对齐、可解释性、图学习与系统安全方向的论文笔记。"
site_image = "_static/social-card.png"
site_image_size = (1200, 630)
site_image_alt = "论文阅读笔记"
# Pages that are not content stay out of sitemap.xml and ask not to be indexed.
# The search page is indexed: it is one page, whatever the query (its
# canonical URL has none), and a page that asks not to be indexed fails
# Lighthouse's SEO audit.
sitemap_excluded_pages = ["404", "blog/drafts"]
# Lighthouse's SEO audit.
sitemap_excluded_pages = ["404", "blog/drafts"]
# The page served for any missing address, at any depth of URL
# (sphinx-notfound-page): its links start from the site's base path, that of
# html_baseurl. The extension's own default is the path of
# READTHEDOCS_CANONICAL_URL, or /en/latest/ without it (a local build).
notfound_urls_prefix = urlsplit(html_baseurl).path
notfound_template = "404.html"
# Translated when the page is written (locale/zh_CN/LC_MESSAGES/sphinx.po).
notfound_context = {"title": _("Page not found")}
# Old addresses of the Academic Pages site (paper_notes/publishing/redirects.py).
redirects_file = "redirects.yaml"
html_theme_options = {
    "home_page_in_toc": False,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "secondary_sidebar_items": ["page-toc"],
    "search_bar_text": "搜索笔记…",
    # No top bar: the theme would draw its own sidebar toggles there, and
    # then the article header's, the only ones shown, do nothing
    # (pydata/pydata-sphinx-theme#2451, executablebooks/sphinx-book-theme#988).
    # The search field goes back to the sidebar, where the book theme shows it
    # on wide screens; narrow ones have the article header's search button.
    "navbar_persistent": [],
    # The theme's author item would say "Author name not set".
    "footer_content_items": ["footer-feed.html"],
}
# Templates the theme need not render twice to find out that they are not
# empty (paper_notes/patches/pydata_sphinx_theme.py): they never are.
theme_skip_empty_check = [
    "navbar-logo.html",
    "sbt-sidebar-nav.html",
    "blog/sidebar.html",
    "toggle-primary-sidebar.html",
    "article-header-buttons.html",
]
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "search-button-field.html",
        "sbt-sidebar-nav.html",
        # ablog's recent posts, tag cloud, categories and archives.
        "blog/sidebar.html",
    ],
}
