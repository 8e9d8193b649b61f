"""Listings in pages of ``blog_posts_per_page`` posts, at readable addresses that stay put.

A listing that shows every post with its excerpt grows with the blog: at
1,000 posts the home page and the all-posts page were 1.1 MB of HTML and
14,650 elements each, which a phone loads slowly and Lighthouse flags. So
every listing that shows excerpts (the home page, all posts, each year, tag,
category and language) is cut into static pages of ``blog_posts_per_page``
posts, newest first, the home page keeping its year groups on each page.

- Page 1 keeps the listing's address, so no link to it breaks; page N is
  ``<listing>/page/N.html`` (``blog/tag/rlhf/page/2.html``), the home page's
  ``page/N.html``. Each is a page of its own to search engines: its own
  canonical URL (Sphinx's ``pageurl``), its own entry in the sitemap.
- With more than one page, each says which it is in its title and heading
  ("标签 RLHF（第 2 页，共 5 页）") and links the others: a pager of real
  links (``blog/pager.html``: the previous and next pages, the first and
  the last, and the numbers around its own), and Sphinx's ``prev`` and
  ``next``, which the theme writes as ``<link rel>`` in the head and as its
  footer's links. A listing of one page looks as it did before: no pager, no
  page number, the home page's ``next`` still the toctree's.
- The pages are computed from ablog's data (:func:`listings`), never from
  the files written: the sitemap lists every page, also after an
  incremental build that wrote some of them.

The archive (``blog/archive.html``) is not cut: it lists every post by title
and date only, the one page where find-in-page finds any post.
"""

from __future__ import annotations

import itertools
import math
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape

from ablog.blog import Blog, Post
from sphinx.application import Sphinx
from sphinx.locale import _
from sphinx.util.osutil import relative_uri

from .drafts import is_preview

# Page numbers shown on each side of the current one; the first and the last are always shown.
AROUND = 2
# Where the home page's heading ends, before its permalink when it has one.
FIRST_H1_TEXT_END = re.compile(r'(<h1\b[^>]*>.*?)(<a class="headerlink"|</h1>)', re.DOTALL)
HOME_PAGE_TEMPLATE = "page.html"


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing: which, of how many, at what name, with which posts."""

    listing: str  # the listing's own name, that of its page 1
    number: int
    count: int
    pagename: str
    posts: tuple[Post, ...]

    def digest_inputs(self) -> tuple:
        """Its place among the listing's pages, which its title, pager and neighbours show.

        An incremental build writes the page again when it changes, even if
        its posts did not (a post added to the listing adds a page).
        """
        return self.listing, self.number, self.count


def page_name(listing: str, number: int, root_doc: str) -> str:
    if number == 1:
        return listing
    return f"page/{number}" if listing == root_doc else f"{listing}/page/{number}"


def split(listing: str, posts: Iterable[Post], size: int, root_doc: str) -> list[ListingPage]:
    """The pages of a listing, newest posts first; an empty listing is one empty page."""
    posts = list(posts)
    count = max(1, math.ceil(len(posts) / size))
    return [
        ListingPage(listing, number, count, page_name(listing, number, root_doc), tuple(posts[(number - 1) * size : number * size]))
        for number in range(1, count + 1)
    ]


def home_posts(app: Sphinx, blog: Blog) -> list[Post]:
    """The home page lists the published posts; the preview, dated drafts and future posts too."""
    posts = list(blog.posts)
    if is_preview(app):
        posts = sorted([*posts, *(post for post in blog.drafts if post.date)], reverse=True)
    return posts


def posts_by_year(posts: Iterable[Post]) -> list[tuple[int, list[Post]]]:
    """Posts, given newest first, grouped by year."""
    return [(year, list(group)) for year, group in itertools.groupby(posts, key=lambda p: p.date.year)]


def home_pages(app: Sphinx) -> list[ListingPage]:
    return split(app.config.root_doc, home_posts(app, Blog(app)), app.config.blog_posts_per_page, app.config.root_doc)


def listings(app: Sphinx) -> dict[str, list[Post]]:
    """Every listing that shows excerpts, by the name of its page 1, with its posts newest first.

    From ablog's data, as ablog writes its pages (each non-empty collection
    of its catalogs, all posts, the drafts when there are any), so that the
    sitemap knows every page also after a build that wrote only some.
    """
    blog = Blog(app)
    found = {app.config.root_doc: home_posts(app, blog), blog.posts.docname: list(blog.posts)}
    for catalog in (blog.author, blog.location, blog.language, blog.category, blog.archive, blog.tags):
        for collection in catalog:
            if len(collection):
                found[collection.docname] = list(collection)
    if len(blog.drafts):
        found[blog.drafts.docname] = list(blog.drafts)
    return found


def every_page(app: Sphinx) -> dict[str, ListingPage]:
    """Every page of every listing, by page name."""
    size, root = app.config.blog_posts_per_page, app.config.root_doc
    return {page.pagename: page for listing, posts in listings(app).items() for page in split(listing, posts, size, root)}


def first_page(pagename: str, root_doc: str) -> str:
    """The name of page 1 of the listing ``pagename`` is a page of (itself if it is none).

    A page of a listing is in the sitemap, or asks not to be indexed, as its first page does.
    """
    if re.fullmatch(r"page/\d+", pagename):
        return root_doc
    return re.sub(r"/page/\d+$", "", pagename)


def with_page_number(title: str, number: int, count: int) -> str:
    """A listing of one page keeps its title, as before listings had pages."""
    if count == 1:
        return title
    return title + _(" (page %(number)s of %(count)s)") % {"number": number, "count": count}


def shown_numbers(number: int, count: int) -> list[int | None]:
    """The page numbers a pager shows, None for a gap: 1 … 4 5 [6] 7 8 … 34.

    A gap of one page shows that page instead, which takes no more room.
    """
    wanted = sorted({1, count, *range(number - AROUND, number + AROUND + 1)} & set(range(1, count + 1)))
    shown: list[int | None] = []
    for n in wanted:
        if shown and n - shown[-1] == 2:
            shown.append(n - 1)
        elif shown and n - shown[-1] > 2:
            shown.append(None)
        shown.append(n)
    return shown


def pager(app: Sphinx, page: ListingPage) -> dict:
    """The links from ``page`` to the listing's other pages, relative to it."""
    builder, root = app.builder, app.config.root_doc
    base = builder.get_target_uri(page.pagename)

    def href(number: int) -> str:
        target = builder.get_target_uri(page_name(page.listing, number, root))
        return relative_uri(base, target) or posixpath.basename(target)

    return {
        "number": page.number,
        "count": page.count,
        "previous": href(page.number - 1) if page.number > 1 else None,
        "next": href(page.number + 1) if page.number < page.count else None,
        "pages": [(n, href(n) if n else None) for n in shown_numbers(page.number, page.count)],
    }


