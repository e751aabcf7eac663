"""Sorted, windowed access to the items an ItemFilter selects: what the review table needs.

The table never loads every row. It asks for one page at a time, keyed by the sort
key of the row before it (keyset pagination on an index: a page at row 900,000 costs
what page 1 costs). To land far away (drag the scroll bar to the end) it finds the
key of the row at a position once with `OFFSET` -- counted from whichever end is
nearer, so the last row is as cheap as the first -- and pages from there.

Sort orders are declared once here (SORTS), each a list of SQL expressions ending in
`items.id` so that keys are unique; each has an index that serves it.
"""

import sqlite3
from dataclasses import dataclass

from app.store.item_query import LIST_COLUMNS, ItemFilter, check_search
from app.store.schema import CHRONO_KEY

CHRONO = CHRONO_KEY.replace("ts_us", "items.ts_us")


@dataclass(frozen=True)
class SortOrder:
    name: str
    key: tuple[str, ...]  # SQL expressions; the last one is items.id


SORTS = {
    "time": SortOrder("time", (CHRONO, "items.id")),
    "kind": SortOrder("kind", ("items.kind", CHRONO, "items.id")),
    "source": SortOrder("source", ("items.source_id", "items.id")),
    "account": SortOrder("account", ("coalesce(items.account, '')", "items.id")),
}


@dataclass(frozen=True)
class Window:
    """What is listed and in which order."""

    item_filter: ItemFilter
    sort: str = "time"
    descending: bool = False

    @property
    def order(self) -> SortOrder:
        return SORTS[self.sort]

    def order_by(self, reverse: bool = False) -> str:
        direction = "DESC" if self.descending != reverse else "ASC"
        return ", ".join(f"{expr} {direction}" for expr in self.order.key)


def count(conn: sqlite3.Connection, window: Window) -> int:
    """How many items the window lists."""
    if window.item_filter.search:
        check_search(conn, window.item_filter.search)
    where, params = window.item_filter.where()
    return conn.execute(f"SELECT count(*) FROM items WHERE {where}", params).fetchone()[0]


def page(conn: sqlite3.Connection, window: Window, after: tuple | None, limit: int) -> list[dict]:
    """Up to `limit` items in window order after the key `after` (None: from the start).

    Each row is a dict of LIST_COLUMNS plus "key", the tuple to page on from it.
    """
    width = len(LIST_COLUMNS)
    rows: list[dict] = []
    for sql, params in _seek_queries(
        window, after, f"{', '.join('items.' + c for c in LIST_COLUMNS)}, {', '.join(window.order.key)}"
    ):
        for row in conn.execute(sql, [*params, limit - len(rows)]):
            item = dict(zip(LIST_COLUMNS, row[:width]))
            item["key"] = tuple(row[width:])
            rows.append(item)
        if len(rows) >= limit:
            break
    return rows


def _seek_queries(window: Window, after: tuple | None, columns: str):
    """Queries that list the rows after a key, each an index range seek, in order.

    SQLite scans instead of seeking for a row-value `(a, b, c) > (?, ?, ?)`; split
    lexicographically it seeks: (a = ? AND b = ? AND c > ?), then (a = ? AND b > ?),
    then (a > ?) -- each ordered and limited, read until the page is full.
    """
    where, params = window.item_filter.where()
    head = f"SELECT {columns} FROM items WHERE {where}"
    tail = f" ORDER BY {window.order_by()} LIMIT ?"
    if after is None:
        yield head + tail, params
        return
    op = "<" if window.descending else ">"
    key = window.order.key
    for level in range(len(key) - 1, -1, -1):
        equal = "".join(f" AND {expr} = ?" for expr in key[:level])
        yield f"{head}{equal} AND {key[level]} {op} ?{tail}", [*params, *after[: level + 1]]


def key_at(conn: sqlite3.Connection, window: Window, position: int, total: int) -> tuple | None:
    """The sort key of the row at `position` (0-based), by OFFSET from the nearer end."""
    reverse = position >= total // 2
    offset = total - 1 - position if reverse else position
    where, params = window.item_filter.where()
    sql = (
        f"SELECT {', '.join(window.order.key)} FROM items WHERE {where}"
        f" ORDER BY {window.order_by(reverse)} LIMIT 1 OFFSET ?"
    )
    row = conn.execute(sql, [*params, max(0, offset)]).fetchone()
    return tuple(row) if row else None


def ids_between(conn: sqlite3.Connection, window: Window, after: tuple | None, limit: int) -> list[int]:
    """Ids of `limit` rows after the key `after`: a selected range, without loading rows."""
    ids: list[int] = []
    for sql, params in _seek_queries(window, after, "items.id"):
        ids += [r[0] for r in conn.execute(sql, [*params, limit - len(ids)])]
        if len(ids) >= limit:
            break
    return ids


def all_ids(conn: sqlite3.Connection, item_filter: ItemFilter) -> list[int]:
    """Every id the filter selects (select-all of a million rows: ~8 MB of ints, no rows)."""
    where, params = item_filter.where()
    return [r[0] for r in conn.execute(f"SELECT items.id FROM items WHERE {where}", params)]


def position_of(conn: sqlite3.Connection, window: Window, item_id: int) -> int | None:
    """The row (0-based) at which the window lists an item, or None if it does not list it.

    Counts the rows before the item's key, split the way `_seek_queries` splits a seek,
    so each count is an index range (a sort or a link keeps its item selected)."""
    where, params = window.item_filter.where()
    key = window.order.key
    row = conn.execute(
        f"SELECT {', '.join(key)} FROM items WHERE items.id = ? AND {where}", [item_id, *params]
    ).fetchone()
    if row is None:
        return None
    op = ">" if window.descending else "<"
    before = 0
    for level in range(len(key)):
        equal = "".join(f" AND {expr} IS ?" for expr in key[:level])
        sql = f"SELECT count(*) FROM items WHERE {where}{equal} AND {key[level]} {op} ?"
        before += conn.execute(sql, [*params, *row[: level + 1]]).fetchone()[0]
    return before


def positions_of(conn: sqlite3.Connection, window: Window, item_ids: list[int]) -> dict[int, int]:
    """{item id: row} of the items the window lists among `item_ids`, in one pass over the window.

    One read of every row the window lists (a selection kept across a sort): for a few
    ids over many rows, `position_of` per id is cheaper."""
    if not item_ids:
        return {}
    where, params = window.item_filter.where()
    wanted = ", ".join("?" for _ in item_ids)
    sql = (
        f"SELECT id, position FROM (SELECT items.id AS id, row_number() OVER (ORDER BY {window.order_by()}) - 1"
        f" AS position FROM items WHERE {where}) WHERE id IN ({wanted})"
    )
    return dict(conn.execute(sql, [*params, *item_ids]).fetchall())
