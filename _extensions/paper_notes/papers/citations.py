"""Inline citations with sphinxcontrib-bibtex, at home in a blog.

- A document that cites (``{cite:p}`key```, ``{cite:t}`key```) gets its own
  reference list at its end, under a "References" heading, unless it places a
  ``{bibliography}`` itself. Only the entries it cites are listed.
- ablog renders posts again on listing pages and in feeds, where
  sphinxcontrib-bibtex would resolve a citation from the listing page and
  could link it to another note's reference list. There, each citation links
  to its own note's reference list instead.
- Reference lists keep titles as the bibliography writes them (pybtex's
  styles lower-case them): the ``alpha-keep-case`` style.
- docutils (0.22) writes each entry of a reference list with the role
  ``doc-biblioentry``, which ARIA 1.2 deprecates, inside a ``role="list"``
  that then has no list items: screen readers and axe-core see a broken
  list. The entries are list items.
"""

from __future__ import annotations

import re

import pybtex.plugin
from docutils import nodes
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.template import field, sentence
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.transforms.post_transforms import SphinxPostTransform

from .bibliography import papers

CITE_ROLE = re.compile(r"\{cite(?::[a-z]+)?\}`")
BIBLIOGRAPHY_DIRECTIVE = re.compile(r"^(```+|:::+)\s*\{bibliography\}", re.MULTILINE)
HOME = "citation_home"
BIBLIOENTRY = 'role="doc-biblioentry"'


class KeepCaseStyle(AlphaStyle):
    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title


def reference_list_items(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if "body" in context and BIBLIOENTRY in context["body"]:
        context["body"] = context["body"].replace(BIBLIOENTRY, 'role="listitem"')


def excerpt_papers(app: Sphinx, docname: str) -> list:
    """``blog-entry-inputs``: the papers a post's excerpt cites, which listings show it citing."""
    keys = sorted(
        key
        for info in getattr(app.env, "ablog_posts", {}).get(docname, [])
        for part in info["excerpt"]
        for node in part.findall(addnodes.pending_xref)
        if node.get("refdomain") == "cite"
        for key in node["reftarget"].split(",")
    )
    return [(key, papers(app).get(key.strip())) for key in keys]


def register_style() -> None:
    """``bibtex_default_style = "alpha-keep-case"`` names this style."""
    pybtex.plugin.register_plugin("pybtex.style.formatting", "alpha-keep-case", KeepCaseStyle)


def add_reference_list(app: Sphinx, docname: str, content: list[str]) -> None:
    """Append the reference list to the text read (the source file is untouched)."""
    text = content[0]
    if CITE_ROLE.search(text) and not BIBLIOGRAPHY_DIRECTIVE.search(text):
        content[0] = f"{text.rstrip()}\n\n## {_('References')}\n\n```{{bibliography}}\n:filter: docname in docnames\n```\n"


def note_citation_homes(app: Sphinx, doctree: nodes.document) -> None:
    """Runs before ablog copies a post's doctree for listings and feeds."""
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("refdomain") == "cite":
            node[HOME] = app.env.docname


class CitationsLinkHome(SphinxPostTransform):
    """Resolve a citation shown away from its note as it resolves in the note.

    Runs after sphinxcontrib-bibtex has built reference lists (priority 5)
    and before Sphinx resolves the remaining references (priority 10).
    """

    default_priority = 8
    formats = ("html",)

    def run(self, **kwargs) -> None:
        domain = self.env.get_domain("cite")
        # A reference list shown away from its note (a feed entry) has no
        # citations to link back to on this page.
        for citation in self.document.findall(nodes.citation):
            if citation.get("docname", self.env.docname) != self.env.docname:
                citation["backrefs"] = []
        for node in list(self.document.findall(addnodes.pending_xref)):
            home, page = node.get(HOME), node.get("refdoc")
            if node.get("refdomain") != "cite" or home is None or home == page:
                continue
            resolved = domain.resolve_xref(
                self.env, home, self.app.builder, node["reftype"], node["reftarget"], node, node[0].deepcopy()
            )
            # Resolved from its note, a citation of that note's own list is a
            # bare #fragment; from this page it is the note's address plus it.
            for ref in resolved.findall(nodes.reference):
                if "refid" in ref:
                    ref["refuri"] = f"{self.app.builder.get_relative_uri(page, home)}#{ref['refid']}"
                    del ref["refid"]
            node.replace_self(resolved)
