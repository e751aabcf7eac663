"""Saved searches of the review table: a named ItemFilter, per case, audited."""

import dataclasses

import orjson

from app.store.case_file import CaseFile, utc_now_iso
from app.store.errors import CaseFileError
from app.store.item_query import ItemFilter


def save_search(case: CaseFile, name: str, item_filter: ItemFilter) -> None:
    """Save (or replace) a search under `name`."""
    name = name.strip()
    if not name:
        raise CaseFileError("A saved search needs a name.")
    data = orjson.dumps(dataclasses.asdict(item_filter)).decode()
    with case.transaction() as conn:
        conn.execute("INSERT INTO saved_searches(name, filter, who, created_utc) VALUES (?,?,?,?)"
                     " ON CONFLICT(name) DO UPDATE SET filter = excluded.filter, who = excluded.who,"
                     " created_utc = excluded.created_utc", (name, data, case.operator, utc_now_iso()))
        case.audit("search.save", {"name": name, "filter": orjson.loads(data)})


def saved_searches(case: CaseFile) -> list[tuple[str, ItemFilter]]:
    """(name, filter) pairs, by name; fields a newer version added are ignored."""
    known = {f.name for f in dataclasses.fields(ItemFilter)}
    result = []
    for name, data in case.conn.execute("SELECT name, filter FROM saved_searches ORDER BY name"):
        values = {k: v for k, v in orjson.loads(data).items() if k in known}
        result.append((name, ItemFilter(**values)))
    return result


def delete_search(case: CaseFile, name: str) -> None:
    with case.transaction() as conn:
        if conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,)).rowcount == 0:
            raise CaseFileError(f"There is no saved search {name!r}.")
        case.audit("search.delete", {"name": name})
