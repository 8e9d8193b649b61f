"""Incremental builds of the blog that equal a clean build, and that are fast.

Sphinx writes a page again when its own source changed. A blog page also
shows the other posts: the sidebars (recent posts, tag cloud, categories,
archives with counts), the previous/next links, the home page's listing,
ablog's collection pages. And Sphinx removes no output file. So, stock, an
incremental build goes stale, while ablog renders every collection page
again at every build. This extension decides what each build writes from
what each page shows:

- **Everything**, when the configuration, a template, an extension's code,
  a message catalog or a toctree changed, and at every build when
  ``speedups`` is off. When the engine's code changed, every document is also
  read again (``code_versions.py``), and so it is at every build without
  speed-ups.
- **A document** is written again when it was read again, when it is a post
  whose previous or next post changed (title or which post), when what it
  shows of other pages changed (its backlinks, related notes, previews: the
  ``blog-page-inputs`` event), when it lists
  posts (the home page, a ``postlist``, the paper index) and anything
  changed, or when it holds cross-references and any document was read
  again (a reference shows its target's title).
- **A collection page** (each page of ablog's year, tag, category,
  language and all-posts listings, ``posts/pagination.py``) is written
  again when what it lists changed: which posts, the entry of one of them
  (its metadata or excerpt), or its place among the listing's pages; a
  catalog page (all tags, all categories, the archive), when the title or
  date of a post it lists did. Other extensions' pages (the home page's
  pages after the first) ask :func:`keep_collected_page` the same.
- **Every other page** keeps its file. If its sidebar items changed (a post
  added, deleted, retitled or retagged changes them on every page), the old
  items in the file are replaced by the new ones: the items are rendered
  once per group of pages (``posts/sidebar.py``), so the file then holds
  exactly what a clean build writes. A file that does not hold its old
  items is written again instead.
- Pages of documents and collections that are gone are deleted, the pages
  a listing no longer fills included.
- ``objects.inv`` is left as it is when no document was read or removed
  (a speed-up, ``patches/sphinx.py``).

What the last successful build wrote is kept beside Sphinx's environment
(``blog-incremental.pickle`` in the doctree folder), with renderings worth
keeping: those of a post (:func:`remembered`, valid while it is not read
again) and those of the site's frame (:func:`remembered_for_site`, valid
while nothing above changed). A missing or unreadable record means a full
build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ablog import post as ablog_post
from ablog.blog import Blog
from sphinx.application import Sphinx
from sphinx.environment import CONFIG_OK, BuildEnvironment

from ..posts.drafts import author_tomorrow
from ..posts.pagination import paginate
from ..posts.sidebar import sidebars
from .code_versions import is_local, local_code_version
from .output_files import remove_empty_folders

STATE_FILE = "blog-incremental.pickle"
STATE_VERSION = 3
# postinfo keys that are not metadata: the parsed text of the post.
TEXT_KEYS = {"doctree", "excerpt"}


def digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class State:
    """What the last successful build wrote, and from what."""

    signature: str = ""
    toctrees: str = ""
    read_stamps: dict[str, int] = field(default_factory=dict)
    listing: dict[str, str] = field(default_factory=dict)  # post -> its entry in listings
    neighbours: dict[str, str] = field(default_factory=dict)  # post -> its previous and next posts
    collections: dict[str, str] = field(default_factory=dict)  # collection page -> what it lists
    pages: dict[str, tuple] = field(default_factory=dict)  # page -> the variant of its sidebar items
    sidebars: dict[tuple, str] = field(default_factory=dict)  # variant -> its sidebar items
    page_inputs: dict[str, str] = field(default_factory=dict)  # page -> what it shows of other pages
    html: dict[tuple, str] = field(default_factory=dict)  # remembered renderings
    site_html: dict[tuple, str] = field(default_factory=dict)  # renderings of the site's frame
    version: int = STATE_VERSION


@dataclass
class Plan:
    """What this build writes."""

    full: bool
    old: State
    new: State
    rendered: set[str] = field(default_factory=set)  # pages written through the theme
    pending: dict[str, str] = field(default_factory=dict)  # collection page -> digest, until written
    renderings: dict[tuple, str] = field(default_factory=dict)  # this build's, see remembered()


# -- The state of the blog -----------------------------------------------------


def post_metadata(env: BuildEnvironment) -> dict[str, list]:
    posts = getattr(env, "ablog_posts", {})
    tomorrow = author_tomorrow(env.config)
    return {
        docname: [
            (sorted((k, v) for k, v in info.items() if k not in TEXT_KEYS), bool(info["date"] and info["date"] < tomorrow))
            for info in infos
        ]
        for docname, infos in sorted(posts.items())
    }


def toctrees_digest(env: BuildEnvironment) -> str:
    """The toctrees, which every page's navigation shows, with their documents' titles."""
    in_toctrees = sorted({doc for docs in env.toctree_includes.values() for doc in docs})
    titles = [(doc, env.titles[doc].astext()) for doc in in_toctrees if doc in env.titles]
    return digest((sorted(env.toctree_includes.items()), titles))


def listing_digests(app: Sphinx, env: BuildEnvironment, old: State) -> dict[str, str]:
    """A post's entry on listing pages: its metadata, excerpt and recorded data.

    All of it comes from reading the post, with what extensions say its
    excerpt shows of other sources (``blog-entry-inputs``: the papers its
    citations name): a post not read again keeps its digest.
    """
    posts = getattr(env, "ablog_posts", {})
    metadata = post_metadata(env)
    return {
        docname: old.listing[docname]
        if docname in old.listing and old.read_stamps.get(docname) == env.all_docs.get(docname)
        else digest(
            (
                metadata[docname],
                [[node.pformat() for node in info["excerpt"]] for info in posts[docname]],
                sorted(env.metadata.get(docname, {}).items()),
                app.emit("blog-entry-inputs", docname),
            )
        )
        for docname in metadata
    }


def page_input_digests(app: Sphinx) -> dict[str, str]:
    """What each page shows of other pages, as extensions name it (``blog-page-inputs``)."""
    inputs: dict[str, list] = {}
    for named in app.emit("blog-page-inputs"):
        for docname, value in named.items():
            inputs.setdefault(docname, []).append(value)
    return {docname: digest(values) for docname, values in inputs.items()}


def neighbour_digests(blog: Blog) -> dict[str, str]:
    def ends(post) -> tuple | None:
        return (post.docname, post.title) if post else None

    return {post.docname: digest((ends(post.prev), ends(post.next))) for post in blog.posts}


def render_signature(app: Sphinx) -> str:
    """What every page depends on: configuration, templates, extension code, messages.

    The engine's code by its text (``local_code_version``), that of
    the other extensions by their files' modification times.
    """
    modules = [getattr(extension.module, "__file__", None) for extension in app.extensions.values()]
    files = [path for path in modules if path and not is_local(path)]
    for folder in app.config.locale_dirs:
        files += [str(path) for path in Path(app.srcdir, folder).rglob("*.po")]
    stamps = sorted((path, os.stat(path).st_mtime_ns) for path in files)
    templates = app.builder.templates
    newest_template = templates.newest_template_mtime() if templates else 0
    return digest((app.builder.build_info.config_hash, newest_template, stamps, local_code_version()))


def state_path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / STATE_FILE


def load_state(app: Sphinx) -> State | None:
    try:
        with open(state_path(app), "rb") as f:
            state = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return state if isinstance(state, State) and state.version == STATE_VERSION else None


# -- Renderings worth keeping ----------------------------------------------------


def remembered(app: Sphinx, key: tuple, render: Callable[[], str]) -> str:
    """HTML made from the post ``key[1]`` alone, rendered once per build.

    It is kept for the next build while the post is not read again, unless
    the post holds cross-references, which show their targets' titles.
    """
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    if plan is None or not app.config.speedups:
        return render()
    docname = key[1]
    full_key = (*key, app.env.all_docs.get(docname))
    if full_key in plan.renderings:
        return plan.renderings[full_key]
    keep = docname not in getattr(app.env, "blog_docs_with_refs", set())
    html = plan.old.html.get(full_key) if keep else None
    if html is None:
        html = render()
    plan.renderings[full_key] = html
    if keep:
        plan.new.html[full_key] = html
    return html


def remembered_for_site(app: Sphinx, key: tuple, render: Callable[[], str]) -> str:
    """HTML made from the configuration, templates and toctrees alone (the navigation).

    It is kept for the next build while none of them changes. What the
    parallel writers render is theirs alone, and made again next time.
    """
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    if plan is None or not app.config.speedups:
        return render()
    if key not in plan.new.site_html:
        old = None if plan.full else plan.old.site_html.get(key)
        plan.new.site_html[key] = old if old is not None else render()
    return plan.new.site_html[key]


# -- Replacing the sidebar items of a page -------------------------------------


def keep_page(app: Sphinx, plan: Plan, pagename: str) -> bool:
    """Bring an unchanged page's sidebar items up to date; False if it must be written."""
    # A string path: this runs for every page of the site.
    path = app.builder.get_outfilename(pagename)
    old_variant = plan.old.pages.get(pagename)
    if plan.full or old_variant not in plan.old.sidebars or not os.path.isfile(path):
        return False
    items = sidebars(app)
    old, new = plan.old.sidebars[old_variant], items.of(pagename)
    if old != new:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if text.count(old) != 1:
            return False
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new))
    record_page(app, plan, pagename)
    return True


