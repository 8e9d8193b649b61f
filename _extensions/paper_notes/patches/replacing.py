"""How a patch replaces another package's names and event handlers, visibly and once."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

from sphinx.application import Sphinx

# (id of owner, name) -> (original, replacement) of every name replaced in this process.
REPLACED: dict[tuple[int, str], tuple[object, object]] = {}


def replace(owner: object, name: str, make: Callable[[object], object]) -> None:
    """Replace ``owner.name`` by ``make(original)``, once per process.

    When ``owner`` is a module, every other module holding the original under
    that name (imported with ``from owner import name`` before the patch)
    gets the replacement too.
    """
    key = (id(owner), name)
    if key in REPLACED:
        return
    original = getattr(owner, name)
    replacement = make(original)
    REPLACED[key] = (original, replacement)
    setattr(owner, name, replacement)
    if isinstance(owner, ModuleType):
        for module in importers(original):
            if vars(module).get(name) is original:
                setattr(module, name, replacement)


def importers(original: object) -> list[ModuleType]:
    """Loaded modules that may hold ``original`` by name: all but the one defining it."""
    home = getattr(original, "__module__", None)
    return [module for module in list(sys.modules.values()) if isinstance(module, ModuleType) and module.__name__ != home]


def stale_references() -> list[str]:
    """Module globals that still hold a replaced original: places that bypass a patch."""
    return sorted(
        f"{module.__name__}.{name}"
        for original, _ in REPLACED.values()
        for module in importers(original)
        for name, value in list(vars(module).items())
        if value is original
    )


def replace_handler(app: Sphinx, event: str, handler: Callable, make: Callable[[Callable], Callable]) -> None:
    """Replace another extension's event handler in place, so that it keeps its turn."""
    listeners = app.events.listeners[event]
    for number, listener in enumerate(listeners):
        if listener.handler is handler:
            listeners[number] = listener._replace(handler=make(handler))


def disconnect_handler(app: Sphinx, event: str, handler: Callable) -> None:
    """Take another extension's handler off an event (the engine connects its own)."""
    for listener in list(app.events.listeners[event]):
        if listener.handler is handler:
            app.disconnect(listener.id)
