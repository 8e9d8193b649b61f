"""Costs of Sphinx 9.0 and MyST that need not be paid for every post.

- Before reading a document, Sphinx has every domain forget what it recorded
  about it. The standard domain looks through every label, term and object
  of the project to find the document's (``StandardDomain.clear_doc``), so a
  clean build of N posts, each with its section labels, spends time in N
  times N (3 s of a 1,000-post build here). A document that was never read
  has nothing recorded: for it the standard domain only makes sure that its
  tables exist, as its ``clear_doc`` does, and does not look through them.
- For every document Sphinx builds docutils' settings parser anew (reading
  the docutils configuration files again), and MyST builds a second one for a
  throwaway document (``options.get("document", make_document())`` makes it
  even when the document is given). A settings parser depends only on the
  components and defaults it is made for: each is made once, and every
  document gets fresh settings from it, as before.
- Reading in parallel (``-j``), Sphinx forks a process for each chunk of
  about sqrt(10 N / processes) documents, and each process sends the whole
  environment back, what earlier chunks merged into it included: the main
  process spent 6 of a 1,000-post build's 15 s of reading unpickling them.
  Here each process reads an equal share, all forked before any merged. And
  Sphinx 9 reads and writes in parallel even one changed document: reading,
  its environment travels back (0.8 s at 1,000 posts); writing, a process is
  forked for it. A few documents are read and written in the main process.
  As documents are written (one by one, or a parallel chunk at a time),
  the ``documents-written`` event names them, in the main process: the
  search bundle of the posts written is made while the next posts are written.
- Writing in parallel, Sphinx runs one process fewer than ``-j`` asks, since
  the main process resolves each document before handing it over
  (sphinx-doc/sphinx#5953, #10779). On 2 cores, one process wrote every
  page, and the main process, whose resolving is a fifth of that work, left
  a core idle most of the time. Here as many processes write as ``-j``
  gives: a clean build of 1,000 posts took 19.9-22.4 s instead of
  23.2-27.4 s (four runs of each, in turn).
- Every build starts by unpickling the environment, and half of it is the
  tables of contents of all documents (``env.tocs``), of which a rebuild
  uses a handful. They stay pickled, document by document, until one is
  used (a rebuild with nothing to do loaded the environment in 0.7 s, now
  in 0.3 s at 1,000 posts).
- Jinja compiles every template again at every build; its bytecode cache,
  beside the environment, keeps each template's code with its source's
  checksum. And for every template a page includes, Jinja looked at the
  file's modification time, in case it changed while the build ran (0.4 s
  of CPU for 1,000 posts): templates are read once per build now, as a
  change to one starts another build anyway.
- For every asset a page links, Sphinx resolves the file's path (a system
  call for every folder in it) before looking up its checksum, which it
  keeps for the build: 0.5 s of CPU for 1,000 posts. The checksum is now
  kept by the name the page gives, for the build too.
- docutils' HTML translator, made for every page, title and table of
  contents rendered, looks for its default stylesheet in the stylesheet
  folders (0.5 s of CPU for 1,000 posts), for a part of its output that
  Sphinx never uses: its writer now names no stylesheet.
- Python's cyclic garbage collector, with its default thresholds, ran 9,291
  times and took 6 of the 32 s of a serial clean build of 1,000 posts: a
  build makes millions of small objects (docutils nodes) that live long. It
  now runs when 100,000 more objects than were freed have been made, not 700
  (68 collections, 2.3 s; 5 % more peak memory). And when the process
  exits, Python's last collection walked every object the build made: 2.7 s
  after "build succeeded" at 1,000 posts. They are frozen at exit instead,
  out of that collection's reach (the process frees its memory as it ends).
"""

from __future__ import annotations

import atexit
import functools
import gc
import pickle
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from docutils.frontend import OptionParser, Values
from myst_parser.mdit_to_docutils import base as myst_renderer
from sphinx import builders as sphinx_builders
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders import html as html_builder
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.util import docutils as sphinx_docutils
from sphinx.util.parallel import ParallelTasks
from sphinx.writers.html import HTMLWriter

NEVER_READ = "_clearing_a_document_never_read"


def note_never_read(original):
    @functools.wraps(original)
    def clear_doc(self: BuildEnvironment, docname: str) -> None:
        # A document is named in all_docs once it has been read (and domains
        # record it only while it is read); clear_doc forgets it there first.
        setattr(self, NEVER_READ, docname not in self.all_docs)
        try:
            original(self, docname)
        finally:
            setattr(self, NEVER_READ, False)

    return clear_doc


def skip_scan_if_never_read(original):
    @functools.wraps(original)
    def clear_doc(self: StandardDomain, docname: str) -> None:
        if getattr(self.env, NEVER_READ, False):
            # Reading the tables creates those missing, as the full clear_doc
            # does: merging the parallel readers' data expects them.
            _ = (self.progoptions, self.objects, self._terms, self.labels, self.anonlabels)
            return
        original(self, docname)

    return clear_doc


def settings_key(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool, type(None))) else id(value)


# Settings parsers by what they were made for. A parser keeps its defaults,
# so the objects whose id is in a key stay alive while it is here.
SETTINGS_PARSERS: dict[tuple, OptionParser] = {}


