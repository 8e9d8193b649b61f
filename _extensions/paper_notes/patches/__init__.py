"""Every place where the engine reaches into another package, in one gated table.

Each row of :data:`PATCHES` replaces, wraps or rewires something a package
does not offer as an interface. Its code lives in the module named for the
package (``patches/ablog.py``, ...); the row says which exact versions it was
checked against, what it replaces, why, the upstream issue, and when it can
go. When the configuration has been read, every patch that this build
applies checks the installed version of its package: on a version nobody
checked, the build stops with one line, before the patch can break anything
quietly (a build that succeeds with a wrong site is the worst outcome).

Speed-ups (``speedup=True``) are left out with ``speedups = False`` in
conf.py (or ``-D speedups=0``): the site is then built through the packages'
own code paths, and is the same, file for file. The other patches are
features or correctness, and always apply.

A patch replaces a name with ``replacing.replace``, which also rebinds it in
every module that imported the original by name (``from x import y`` made
before the patch), so that no copy of the old function keeps running
unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from sphinx.application import Sphinx

from ..errors import Problem
from . import ablog, docutils, myst_parser, pydata_sphinx_theme, sphinx, sphinx_book_theme


@dataclass(frozen=True)
class Patch:
    package: str  # the distribution, as pip names it
    versions: tuple[str, ...]  # the exact versions it was checked against
    replaces: str
    why: str
    upstream: str
    remove_when: str
    speedup: bool
    apply: Callable[[Sphinx], None]


SPHINX = ("9.0.4",)
MYST = ("5.2.0",)
DOCUTILS = ("0.22.4",)
ABLOG = ("0.11.13",)
PYDATA = ("0.20.0",)
BOOK = ("1.4.0",)
# A patch whose problem has no upstream report yet: one to send.
NOT_FILED = "none filed"

PATCHES = (
    # -- Sphinx ----------------------------------------------------------------
    Patch(
        "sphinx", SPHINX, "BuildEnvironment.clear_doc, StandardDomain.clear_doc",
        "clearing a document never read scans every label of the project: N^2 in a clean build",
        NOT_FILED, "Sphinx clears the standard domain by document", True,
        sphinx.skip_clearing_never_read,
    ),
    Patch(
        "sphinx", SPHINX, "sphinx.util.docutils._get_settings",
        "a docutils settings parser is built anew for every document", NOT_FILED,
        "Sphinx caches its settings parser", True, sphinx.settings_parsers_once,
    ),
    Patch(
        "sphinx", SPHINX, "Builder._read_parallel, sphinx.builders.make_chunks",
        "each reading process sends back the whole environment, earlier chunks included",
        "sphinx-doc/sphinx#10779", "Sphinx merges parallel reads by document", True,
        sphinx.read_in_even_chunks,
    ),
    Patch(
        "sphinx", SPHINX, "Builder._write_parallel, sphinx.builders.ParallelTasks, sphinx.builders._write_docname",
        "parallel writing runs one process fewer than -j asks; the search indexes pages as they are written",
        "sphinx-doc/sphinx#5953", "Sphinx writes on every core and reports documents written", True,
        sphinx.write_on_every_core,
    ),
    Patch(
        "sphinx", SPHINX, "BuildEnvironment.tocs (kept pickled per document)",
        "half of the saved environment is unpickled at every build, for a handful of documents",
        NOT_FILED, "Sphinx loads the environment lazily", True,
        sphinx.lazy_tables_of_contents,
    ),
    Patch(
        "sphinx", SPHINX, "BuiltinTemplateLoader's Jinja environment (bytecode cache, no auto-reload)",
        "every template is compiled again at every build and its file checked at every include",
        NOT_FILED, "Sphinx keeps compiled templates", True, sphinx.templates_compiled_once,
    ),
    Patch(
        "sphinx", SPHINX, "sphinx.builders.html._file_checksum",
        "each asset's path is resolved again on every page before its checksum is looked up",
        NOT_FILED, "Sphinx caches checksums by name", True, sphinx.asset_checksums_once,
    ),
    Patch(
        "sphinx", SPHINX, "StandaloneHTMLBuilder.dump_inventory",
        "objects.inv is written again although no document was read", NOT_FILED,
        "Sphinx writes the inventory only when it changed", True, sphinx.inventory_kept_when_unchanged,
    ),
    # -- docutils (through Sphinx's writer) ---------------------------------------
    Patch(
        "docutils", DOCUTILS, "sphinx.writers.html.HTMLWriter.settings_default_overrides",
        "the translator looks for html4css1.css, for a part of the output Sphinx never uses",
        NOT_FILED, "Sphinx's writer names no stylesheet", True, docutils.no_stylesheet_lookup,
    ),
    # -- MyST-Parser ---------------------------------------------------------------
    Patch(
        "myst-parser", MYST, "myst_parser.mdit_to_docutils.base.get_default_settings",
        "a settings parser is built for a throwaway document at every document rendered",
        NOT_FILED, "MyST makes the throwaway document only when needed", True,
        myst_parser.settings_parsers_once,
    ),
    # -- ablog -----------------------------------------------------------------------
    Patch(
        "ablog", ABLOG, "ablog.blog.TOMORROW",
        "ablog dates 'tomorrow' by the build machine's clock, not the author's time zone",
        "none filed; nearest: abakan-zz/ablog#94", "ablog takes a time zone for publishing", False, ablog.tomorrow_in_author_zone,
    ),
    Patch(
        "ablog", ABLOG, "ablog's parallel_read_safe, env-merge-info for env.ablog_posts",
        "ablog keeps its posts in the environment without merging them back from parallel readers",
        "sunpy/ablog#297, sunpy/ablog#330", "ablog merges its environment data", False, ablog.parallel_reading,
    ),
    Patch(
        "ablog", ABLOG, "ablog.post.generate_archive_pages (handler replaced)",
        "collection pages are written by the incremental writer, and no empty drafts page",
        NOT_FILED, "ablog writes only the collection pages that changed", False,
        ablog.collection_pages_by_engine,
    ),
    Patch(
        "ablog", ABLOG, "ablog.post.generate_atom_feeds (handler replaced)",
        "ablog's feeds have an invalid xml:lang, relative links, the machine's time zone and URL IDs",
        NOT_FILED, "ablog writes valid, stable feeds", False, ablog.feeds_by_engine,
    ),
    Patch(
        "ablog", ABLOG, "ablog.blog.Blog._dict",
        "ablog keeps one Blog per process: a second build in the process sees the first one's",
        NOT_FILED, "ablog keys its Blog by application", False, ablog.fresh_blog_per_build,
    ),
    Patch(
        "ablog", ABLOG, "the doctree copy in env.ablog_posts (doctree.deepcopy, excerpt nodes' document)",
        "ablog pickles every post's whole tree into the environment beside Sphinx's own copy",
        NOT_FILED, "ablog loads the stored doctree for full-text feeds", True,
        ablog.stored_doctree_handle,
    ),
    # -- pydata-sphinx-theme ---------------------------------------------------------
    Patch(
        "pydata-sphinx-theme", PYDATA, "pydata_sphinx_theme.utils._update_and_remove_templates",
        "every template of every section is rendered twice to find out whether it is empty",
        "pydata/pydata-sphinx-theme#1609", "the theme caches its emptiness checks", True,
        pydata_sphinx_theme.skip_empty_checks,
    ),
    Patch(
        "pydata-sphinx-theme", PYDATA, "pydata_sphinx_theme.toctree.add_toctree_functions (handler wrapped)",
        "the page's contents are parsed with BeautifulSoup five times a page, the navigation for every page",
        "pydata/pydata-sphinx-theme#855, #876", "the theme caches its tables of contents", True,
        pydata_sphinx_theme.tables_of_contents_once,
    ),
    # -- sphinx-book-theme -----------------------------------------------------------
    Patch(
        "sphinx-book-theme", BOOK, "sphinx_book_theme.add_metadata_to_page (handler wrapped)",
        "the page description joins every section's text, and no template prints it",
        NOT_FILED, "the theme stops computing page_description", True,
        sphinx_book_theme.no_page_description,
    ),
)  # fmt: skip


def applied(speedups: bool) -> list[Patch]:
    return [patch for patch in PATCHES if speedups or not patch.speedup]


def unchecked_versions(patches: list[Patch]) -> list[Problem]:
    """One problem per package whose installed version its patches were not checked against."""
    problems = []
    for package in dict.fromkeys(patch.package for patch in patches):
        of_package = [patch for patch in patches if patch.package == package]
        known = of_package[0].versions
        installed = metadata.version(package)
        if installed in known:
            continue
        needed = sum(not patch.speedup for patch in of_package)
        module = package.replace("-", "_")
        without_speedups = (
            f"or build with speedups = False (-D speedups=0), which leaves all {len(of_package)} out"
            if not needed
            else f"speedups = False (-D speedups=0) leaves out {len(of_package) - needed} of its "
            f"{len(of_package)} patches, not the {needed} the site needs"
        )
        problems.append(
            Problem(
                "",
                f"{package} {installed} is installed, but the engine's patches of it "
                f"(_extensions/paper_notes/patches/{module}.py) were checked against {', '.join(known)} only; "
                f"expected {package}=={known[-1]} as requirements.txt pins it, or the patches checked against "
                f"{installed} and their table updated; {without_speedups}",
            )
        )
    return problems


def apply(app: Sphinx, patches: list[Patch]) -> None:
    for patch in patches:
        patch.apply(app)
