"""A link to a post or label that does not exist: one line saying what a link may name.

Sphinx reports a ``{ref}`` or ``{doc}`` whose target is missing as
"undefined label: 'x'", at every page that shows the link: the post, and the
listing pages and feeds that show its excerpt. Here it is reported once, at
the line of the post that holds it, with what a link may name; the link is
shown as its text, and the strict build fails on the error as on any.
"""

from __future__ import annotations

import os

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.nodes import get_node_line

logger = logging.getLogger("paper_notes")

EXPECTED = {
    "ref": "a post's slug (its file name, e.g. {ref}`dpo`) or a label written (name)= above a heading",
    "doc": "a document's absolute name, e.g. {doc}`/posts/2023/ppo`",
}


def report_missing_link(
    app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref, contnode: nodes.Element
) -> nodes.Node | None:
    """``missing-reference``, for the standard domain's ``ref`` and ``doc`` roles."""
    kind = node.get("reftype")
    if node.get("refdomain") != "std" or kind not in EXPECTED:
        return None
    source = node.source or env.doc2path(node.get("refdoc", env.docname))
    where = f"{os.path.relpath(source, app.srcdir)}:{get_node_line(node) or 1}"
    reported = app.__dict__.setdefault("missing_links_reported", set())
    if (where, node["reftarget"]) not in reported:
        reported.add((where, node["reftarget"]))
        logger.error(
            "the link {%s}`%s` leads nowhere: no such target; expected %s",
            kind, node["reftarget"], EXPECTED[kind], location=where,
        )  # fmt: skip
    return contnode