def neighbour(page: ListingPage, number: int, title: str, links: dict) -> dict | None:
    """The theme's ``prev``/``next``: the page ``number`` of the listing, if there is one."""
    if not 1 <= number <= page.count:
        return None
    return {"link": links["previous" if number < page.number else "next"], "title": with_page_number(title, number, page.count)}


def home_title(app: Sphinx) -> str:
    """The home page's title for its later pages, as HTML, as Sphinx gives a document's title to templates."""
    title = app.env.titles.get(app.config.root_doc)
    return escape(title.astext(), quote=False) if title is not None else app.config.project


def add_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """A listing page's posts, title, heading, pager and neighbours, set as the page is written.

    The home page's page 1 is the root document, written by Sphinx like any
    other, whose title and heading come from its source: they get the page
    number here, where the other pages get theirs too.
    """
    if "ablog" not in context:
        return
    page: ListingPage | None = context.get("blog_listing_page")
    if page is None and pagename == app.config.root_doc:
        page = context["blog_listing_page"] = home_pages(app)[0]
    if page is None:
        return
    if page.listing == app.config.root_doc:
        context["blog_years"] = posts_by_year(page.posts)
    if page.count == 1:
        return
    title = context["title"]
    context["title"] = with_page_number(title, page.number, page.count)
    if pagename == app.config.root_doc:
        suffix = context["title"][len(title) :]
        context["body"] = FIRST_H1_TEXT_END.sub(lambda m: m[1] + suffix + m[2], context["body"], count=1)
    elif page.listing == app.config.root_doc:
        context["body"] = f"<h1>{context['title']}</h1>\n"
    links = context["blog_pager"] = pager(app, page)
    context["prev"] = neighbour(page, page.number - 1, title, links)
    context["next"] = neighbour(page, page.number + 1, title, links)


def home_page_inputs(app: Sphinx, page: ListingPage, listing: dict[str, str]) -> tuple:
    return home_title(app), page.digest_inputs(), [(post.docname, listing.get(post.docname)) for post in page.posts]


def collect_home_pages(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    """``html-collect-pages``: the home page's pages after the first, which is the root document."""
    # Imported here: build.incremental imports this module to cut ablog's collections into pages.
    from ..build.incremental import keep_collected_page, listing_entries

    listing = listing_entries(app)
    for page in home_pages(app)[1:]:
        if keep_collected_page(app, page.pagename, home_page_inputs(app, page, listing)):
            continue
        yield page.pagename, {"parents": [], "title": home_title(app), "blog_listing_page": page}, HOME_PAGE_TEMPLATE


def paginate(app: Sphinx, pagename: str, context: dict) -> Iterator[tuple[str, dict]]:
    """ablog's page of a collection, as the pages of ``blog_posts_per_page`` posts it is cut into."""
    if context.get("collection") is None:
        yield pagename, context
        return
    size, root = app.config.blog_posts_per_page, app.config.root_doc
    for page in split(pagename, context["collection"], size, root):
        yield page.pagename, {**context, "collection": list(page.posts), "blog_listing_page": page}
