"""Incremental builds of the blog that equal a clean build, and that are fast.

Sphinx rewrites a page when its own source changed. A blog page also shows
the other posts: the sidebars (recent posts, tag cloud, categories, archives
with counts), the previous/next links, the home page's listing, ablog's
collection pages and feeds. And Sphinx removes no output file. So, stock, an
incremental build goes stale while ablog still renders every collection page
and feed again at every build. This extension decides what each build must
write from what changed, in three levels:

- **site**: the metadata of every post (title, date, tags, category, ...,
  whether it is published) and the titles in the toctrees. All pages show
  some of it, so when it changes every page, collection and feed is written.
- **listing**: a post's excerpt and recorded metadata (reading time, ...),
  shown on the pages that list posts: the root document, documents with a
  ``postlist``, and the collection pages holding the post.
- **document**: a post that was read again is in full in the feeds holding
  it, and documents with cross-references show the titles of their targets.

Collection pages and feeds nobody changed keep their file; pages and feeds
of documents and collections that are gone are deleted. What the last
successful build wrote is kept beside Sphinx's environment
(``blog-incremental.pickle`` in the doctree folder), with the HTML of excerpts
and full texts that ablog renders again and again (valid while the post was
not read again; a post whose text holds cross-references is never cached).
A change of configuration, templates or extension code, or a missing or
unreadable record, means a full build.

It also lets ablog read in parallel (``-j``): ablog keeps its posts in the
environment without merging them back from the reading processes
(sunpy/ablog#297, #327), which is what :func:`merge_posts` adds, and keeps
each post's whole document tree in the environment, which Sphinx already
stores apart: the environment now holds a handle that loads it when a feed
needs the full text.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ablog import post as ablog_post
from ablog.blog import TOMORROW, Blog, Post
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import CONFIG_OK, BuildEnvironment


STATE_FILE = "blog-incremental.pickle"
STATE_VERSION = 1
# postinfo keys that are not metadata: the parsed text of the post.
TEXT_KEYS = {"doctree", "excerpt"}


def digest(value: object) -> str:
    return hashlib.blake2b(repr(value).encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class State:
    """What the last successful build wrote, and why."""

    signature: str = ""
    site: str = ""
    listing: dict[str, str] = field(default_factory=dict)
    read_stamps: dict[str, int] = field(default_factory=dict)
    outputs: set[str] = field(default_factory=set)
    html: dict[tuple, str] = field(default_factory=dict)
    version: int = STATE_VERSION


@dataclass
class Plan:
    """What this build writes."""

    full: bool
    listing_changed: set[str]  # posts whose listing entry changed
    text_changed: set[str]  # documents read again since the last build
    old: State
    new: State


# -- The state of the blog -----------------------------------------------------


def is_published(info: dict) -> bool:
    return bool(info["date"] and info["date"] < TOMORROW)


def post_metadata(env: BuildEnvironment) -> dict[str, list]:
    posts = getattr(env, "ablog_posts", {})
    return {
        docname: [
            (sorted((k, v) for k, v in info.items() if k not in TEXT_KEYS), is_published(info))
            for info in infos
        ]
        for docname, infos in sorted(posts.items())
    }


def site_digest(env: BuildEnvironment, metadata: dict[str, list]) -> str:
    """Everything every page may show about other documents."""
    in_toctrees = sorted({doc for docs in env.toctree_includes.values() for doc in docs})
    toctree_titles = [(doc, env.titles[doc].astext()) for doc in in_toctrees if doc in env.titles]
    return digest((metadata, sorted(env.toctree_includes.items()), toctree_titles))


def listing_digests(env: BuildEnvironment, metadata: dict[str, list]) -> dict[str, str]:
    """A post's entry on listing pages: its metadata, excerpt and recorded data."""
    posts = getattr(env, "ablog_posts", {})
    return {
        docname: digest(
            (
                metadata[docname],
                [[node.pformat() for node in info["excerpt"]] for info in posts[docname]],
                sorted(env.metadata.get(docname, {}).items()),
            )
        )
        for docname in metadata
    }


def render_signature(app: Sphinx) -> str:
    """What every page depends on: configuration, templates, extension code."""
    code = []
    for extension in app.extensions.values():
        path = getattr(extension.module, "__file__", None)
        if path:
            code.append((path, os.stat(path).st_mtime_ns))
    templates = app.builder.templates
    newest_template = templates.newest_template_mtime() if templates else 0
    return digest((app.builder.build_info.config_hash, newest_template, sorted(code)))


def state_path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / STATE_FILE


def load_state(app: Sphinx) -> State | None:
    try:
        with open(state_path(app), "rb") as f:
            state = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return state if isinstance(state, State) and state.version == STATE_VERSION else None


