"""Rebuild the whole index from the app tables: after a change in how text is cut or ranked,
after loading data behind the services' backs (the demo), or to repair drift. Each app owns
how its rows become documents (its ``indexing.rebuild``); this only calls them in turn."""

from collections.abc import Callable

from django.db import transaction
from django.utils.module_loading import import_string

SOURCES = (
    "seedbed.communities.indexing.rebuild",
    "seedbed.events.indexing.rebuild",
    "seedbed.accounts.indexing.rebuild",
    "seedbed.matching.indexing.rebuild",
    "seedbed.library.indexing.rebuild",
)


def rebuild_everything(echo: Callable[[str], None] | None = None) -> int:
    """Index every searchable row of every app and drop documents whose rows are gone, in
    one transaction so searches meanwhile see the old index or the new, never half."""
    done = 0
    with transaction.atomic():
        for path in SOURCES:
            count = import_string(path)()
            if echo is not None:
                echo(f"{path.split('.')[1]}: {count} documents")
            done += count
    return done