def record_page(app: Sphinx, plan: Plan, pagename: str) -> None:
    items = sidebars(app)
    variant = items.variant(pagename)
    plan.new.pages[pagename] = variant
    plan.new.sidebars[variant] = items.of(pagename)


# -- Deciding what to write --------------------------------------------------


def listing_docs(app: Sphinx, env: BuildEnvironment) -> set[str]:
    """Documents that list posts: the home page, those with a postlist, and those extensions name."""
    named = {doc for docs in app.emit("blog-listing-docs") for doc in docs}
    return {app.config.root_doc, *getattr(env, "blog_postlist_docs", set()), *named} & env.found_docs


def plan_writes(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: the documents to write although they were not read."""
    blog = Blog(app)
    if not blog:
        ablog_post.register_posts(app)
    signature = render_signature(app)
    old = load_state(app) or State()
    if old.signature != signature:
        old = State()
    new = State(
        signature=signature,
        toctrees=toctrees_digest(env),
        read_stamps=dict(env.all_docs),
        listing=listing_digests(app, env, old),
        neighbours=neighbour_digests(blog),
        page_inputs=page_input_digests(app),
    )
    full = (
        not app.config.speedups
        or env.config_status != CONFIG_OK
        or (old.signature, old.toctrees) != (new.signature, new.toctrees)
    )
    plan = app.blog_incremental_plan = Plan(full, old, new)
    if full:
        plan.rendered = set(env.found_docs)
        return sorted(env.found_docs)
    read = {doc for doc, stamp in new.read_stamps.items() if old.read_stamps.get(doc) != stamp}
    changed = read | {doc for doc in set(old.listing) | set(new.listing) if old.listing.get(doc) != new.listing.get(doc)}
    write = {doc for doc, value in new.neighbours.items() if old.neighbours.get(doc) != value}
    write |= {doc for doc, value in new.page_inputs.items() if old.page_inputs.get(doc) != value}
    if changed or write:
        write |= listing_docs(app, env)
    if read:
        write |= getattr(env, "blog_docs_with_refs", set())
    write &= env.found_docs
    for docname in sorted(env.found_docs - read - write):
        if not keep_page(app, plan, docname):
            write.add(docname)
    plan.rendered = read | write
    return sorted(write)


# -- Collection pages ------------------------------------------------------------


def collection_inputs(context: dict, listing: dict[str, str]) -> tuple:
    """What a collection page shows: its title, and the entry of every post it lists.

    A catalog (all tags, all categories, the archive) lists each collection's
    posts by date and title only.
    """
    if context.get("collection") is not None:
        shown = [(post.docname, listing.get(post.docname)) for post in context["collection"]]
    else:
        shown = [
            (str(coll), [(post.docname, post.section, post.title, post.date, post.published) for post in coll])
            for coll in context.get("catalog", [])
        ]
    page = context.get("blog_listing_page")
    return context.get("title"), context.get("feed_path"), shown, page.digest_inputs() if page else None


def listing_entries(app: Sphinx) -> dict[str, str]:
    """Each post's entry in listings, as a digest, for the pages other extensions collect."""
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    return {} if plan is None else plan.new.listing


def documents_to_write(app: Sphinx) -> set[str] | None:
    """The documents this build writes (None when the plan is not known)."""
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    return None if plan is None else set(plan.rendered)


def keep_collected_page(app: Sphinx, pagename: str, inputs: object) -> bool:
    """Whether a page that an extension collects (``html-collect-pages``) can keep its file.

    ``inputs`` is what the page shows, as a value with a stable ``repr``.
    When it is what the last build wrote, the page keeps its file (with its
    sidebar items brought up to date); otherwise the extension yields the
    page, and it is recorded when it is written.
    """
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    if plan is None:
        return False
    value = digest(inputs)
    if value == plan.old.collections.get(pagename) and keep_page(app, plan, pagename):
        plan.new.collections[pagename] = value
        return True
    plan.pending[pagename] = value
    return False


def collection_pages(app: Sphinx) -> Iterator[tuple]:
    """ablog's collection pages, cut into pages, without those whose content did not change."""
    plan: Plan = app.blog_incremental_plan
    drafts = Blog(app).drafts
    for listing, whole, template in ablog_post.generate_archive_pages(app):
        # ablog writes a drafts page even when there is no draft to list.
        if listing == drafts.docname and not len(drafts):
            continue
        for pagename, context in paginate(app, listing, whole):
            if not keep_collected_page(app, pagename, collection_inputs(context, plan.new.listing)):
                yield pagename, context, template


def note_written_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """A page written in the main process; the parallel writers' documents are recorded when planned.

    Every page a build writes is recorded, so that the next build deletes it
    if it no longer writes or keeps it (Sphinx's general index, say, once
    switched off).
    """
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    if plan is None:
        return
    if pagename in plan.pending:
        plan.new.collections[pagename] = plan.pending.pop(pagename)
    plan.rendered.add(pagename)
    record_page(app, plan, pagename)


# -- After the build --------------------------------------------------------------


def finish(app: Sphinx, exception: Exception | None) -> None:
    """Delete the pages the site no longer has, and record this build."""
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    if exception is not None or plan is None:
        return
    outdir = Path(app.outdir)
    for docname in app.env.found_docs:
        if docname in plan.rendered:
            record_page(app, plan, docname)
    for pagename in sorted(set(plan.old.pages) - set(plan.new.pages)):
        path = Path(app.builder.get_outfilename(pagename))
        if path.is_file():
            path.unlink()
            relpath = path.relative_to(outdir)
            sources = outdir / "_sources" / relpath
            for copy in sources.parent.glob(sources.stem + ".*") if sources.parent.is_dir() else []:
                copy.unlink()
            remove_empty_folders(sources.parent, outdir)
            remove_empty_folders(path.parent, outdir)
    # Sphinx's copy of the previous build's settings, kept when they changed:
    # a clean build has none.
    (outdir / ".buildinfo.bak").unlink(missing_ok=True)
    with open(state_path(app), "wb") as f:
        pickle.dump(plan.new, f, pickle.HIGHEST_PROTOCOL)


def nothing_read(app: Sphinx) -> bool:
    """Whether this build read or removed no document (so ``objects.inv`` stays as it is)."""
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    return plan is not None and not plan.full and plan.new.read_stamps == plan.old.read_stamps


def read_everything(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """``env-get-outdated`` without speed-ups: every document is read again, as in a clean build."""
    return [] if app.config.speedups else sorted(env.found_docs - added - changed)


def start(app: Sphinx) -> None:
    app.blog_incremental_plan = None
