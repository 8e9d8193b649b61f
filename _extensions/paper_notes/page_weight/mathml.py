"""Render math to MathML at build time, so that pages load no math JavaScript.

Sphinx renders math with MathJax from a CDN by default: a third-party request
on every page, no math offline, and raw TeX wherever a page does not load
MathJax (ablog's excerpts on listing pages, feed readers). Browsers render
MathML Core natively, so this renderer turns each formula into MathML with
docutils' own LaTeX converter while the page is written. The same markup
then works on post pages, listing pages and in feeds.

The converter puts each element of a formula on its own indented line:
white space between elements, which MathML does not render, and a third of
a formula's bytes on every page and in every feed that shows it. It is
left out.

A formula the converter cannot read is a warning at its source line, which
the strict build turns into a failure.
"""

from __future__ import annotations

import functools
import re

from docutils import nodes
from docutils.utils.math import MathError
from docutils.utils.math.latex2mathml import tex2mathml
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)

# amsmath blocks arrive wrapped in their environment; MathML block rendering
# already lays out rows split by \\ as an aligned table.
OUTER_ENVIRONMENT = re.compile(
    r"^\s*\\begin\{(align|equation|gather|multline|flalign|alignat)\*?\}(\{\d+\})?(?P<body>.*)"
    r"\\end\{\1\*?\}\s*$",
    re.DOTALL,
)


# The indentation the converter puts between two tags: it always starts a line.
INDENTATION = re.compile(r">\n\s*<")


@functools.lru_cache(maxsize=4096)
def cached_tex2mathml(latex: str, as_block: bool) -> str:
    # A formula is rendered on its post's page and again in listings and feeds.
    return INDENTATION.sub("><", tex2mathml(latex, as_block=as_block))


def to_mathml(translator: HTML5Translator, node: nodes.Element, latex: str, as_block: bool) -> str:
    try:
        return cached_tex2mathml(latex, as_block)
    except MathError as exc:
        logger.warning("cannot render math %r: %s", latex, exc, location=node, type="mathml")
        return f'<code class="math-error">{translator.encode(latex)}</code>'


def visit_inline_math(translator: HTML5Translator, node: nodes.math) -> None:
    translator.body.append(to_mathml(translator, node, node.astext(), as_block=False))
    raise nodes.SkipNode


def visit_block_math(translator: HTML5Translator, node: nodes.math_block) -> None:
    latex = node.astext()
    wrapped = OUTER_ENVIRONMENT.match(latex)
    if wrapped:
        latex = wrapped.group("body")
    ids = node.get("ids") or []
    id_attr = f' id="{ids[0]}"' if ids else ""
    # A formula wider than the column scrolls inside it; the theme's class
    # for scrollable containers makes it a tab stop whenever it scrolls, so
    # that the keyboard can scroll it too (WCAG 2.1.1).
    translator.body.append(f'<div class="math-display pst-scrollable-table-container"{id_attr}>')
    if node.get("number"):
        number = translator.builder.env.config.math_eqref_format or "({number})"
        translator.body.append(f'<span class="eqno">{number.format(number=node["number"])}</span>')
    translator.body.append(to_mathml(translator, node, latex, as_block=True))
    translator.body.append("</div>\n")
    raise nodes.SkipNode