# -- Deciding what to write --------------------------------------------------


def listing_docs(app: Sphinx, env: BuildEnvironment) -> set[str]:
    """Documents that list posts: the home page and those with a postlist."""
    return {app.config.root_doc, *getattr(env, "blog_postlist_docs", set())} & env.found_docs


def plan_writes(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: the documents to write although they were not read."""
    if not Blog(app):
        ablog_post.register_posts(app)
    metadata = post_metadata(env)
    new = State(
        signature=render_signature(app),
        site=site_digest(env, metadata),
        listing=listing_digests(env, metadata),
        read_stamps=dict(env.all_docs),
    )
    old = load_state(app) or State()
    full = env.config_status != CONFIG_OK or old.signature != new.signature or old.site != new.site
    if old.signature != new.signature:
        old.listing, old.read_stamps, old.html = {}, {}, {}
    listing_changed = {d for d, value in new.listing.items() if old.listing.get(d) != value}
    text_changed = {d for d, stamp in new.read_stamps.items() if old.read_stamps.get(d) != stamp}
    new.html = {key: html for key, html in old.html.items() if new.read_stamps.get(key[0]) == key[1]}
    app.blog_incremental_plan = Plan(full, listing_changed, text_changed, old, new)
    if full:
        return sorted(env.found_docs)
    # A cross-reference shows the title of its target, which may have changed.
    refs = getattr(env, "blog_docs_with_refs", set()) if text_changed else set()
    return sorted((listing_docs(app, env) if listing_changed else set()) | refs)


# -- Collection pages and feeds ----------------------------------------------------


def output_relpath(app: Sphinx, pagename: str) -> str:
    return Path(app.builder.get_outfilename(pagename)).relative_to(app.outdir).as_posix()


def page_is_current(plan: Plan, app: Sphinx, pagename: str, context: dict) -> bool:
    if plan.full or not os.path.exists(app.builder.get_outfilename(pagename)):
        return False
    if "collection" in context:
        return not any(post.docname in plan.listing_changed for post in context["collection"])
    if "post" in context:
        return context["post"].docname not in plan.listing_changed
    return not plan.listing_changed


def collection_pages(app: Sphinx):
    """ablog's collection pages, without those whose content did not change."""
    plan: Plan = app.blog_incremental_plan
    for pagename, context, template in ablog_post.generate_archive_pages(app):
        plan.new.outputs.add(output_relpath(app, pagename))
        if not page_is_current(plan, app, pagename, context):
            yield pagename, context, template


def feed_collections(blog: Blog) -> list:
    return [blog.author, blog.location, blog.language, blog.category, blog.archive, blog.tags]


def feeds(app: Sphinx) -> list:
    """ablog's feeds, written only for the collections holding a changed post."""
    if not ablog_post.ablog.builder_support(app) or not app.config.blog_baseurl:
        return []
    plan: Plan = app.blog_incremental_plan
    blog = Blog(app)
    roots = list(blog.blog_feed_templates)
    changed = plan.listing_changed | plan.text_changed
    outdir = Path(app.outdir)

    def feed_paths(path: str) -> list[str]:
        return [f"{path}/{root}.xml" for root in roots]

    def is_current(collection, path: str) -> bool:
        if plan.full or not all((outdir / p).exists() for p in feed_paths(path)):
            return False
        return not any(post.docname in changed for post in collection)

    plan.new.outputs.update(feed_paths(blog.blog_path))
    kept = {}
    for catalog in feed_collections(blog) if blog.blog_feed_archives else []:
        for coll in catalog:
            if len(coll):
                plan.new.outputs.update(feed_paths(coll.path))
        kept[catalog] = catalog.collections
        # ablog writes no feed for a collection without posts.
        catalog.collections = {k: c for k, c in kept[catalog].items() if len(c) and not is_current(c, c.path)}
    try:
        if not is_current(blog.posts, blog.blog_path) or any(c.collections for c in kept):
            # ablog writes all its feeds at once; the catalogs above hold only
            # the collections whose feed must change.
            for _ in ablog_post.generate_atom_feeds(app):
                pass
    finally:
        for catalog, collections in kept.items():
            catalog.collections = collections
    return []


# -- Rendered excerpts and full texts ----------------------------------------------


def cached_to_html(original):
    def to_html(self: Post, pagename, fulltext=False, drop_h1=True, img_url=False):
        app = self._blog.app
        plan: Plan | None = getattr(app, "blog_incremental_plan", None)
        refs = getattr(app.env, "blog_docs_with_refs", set())
        if plan is None or self.docname in refs:
            return original(self, pagename, fulltext, drop_h1, img_url)
        stamp = app.env.all_docs.get(self.docname)
        key = (self.docname, stamp, self.section, pagename, fulltext, drop_h1, img_url)
        html = plan.new.html.get(key)
        if html is None:
            html = plan.new.html[key] = original(self, pagename, fulltext, drop_h1, img_url)
        return html

    return to_html


class StoredDoctree:
    """Stands for a post's document tree in ablog's post record.

    ablog copies every post's whole tree into the environment, for the full
    text of feeds; Sphinx stores the same tree in its doctree folder. The
    environment keeps this handle instead, which loads the tree when ablog
    asks for a copy.
    """

    env: BuildEnvironment | None = None

    def __init__(self, docname: str) -> None:
        self.docname = docname

    def deepcopy(self) -> nodes.document:
        return StoredDoctree.env.get_doctree(self.docname)


def record_post(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, last: slim the post record, note what it holds."""
    env = app.env
    docname = env.docname
    if not hasattr(env, "blog_docs_with_refs"):
        env.blog_docs_with_refs = set()
        env.blog_postlist_docs = set()
    if any(doctree.findall(ablog_post.PostList)):
        env.blog_postlist_docs.add(docname)
    infos = getattr(env, "ablog_posts", {}).get(docname, [])
    if any(doctree.findall(addnodes.pending_xref)):
        env.blog_docs_with_refs.add(docname)
    for info in infos:
        # A post that is a section of a page keeps its own tree.
        if not info["section"]:
            info["doctree"] = StoredDoctree(docname)
        # A copied node still points to its document, which would be
        # pickled with it into the environment.
        for node in info["excerpt"]:
            for part in node.findall():
                part.document = None


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for attribute in ("blog_docs_with_refs", "blog_postlist_docs"):
        getattr(env, attribute, set()).discard(docname)


def merge_posts(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    """``env-merge-info``: bring back what a parallel reader recorded."""
    if not hasattr(env, "ablog_posts"):
        env.ablog_posts = {}
    for docname, infos in getattr(other, "ablog_posts", {}).items():
        if docname in docnames:
            env.ablog_posts[docname] = infos
    for attribute in ("blog_docs_with_refs", "blog_postlist_docs"):
        if not hasattr(env, attribute):
            setattr(env, attribute, set())
        getattr(env, attribute).update(getattr(other, attribute, set()) & docnames)


# -- After the build --------------------------------------------------------------


def remove_empty_folders(folder: Path, outdir: Path) -> None:
    while folder != outdir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def finish(app: Sphinx, exception: Exception | None) -> None:
    """Delete what the site no longer has, and record this build."""
    plan: Plan | None = getattr(app, "blog_incremental_plan", None)
    if exception is not None or plan is None:
        return
    outdir = Path(app.outdir)
    env = app.env
    plan.new.outputs.update(output_relpath(app, docname) for docname in env.found_docs)
    for relpath in sorted(plan.old.outputs - plan.new.outputs):
        path = outdir / relpath
        if path.is_file():
            path.unlink()
            sources = outdir / "_sources" / relpath
            for copy in sources.parent.glob(sources.stem + ".*") if sources.parent.is_dir() else []:
                copy.unlink()
            remove_empty_folders(sources.parent, outdir)
            remove_empty_folders(path.parent, outdir)
    with open(state_path(app), "wb") as f:
        pickle.dump(plan.new, f, pickle.HIGHEST_PROTOCOL)


# -- Setup --------------------------------------------------------------------------


def replace_listener(app: Sphinx, event: str, handler, replacement) -> None:
    for listener in list(app.events.listeners[event]):
        if listener.handler is handler:
            app.disconnect(listener.id)
    app.connect(event, replacement)


def builder_inited(app: Sphinx) -> None:
    StoredDoctree.env = app.env


def setup(app: Sphinx) -> dict:
    app.setup_extension("ablog")
    # ablog's environment data is merged back by merge_posts.
    app.extensions["ablog"].parallel_read_safe = True
    replace_listener(app, "html-collect-pages", ablog_post.generate_archive_pages, collection_pages)
    replace_listener(app, "html-collect-pages", ablog_post.generate_atom_feeds, feeds)
    Post.to_html = cached_to_html(Post.to_html)
    app.connect("builder-inited", builder_inited)
    # Late, after every handler that edits the post record (excerpts, ...).
    app.connect("doctree-read", record_post, priority=900)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge_posts)
    app.connect("env-get-updated", plan_writes)
    # Before the handlers that post-process outputs (feeds, sitemap, search):
    # what this build no longer produces is gone by then.
    app.connect("build-finished", finish, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
