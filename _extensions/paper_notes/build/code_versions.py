"""The version of the engine's own code, which every cache kept between builds depends on.

Sphinx keeps its environment while the configuration and the extensions'
declared ``env_version`` stay the same; it does not look at their code, so
after an edit to the engine an incremental build would keep what the old
code read. :func:`local_code_version` is the engine's ``env_version``: any
change to its code makes the next build read every document again, as a
clean build does. The caches the engine keeps beside the environment are
keyed on the code that fills them (:func:`source_version`).
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

# The engine's package.
FOLDER = Path(__file__).resolve().parent.parent


@functools.cache
def source_version(*files: str | Path) -> str:
    """A digest of these files' text, made once per build: its code does not change while it runs."""
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def is_local(path: str | Path) -> bool:
    """Whether ``path`` is a module of the engine."""
    return FOLDER in Path(path).resolve().parents


def local_code_version() -> int:
    """A digest of every module of the engine that the build has imported."""
    files = sorted(
        path for module in list(sys.modules.values()) if (path := getattr(module, "__file__", None)) and is_local(path)
    )
    return int(source_version(*files), 16)
