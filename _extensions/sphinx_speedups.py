"""A reading cost of Sphinx 9.0 that grows faster than the blog, taken out.

Before reading a document, Sphinx has every domain forget what it recorded
about it. The standard domain looks through every label, term and object of
the project to find the document's (``StandardDomain.clear_doc``), so a clean
build of N posts, each with its section labels, spends time in N times N
(3 s of a 1,000-post build here). A document that was never read has nothing
recorded: for it the standard domain only makes sure that its tables exist,
as its ``clear_doc`` does, and does not look through them.
"""

from __future__ import annotations

import functools

from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment

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


def setup(app: Sphinx) -> dict:
    if not hasattr(BuildEnvironment.clear_doc, "__wrapped__"):
        BuildEnvironment.clear_doc = note_never_read(BuildEnvironment.clear_doc)
        StandardDomain.clear_doc = skip_scan_if_never_read(StandardDomain.clear_doc)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
