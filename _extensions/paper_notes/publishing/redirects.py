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
target that the build did not produce stops the build with one line at the
entry's line of the file. The page of an address taken out of the file is deleted (the
build records what it wrote, beside the environment).

sphinx-reredirects writes HTML redirect pages only, from document names: an
old feed address needs the feed itself, and an old address that is not a
document's would need its own line in conf.py.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import yaml

from ..build.output_files import remove_empty_folders, write_if_changed
from ..errors import Problem, stop
from .addresses import language_tag, site_base

if TYPE_CHECKING:
    from sphinx.application import Sphinx


# What the last build wrote, in the doctree folder.
WRITTEN_FILE = "redirects-written.json"


ENTRY_RULE = "expected 'old path: new page' lines, e.g. '/year-archive/: index'"


def read_redirects(path: Path) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """Each old path -> (its new page, the line of the file that says so); and the mistakes."""
    where = path.name
    try:
        node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
    except FileNotFoundError:
        return {}, [Problem("conf.py:1", f"redirects_file names {where}, which does not exist; expected a YAML file")]
    except UnicodeDecodeError:
        return {}, [Problem(f"{where}:1", "the file is not UTF-8; expected a file saved as UTF-8")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return {}, [Problem(f"{where}:{line}", f"not valid YAML ({getattr(error, 'problem', error)}); {ENTRY_RULE}")]
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return {}, [Problem(f"{where}:{node.start_mark.line + 1}", f"not a list of addresses; {ENTRY_RULE}")]
    redirects, problems = {}, []
    for key, value in node.value:
        line, old, new = key.start_mark.line + 1, key.value, value.value
        if not isinstance(key, yaml.ScalarNode) or not old.startswith("/") or ".." in old.split("/"):
            problems.append(Problem(f"{where}:{line}", f"{old!r} is not an old address; expected a path starting with '/'"))
        elif not isinstance(value, yaml.ScalarNode) or not new or new.startswith("/"):
            problems.append(
                Problem(f"{where}:{line}", f"{old!r} leads to {new!r}; expected a document name such as posts/2023/dpo")
            )
        elif old in redirects:
            problems.append(Problem(f"{where}:{line}", f"{old!r} is given twice; expected each old address once"))
        else:
            redirects[old] = (new, line)
    return redirects, problems


def load_redirects(app: Sphinx) -> dict[str, tuple[str, int]]:
    """The redirects of ``redirects_file``; a mistake in it stops the build."""
    redirects, problems = read_redirects(Path(app.confdir) / app.config.redirects_file)
    if problems:
        stop(problems)
    return redirects


def check_redirects(app: Sphinx, config) -> None:
    """``config-inited``: the file's mistakes stop the build before anything is read."""
    load_redirects(app)


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
    redirects = load_redirects(app)
    outdir = Path(app.outdir)
    base = site_base(app)
    # Not what is on disk: an earlier build's redirects are there too.
    site_files = {app.builder.get_target_uri(name) for name in app.env.found_docs | app.env.rendered_pages}
    site_files |= {"sitemap.xml", "robots.txt", "objects.inv", "searchindex.js"}
    reserved = {"_static", "_images", "_sources", "_downloads", app.config.blog_path}
    written: set[str] = set()
    problems, targets = [], {}
    if not app.config.blog_baseurl:
        # The preview (make livehtml) writes no feeds, so it has no feed to copy.
        redirects = {old: entry for old, entry in redirects.items() if not entry[0].endswith(".xml")}
    for old, (new, line) in redirects.items():
        where = f"{source.name}:{line}"
        targets[old] = target_file(app, outdir, new)
        relpath = output_path(old)
        if targets[old] is None:
            problems.append(
                Problem(where, f"{old!r} leads to {new!r}, which the site does not have; expected a document name"
                        " (posts/2023/dpo), a page of the blog (blog/tag) or a file (blog/atom.xml)")
            )
        elif relpath.as_posix() in site_files or relpath.parts[0] in reserved:
            problems.append(Problem(where, f"{old!r} would overwrite {relpath}, a page of the site; expected an old address"))
    if problems:
        stop(problems)
    for old, (new, line) in redirects.items():
        target = targets[old]
        relpath = output_path(old)
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
