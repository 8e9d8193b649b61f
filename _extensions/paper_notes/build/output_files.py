"""Output files written only when what they hold changed, and removed with their empty folders.

A rebuild that changes nothing then leaves the site's files as they were,
modification times included, so that what a rebuild wrote is what changed
(``make bench`` counts it) and a deployment that copies changed files copies
only those. A file that a clean build would not write is removed, and the
folders it leaves empty too, as a clean build would not make them.
"""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write ``content`` (text is written as UTF-8) unless the file holds it already."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def remove_empty_folders(folder: Path, outdir: Path) -> None:
    """Remove ``folder`` and its parents inside ``outdir`` while they are empty."""
    while folder != outdir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
