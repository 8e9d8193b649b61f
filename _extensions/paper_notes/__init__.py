"""The paper-notes blog's engine: one Sphinx extension, wired here.

Its folders say what the site does: ``posts``, ``papers``, ``publishing``,
``search``, ``page_weight``; ``build`` keeps incremental builds equal to
clean ones; ``patches`` holds every use of another package's internals, one
module per package, gated by version (``patches/__init__.py``);
``commands`` are ``make post`` and ``make check``. Every setting is declared
in ``settings.py``.

Every handler is connected below, in one place, with its priority: where
two handlers of one event depend on their order, the priority says so, and
handlers of the same priority run in the order written here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

__version__ = "1.0"


def check_and_patch(app: Sphinx, config: Config) -> None:
    """Settings checked, then every patch this build applies, gated by version."""
    from . import errors, patches, settings
    from .build import memory

    problems = settings.problems(app.confdir, config)
    if problems:
        errors.stop(problems)
    applied = patches.applied(config.speedups)
    problems = patches.unchecked_versions(applied)
    if problems:
        errors.stop(problems)
    patches.apply(app, applied)
    if config.speedups:
        memory.tune_garbage_collector()


def setup(app: Sphinx) -> dict:
    # The engine's modules are imported here, not with the package: ``make
    # check`` and ``make post`` import a few of them, without Sphinx's weight.
    from . import settings
    from .build import git_dates, incremental, post_records
    from .browsing import graph, previews, relations
    from .build.code_versions import local_code_version
    from .page_weight import icon_font, mathml, scripts, unused_static
    from .papers import bibliography, cards, citations
    from .papers import index as paper_index
    from .posts import drafts, excerpts, front_matter, links, pages, pagination, reading_time, section_labels, sidebar
    from .posts import taxonomy_urls, update_dates
    from .publishing import feeds, page_meta, redirects, sitemap
    from .search import chinese_scripts, pagefind

    app.require_sphinx("9.0")
    app.setup_extension("ablog")
    app.setup_extension("sphinxcontrib.bibtex")
    settings.add_settings(app)
    # What a listing entry shows beyond the post itself (the draft mark).
    app.add_event("blog-entry-context")
    # What a feed entry shows beyond the post itself (the note's paper).
    app.add_event("blog-feed-entry")
    # Documents, beside the home page, that list posts.
    app.add_event("blog-listing-docs")
    # What each page shows of other pages (backlinks, related notes, previews): {docname: value}.
    app.add_event("blog-page-inputs")
    # What a post's listing entry shows of other sources (the papers it cites), for a docname.
    app.add_event("blog-entry-inputs")
    # The documents just written, by name, in the main process (emitted by a speed-up).
    app.add_event("documents-written")

    # -- Configuration: first the checks and patches, before ablog lists the posts (500).
    app.connect("config-inited", check_and_patch, priority=100)
    app.connect("config-inited", front_matter.check_in_build)
    # After the posts' front matter: their papers must be in the bibliography.
    app.connect("config-inited", bibliography.check_bibliography, priority=550)
    app.connect("config-inited", redirects.check_redirects, priority=550)
    # After ablog has listed the posts in matched_blog_posts.
    app.connect("config-inited", drafts.leave_out_unpublished, priority=600)
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(mathml.visit_inline_math, None),
        block_renderers=(mathml.visit_block_math, None),
    )
    citations.register_style()
    app.add_post_transform(citations.CitationsLinkHome)

    # -- Builder.
    app.connect("builder-inited", taxonomy_urls.create_collections)
    app.connect("builder-inited", scripts.add_filter)
    # After sphinxcontrib-bibtex's own handler, which parses the files.
    app.connect("builder-inited", bibliography.load_papers, priority=600)
    app.connect("builder-inited", incremental.start)
    app.connect("builder-inited", git_dates.forget)
    app.connect("builder-inited", redirects.reset_pages)
    app.connect("builder-inited", pagefind.switch_off_sphinx_search)

    # -- Reading.
    app.connect("env-get-outdated", update_dates.refresh_update_dates)
    app.connect("env-get-outdated", bibliography.notes_of_changed_papers)
    app.connect("env-get-outdated", incremental.read_everything)
    app.connect("env-before-read-docs", excerpts.forget)
    app.connect("env-before-read-docs", sidebar.forget)
    app.connect("env-before-read-docs", graph.forget)
    app.connect("source-read", citations.add_reference_list)
    # Before ablog's process_posts (500) copies the tree for listings and feeds.
    app.connect("doctree-read", citations.note_citation_homes, priority=400)
    app.connect("doctree-read", reading_time.record_reading_time)
    # After MyST has put its heading anchors into the doctree.
    app.connect("doctree-read", section_labels.label_sections)
    # After ablog's process_posts (500) has recorded the post.
    app.connect("doctree-read", excerpts.set_excerpts, priority=600)
    app.connect("doctree-read", update_dates.set_update_date, priority=600)
    app.connect("doctree-read", post_records.record_document, priority=900)
    app.connect("env-purge-doc", post_records.purge)
    app.connect("env-merge-info", post_records.merge)
    app.connect("env-get-updated", incremental.plan_writes)
    # Last: intersphinx and any other resolver have their turn first.
    app.connect("missing-reference", links.report_missing_link, priority=900)
    app.connect("env-check-consistency", paper_index.check_index_page)

    # -- Writing pages.
    app.connect("write-started", pagefind.begin_indexing)
    app.connect("documents-written", pagefind.index_written_posts)
    # After sphinx-notfound-page gives the 404 page its pathto (400), before
    # pydata-sphinx-theme drops sidebar templates that render empty (500).
    app.connect("html-page-context", sidebar.add_sidebar, priority=450)
    app.connect("html-page-context", excerpts.add_entry_function)
    app.connect("html-page-context", scripts.used_scripts)
    app.connect("html-page-context", paper_index.add_index_context)
    app.connect("html-page-context", sitemap.mark_unlisted)
    app.connect("html-page-context", redirects.record_page)
    app.connect("html-page-context", pagefind.add_heading_ids)
    app.connect("html-page-context", citations.reference_list_items)
    app.connect("html-page-context", relations.add_relations)
    app.connect("html-page-context", previews.add_previews)
    # Before pages.add_page_context (600), which puts what it adds under the title.
    app.connect("html-page-context", cards.add_card, priority=590)
    app.connect("html-page-context", pages.add_page_context, priority=600)
    # Before page_meta (700), which describes a listing's page by its title and posts.
    app.connect("html-page-context", pagination.add_page_context, priority=600)
    # After ablog's own handler (500), which sets feed_path.
    app.connect("html-page-context", feeds.advertise_feeds, priority=600)
    # After pages and pagination (600), which set an English post's language and a listing page's title.
    app.connect("html-page-context", drafts.add_draft_marks, priority=700)
    app.connect("html-page-context", page_meta.add_meta_tags, priority=700)
    app.connect("html-page-context", incremental.note_written_page, priority=900)
    app.connect("blog-entry-context", drafts.entry_context)
    app.connect("blog-feed-entry", cards.feed_entry_extras)
    app.connect("blog-listing-docs", lambda app: [app.config.paper_index_page])
    app.connect("blog-page-inputs", relations.page_inputs)
    app.connect("blog-entry-inputs", citations.excerpt_papers)
    app.connect("blog-page-inputs", previews.page_inputs)
    app.connect("html-collect-pages", feeds.write_feeds)
    app.connect("html-collect-pages", incremental.collection_pages)
    app.connect("html-collect-pages", pagination.collect_home_pages)
    app.connect("html-collect-pages", pagefind.index_the_rest, priority=100)
    app.connect("html-collect-pages", pagefind.search_page)

    # -- After the build. Stale pages go first: the sitemap and search must not see them.
    app.connect("build-finished", incremental.finish, priority=400)
    app.connect("build-finished", graph.keep_rankings)
    app.connect("build-finished", icon_font.subset_icons)
    app.connect("build-finished", unused_static.remove_unused)
    app.connect("build-finished", sitemap.write_sitemap)
    app.connect("build-finished", pagefind.finish_index)
    app.connect("build-finished", chinese_scripts.write_tables)
    # After the feeds are final: an old feed address serves a copy.
    app.connect("build-finished", redirects.write_redirects, priority=800)
    return {
        "version": __version__,
        # The environment holds for this code alone: a change to it reads every document again.
        "env_version": local_code_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
