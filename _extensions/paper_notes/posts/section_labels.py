"""Stable labels for every section of every post, for intersphinx.

ablog labels each post by its slug (``dpo``) with the slug as the anchor, but
the post's title carries no such id (``harry-potter-unlearning`` points at
``#harry-potter-unlearning``, which is missing), so the slug is added to the
ids of the post's title section. Sections get docutils ids made
from their ASCII letters only, so a Chinese heading becomes ``rlhf`` or
``id2``, which change as headings are added or renamed anywhere in the post.
MyST's heading anchors (``myst_heading_anchors``) keep the whole heading
(``rlhf流程回顾``), so each section of a post is labelled
``<slug>-<heading anchor>`` (``dpo-rlhf流程回顾``), pointing at that anchor.
The labels go into ``objects.inv``: another Sphinx project links to a
section with ``{ref}`notes:dpo-rlhf流程回顾``` through intersphinx.

``sphinx.ext.autosectionlabel`` labels a section by its title, prefixed
with the document's path when asked (``posts/2024/dpo:RLHF 流程回顾``): not
by the post's slug, and with a space that intersphinx users must type.

A label that is already taken (a ``(label)=`` target of the same name)
stops the build, naming the file.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError


class SectionLabelError(SphinxError):
    category = "Duplicate label"


def label_sections(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    if docname not in app.config.matched_blog_posts:
        return
    slug = PurePosixPath(docname).name
    std = app.env.domains.standard_domain
    for section in doctree.findall(nodes.section):
        anchor = section.get("slug")
        if isinstance(section.parent, nodes.document):
            # The post's title section: the anchor of ablog's label.
            if slug not in doctree.ids:
                section["ids"].append(slug)
                doctree.ids[slug] = section
            continue
        if not anchor:
            continue
        label = f"{slug}-{anchor}"
        # Every explicit target is an anonymous label; titled ones are labels too.
        if label in std.anonlabels:
            raise SectionLabelError(
                f"{app.env.doc2path(docname, False).as_posix()}: section label {label!r} is already "
                f"used by {std.anonlabels[label][0]}; rename the heading or the other label"
            )
        title = section.next_node(nodes.title).astext()
        std.labels[label] = (docname, anchor, title)
        std.anonlabels[label] = (docname, anchor)
