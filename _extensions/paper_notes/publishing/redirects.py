"""Keep the old site's addresses working: one page per old address.

``redirects_file`` (``redirects.yaml``) maps each old path, as it was on the
Academic Pages site, to the page that replaces it: a document name (as in
``{doc}``, e.g. ``posts/2023/dpo``), one of ablog's pages (``blog/tag``) or a
file of the built site (``blog/atom.xml``). For each entry the build writes,
at the old path under the output folder:

- ``/a/b/`` or ``/a/b``: ``a/b/index.html``; ``/a/b.html``: that file. A page
  that sends the reader on at once (meta refresh 0, for browsers and search
  engines), with a canonical link and a plain link to the new address.
- anything else (``/feed.xml``): a copy of the target file. A feed reader
  follows no HTML redirect, so the old feed address serves the site feed
  itself; its entry IDs are the same, so no entry shows twice, and its
  ``rel="self"`` link names the new address for readers that move over.

A malformed entry, an old path that would overwrite a page of the site or a
target that the build did not produce stops the build, naming the file and
the entry. The page of an address taken out of the file is deleted (the
build records what it wrote, beside the environment).

sphinx-reredirects writes HTML redirect pages only, from document names: an
old feed address needs the feed itself, and an old address that is not a
document's would need its own line in conf.py.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

import yaml
from sphinx.application import Sphinx
from sphinx.errors import SphinxError

from .feeds import language_tag, site_base
from ..build.output_files import remove_empty_folders, write_if_changed


# What the last build wrote, in the doctree folder.
WRITTEN_FILE = "redirects-written.json"


class RedirectError(SphinxError):
    category = "Bad redirect"


def load_redirects(path: Path) -> dict[str, str]:
    where = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RedirectError(f"{where}: no such file; redirects_file in conf.py names it") from None
    except yaml.YAMLError as exc:
        raise RedirectError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RedirectError(f"{where}: expected 'old path: new page' lines")
    for old, new in data.items():
        if not isinstance(old, str) or not old.startswith("/") or ".." in old.split("/"):
            raise RedirectError(f"{where}: {old!r}: an old address is a path starting with '/'")
        if not isinstance(new, str) or not new or new.startswith("/"):
            raise RedirectError(f"{where}: {old!r}: the new page must be a document name such as posts/2023/dpo")
    return data


def output_path(old: str) -> PurePosixPath:
    path = PurePosixPath(old.lstrip("/"))
    if old.endswith("/") or not path.suffix:
        return path / "index.html"
    return path


def target_file(app: Sphinx, outdir: Path, new: str) -> Path | None:
    for candidate in (outdir / new, outdir / app.builder.get_target_uri(new)):
        if candidate.is_file():
            return candidate
    return None


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = Path(app.confdir) / app.config.redirects_file
    redirects = load_redirects(source)
    outdir = Path(app.outdir)
    base = site_base(app)
    # Not what is on disk: an earlier build's redirects are there too.
    site_files = {app.builder.get_target_uri(name) for name in app.env.found_docs | app.env.rendered_pages}
    site_files |= {"sitemap.xml", "robots.txt", "objects.inv", "searchindex.js"}
    reserved = {"_static", "_images", "_sources", "_downloads", app.config.blog_path}
    written: set[str] = set()
    for old, new in redirects.items():
        entry = f"{source.name}: {old!r} -> {new!r}"
        target = target_file(app, outdir, new)
        if target is None:
            raise RedirectError(f"{entry}: the site has no such page or file")
        relpath = output_path(old)
        if relpath.as_posix() in site_files or relpath.parts[0] in reserved:
            raise RedirectError(f"{entry}: {relpath} is part of the site already")
        path = outdir / relpath
        written.add(relpath.as_posix())
        if path.suffix != ".html":
            write_if_changed(path, target.read_bytes())
            continue
        context = {
            "target_url": urljoin(base, target.relative_to(outdir).as_posix()),
            "language_tag": language_tag(app.config.language),
        }
        write_if_changed(path, app.builder.templates.render("moved.html", context))
    # An old address taken out of the file since the last build loses its page.
    record = Path(app.doctreedir) / WRITTEN_FILE
    try:
        earlier = set(json.loads(record.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        earlier = set()
    for relpath in sorted(earlier - written):
        stale = outdir / relpath
        stale.unlink(missing_ok=True)
        remove_empty_folders(stale.parent, outdir)
    record.write_text(json.dumps(sorted(written)), encoding="utf-8")


def record_page(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    app.env.rendered_pages.add(pagename)


def reset_pages(app: Sphinx) -> None:
    app.env.rendered_pages = set()
