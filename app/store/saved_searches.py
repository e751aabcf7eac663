"""Saved searches of the review table: a named ItemFilter, per case, audited (see saved_by_name)."""

import dataclasses

from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter
from app.store.saved_by_name import SavedByName

SEARCHES = SavedByName("saved_searches", "filter", "search")


def save_search(case: CaseFile, name: str, item_filter: ItemFilter) -> None:
    """Save (or replace) a search under `name`."""
    SEARCHES.save(case, name, dataclasses.asdict(item_filter))


def saved_searches(case: CaseFile) -> list[tuple[str, ItemFilter]]:
    """(name, filter) pairs, by name; fields a newer version added are ignored."""
    known = {f.name for f in dataclasses.fields(ItemFilter)}
    return [
        (name, ItemFilter(**{k: v for k, v in values.items() if k in known}))
        for name, values in SEARCHES.all(case.conn)
    ]


def delete_search(case: CaseFile, name: str) -> None:
    SEARCHES.delete(case, name)
