"""Sphinx 9.0's costs that need not be paid for every post (each a speed-up in ``PATCHES``).

- Before reading a document, Sphinx has every domain forget what it recorded
  about it. The standard domain looks through every label, term and object
  of the project to find the document's (``StandardDomain.clear_doc``), so a
  clean build of N posts, each with its section labels, spends time in N
  times N. A document that was never read has nothing recorded: for it the
  standard domain only makes sure that its tables exist, as its
  ``clear_doc`` does, and does not look through them.
- For every document Sphinx builds docutils' settings parser anew, reading
  the docutils configuration files again: each parser is made once
  (``docutils.cached_default_settings``).
- Reading in parallel (``-j``), Sphinx forks a process for each chunk of
  about sqrt(10 N / processes) documents, and each process sends the whole
  environment back, what earlier chunks merged into it included. Here each
  process reads an equal share, all forked before any merged. And Sphinx 9
  reads and writes in parallel even one changed document: a few documents
  are read and written in the main process.
- Writing in parallel, Sphinx runs one process fewer than ``-j`` asks, since
  the main process resolves each document before handing it over
  (sphinx-doc/sphinx#5953, #10779): on 2 cores, a core stayed idle most of
  the time. Here as many processes write as ``-j`` gives. As documents are
  written, the engine's ``documents-written`` event names them in the main
  process, so that the search indexes a bundle of posts while the next ones
  are written (without it, the search indexes them all at the end).
- Every build unpickles the environment, and half of it is the tables of
  contents of all documents (``env.tocs``), of which a rebuild uses a
  handful: they stay pickled, document by document, until one is used.
- Jinja compiles every template again at every build, and looks at each
  included template's modification time: templates are compiled once, kept
  beside the environment, and read once per build.
- For every asset a page links, Sphinx resolves the file's path before
  looking up the checksum it keeps for the build: the checksum is kept by
  the name the page gives.
- ``objects.inv`` is written again at every build: it is kept when no
  document was read or removed.
"""

from __future__ import annotations

import functools
import pickle
from pathlib import Path

import jinja2
from sphinx import builders as sphinx_builders
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders import html as html_builder
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment
from sphinx.util import docutils as sphinx_docutils
from sphinx.util.parallel import ParallelTasks

from ..build.incremental import nothing_read
from .docutils import cached_default_settings
from .replacing import replace

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


def every_core(original):
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


def skip_clearing_never_read(app: Sphinx) -> None:
    replace(BuildEnvironment, "clear_doc", note_never_read)
    replace(StandardDomain, "clear_doc", skip_scan_if_never_read)


def settings_parsers_once(app: Sphinx) -> None:
    replace(sphinx_docutils, "_get_settings", lambda original: cached_default_settings)


def read_in_even_chunks(app: Sphinx) -> None:
    replace(
        Builder,
        "_read_parallel",
        lambda original: serial_below_parallel_from(original, "_read_serial", "make_chunks", lambda builder: even_chunks),
    )


def write_on_every_core(app: Sphinx) -> None:
    replace(
        Builder,
        "_write_parallel",
        lambda original: serial_below_parallel_from(
            every_core(original),
            "_write_serial",
            "ParallelTasks",
            lambda builder: functools.partial(ReportingTasks, builder.events),
        ),
    )
    replace(sphinx_builders, "_write_docname", report_written)


def lazy_tables_of_contents(app: Sphinx) -> None:
    app.connect("builder-inited", lazy_tocs)


def templates_compiled_once(app: Sphinx) -> None:
    app.connect("builder-inited", compiled_templates_kept)


def asset_checksums_once(app: Sphinx) -> None:
    replace(html_builder, "_file_checksum", functools.cache)


def inventory_kept_when_unchanged(app: Sphinx) -> None:
    app.connect("builder-inited", keep_inventory)


def keep_inventory(app: Sphinx) -> None:
    """The builder's ``dump_inventory``: ``objects.inv`` holds the documents' labels and titles."""
    builder = app.builder
    if not hasattr(builder, "dump_inventory") or getattr(builder.dump_inventory, "__wrapped__", None):
        return
    dump_inventory = builder.dump_inventory

    @functools.wraps(dump_inventory)
    def dump() -> None:
        if not (nothing_read(app) and Path(app.outdir, "objects.inv").is_file()):
            dump_inventory()

    builder.dump_inventory = dump