def settings(*components, defaults: Mapping[str, Any] | None = None, read_config_files: bool = False) -> Values:
    """Sphinx's ``_get_settings``: fresh default settings, from a parser made once."""
    defaults = dict(defaults or {})
    classes = tuple(component if isinstance(component, type) else type(component) for component in components)
    key = (classes, read_config_files, tuple(sorted((name, settings_key(value)) for name, value in defaults.items())))
    with warnings.catch_warnings(action="ignore", category=DeprecationWarning):
        if key not in SETTINGS_PARSERS:
            SETTINGS_PARSERS[key] = OptionParser(
                components=components, defaults=defaults, read_config_files=read_config_files
            )
        return SETTINGS_PARSERS[key].get_default_values()


def even_chunks(arguments: list, nproc: int, maxbatch: int = 10) -> list[list]:
    """One chunk of about the same size per process."""
    size = max(1, -(-len(arguments) // nproc))
    return [arguments[start : start + size] for start in range(0, len(arguments), size)]


# Below this many documents to read or write, doing it in the main process
# costs less than forking processes (and, reading, sending the environment back).
PARALLEL_FROM = 50


def serial_below_parallel_from(original, serial: str, name: str, replacement):
    """``Builder._read_parallel`` or ``_write_parallel``: in the main process below
    PARALLEL_FROM documents; else with ``sphinx.builders.<name>``, which it looks
    up when it runs, replaced by ``replacement(builder)`` meanwhile."""
    kept = getattr(sphinx_builders, name)

    @functools.wraps(original)
    def run(self, docnames: list[str], nproc: int) -> None:
        if len(docnames) < PARALLEL_FROM:
            getattr(self, serial)(docnames)
            return
        setattr(sphinx_builders, name, replacement(self))
        try:
            original(self, docnames, nproc)
        finally:
            setattr(sphinx_builders, name, kept)

    return run


class ReportingTasks(ParallelTasks):
    """Sphinx's parallel writers, emitting ``documents-written`` as each chunk is done."""

    def __init__(self, events, nproc: int) -> None:
        super().__init__(nproc)
        self.events = events

    def add_task(self, task_func, arg=None, result_func=None) -> None:
        def done(chunk, result) -> None:
            if result_func is not None:
                result_func(chunk, result)
            self.events.emit("documents-written", [docname for docname, _ in chunk])

        super().add_task(task_func, arg, done)


def write_on_every_core(original):
    """``Builder._write_parallel`` with a writing process for each of ``-j``'s cores."""

    @functools.wraps(original)
    def _write_parallel(self, docnames: list[str], nproc: int) -> None:
        original(self, docnames, self._app.parallel)

    return _write_parallel


def report_written(original):
    @functools.wraps(original)
    def _write_docname(docname: str, /, *, env: BuildEnvironment, builder: Builder, tags) -> None:
        original(docname, env=env, builder=builder, tags=tags)
        builder.events.emit("documents-written", [docname])

    return _write_docname


class LazyTocs(dict):
    """``env.tocs``: each document's table of contents, unpickled when first used.

    Sphinx, its collectors and the themes use it by key only
    (``tocs[docname]``, ``in``, ``pop``), which is what loads a value here.
    """

    def __getitem__(self, docname: str):
        value = super().__getitem__(docname)
        if isinstance(value, bytes):
            value = pickle.loads(value)
            super().__setitem__(docname, value)
        return value

    def get(self, docname: str, default=None):
        return self[docname] if docname in self else default

    def pop(self, docname: str, *default):
        value = super().pop(docname, *default)
        return pickle.loads(value) if isinstance(value, bytes) else value

    def values(self):
        return [self[docname] for docname in self]

    def items(self):
        return [(docname, self[docname]) for docname in self]

    def __reduce__(self):
        pickled = (
            (docname, value if isinstance(value, bytes) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            for docname, value in dict.items(self)
        )
        return LazyTocs, (), None, None, pickled


def lazy_tocs(app: Sphinx) -> None:
    if not isinstance(app.env.tocs, LazyTocs):
        app.env.tocs = LazyTocs(app.env.tocs)


def compiled_templates_kept(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if isinstance(getattr(templates, "environment", None), jinja2.Environment):
        folder = Path(app.doctreedir) / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        templates.environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        templates.environment.auto_reload = False


# gc.set_threshold: allocations between young collections, and how many of
# those between older ones.
GC_THRESHOLDS = (100_000, 100, 1000)


def setup(app: Sphinx) -> dict:
    gc.set_threshold(*GC_THRESHOLDS)
    if not hasattr(BuildEnvironment.clear_doc, "__wrapped__"):
        BuildEnvironment.clear_doc = note_never_read(BuildEnvironment.clear_doc)
        StandardDomain.clear_doc = skip_scan_if_never_read(StandardDomain.clear_doc)
        sphinx_docutils._get_settings = settings
        myst_renderer.get_default_settings = settings
        # Reading in even chunks; writing on every core, reporting each chunk written.
        Builder._read_parallel = serial_below_parallel_from(
            Builder._read_parallel, "_read_serial", "make_chunks", lambda builder: even_chunks
        )
        Builder._write_parallel = serial_below_parallel_from(
            write_on_every_core(Builder._write_parallel),
            "_write_serial",
            "ParallelTasks",
            lambda builder: functools.partial(ReportingTasks, builder.events),
        )
        sphinx_builders._write_docname = report_written(sphinx_builders._write_docname)
        atexit.register(gc.freeze)
        html_builder._file_checksum = functools.cache(html_builder._file_checksum)
        HTMLWriter.settings_default_overrides = {**HTMLWriter.settings_default_overrides, "stylesheet_path": ""}
    # The documents just written, by name, in the main process (post_search.py).
    app.add_event("documents-written")
    app.connect("builder-inited", lazy_tocs)
    app.connect("builder-inited", compiled_templates_kept)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
