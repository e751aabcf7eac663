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
from dataclasses import dataclass, replace

from app.core.cancel import Progress
from app.store import search_pages
from app.store.item_query import LIST_COLUMNS, ItemFilter, check_search
from app.store.sql_lists import chunks, marks
from app.store.schema import CHRONO_KEY

CHRONO = CHRONO_KEY.replace("ts_us", "items.ts_us")


@dataclass(frozen=True)
class SortOrder:
    name: str
    key: tuple[str, ...]  # SQL expressions; the last one is items.id
    looked_up: bool = False  # keyed by a look-up in another table: no index can serve it


SORTS = {
    "time": SortOrder("time", (CHRONO, "items.id")),
    "kind": SortOrder("kind", ("items.kind", CHRONO, "items.id")),
    "source": SortOrder("source", ("items.source_id", CHRONO, "items.id")),
    "account": SortOrder("account", ("coalesce(items.account, '')", "items.id")),
    # Columns the user may add to the table (app/ui/table_columns.py). IP, API key and model
    # get an index the first time a user sorts by them (SORT_INDEXES); the others, keyed
    # by a look-up, sort every matching row once per page (300,000 rows: ~0.2 s).
    "model": SortOrder("model", ("coalesce(items.model, '')", "items.id")),
    "ip": SortOrder("ip", ("coalesce(items.ip, '')", "items.id")),
    "api_key": SortOrder("api_key", ("coalesce(items.api_key, '')", "items.id")),
    # The page the item starts on in the latest production; never produced: last.
    "bates": SortOrder(
        "bates",
        (
            "coalesce((SELECT p.bates_first FROM production_items p WHERE p.item_id = items.id"
            " AND p.production_id = (SELECT max(id) FROM productions)), 9223372036854775807)",
            "items.id",
        ),
        looked_up=True,
    ),
    # A log row's status and total tokens, once indexed (app/store/item_usage.py); others last.
    "status": SortOrder(
        "status",
        ("coalesce((SELECT u.status FROM item_usage u WHERE u.item_id = items.id), '')", "items.id"),
        looked_up=True,
    ),
    "tokens": SortOrder(
        "tokens",
        ("coalesce((SELECT u.tokens FROM item_usage u WHERE u.item_id = items.id), -1)", "items.id"),
        looked_up=True,
    ),
    "custodian": SortOrder(
        "custodian",
        ("coalesce((SELECT custodian FROM sources WHERE sources.id = items.source_id), '')", "items.id"),
        looked_up=True,
    ),
}
# Indexes that serve a sort, made when a user first sorts by it (not for every case: each
# index makes every later import slower).
SORT_INDEXES = {
    name: f"CREATE INDEX IF NOT EXISTS items_sort_{name} ON items(coalesce({name}, ''), id)"
    for name in ("ip", "api_key", "model")
}


def sort_index_missing(conn: sqlite3.Connection, sort: str) -> bool:
    if sort not in SORT_INDEXES:
        return False
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (f"items_sort_{sort}",))
    return found.fetchone() is None


def make_sort_index(case, sort: str, token=None):
    """Build the index a sort needs (a generator for the worker thread; a million rows: ~2 s).

    An index is no evidence: it is not audited, and verify's integrity check covers it."""
    yield Progress(f"Preparing to sort by {sort.replace('_', ' ')}", 0, None, "steps")
    with case.transaction():
        case.conn.execute(SORT_INDEXES[sort])
    return sort


# What a page row holds: the listing's columns and the ones the table may add.
PAGE_COLUMNS = (*LIST_COLUMNS, "ip", "api_key")


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

    Each row is a dict of PAGE_COLUMNS plus "key", the tuple to page on from it. A search
    or a tag filter is paged without gathering every match first (app/store/search_pages.py).
    """
    how, item_filter = search_pages.plan(conn, window.item_filter)
    window = replace(window, item_filter=item_filter)
    if how == search_pages.WALK:
        return _walked_page(conn, window, after, limit)
    return _listed(conn, window, after, limit, scan=how == search_pages.SCAN)


def _listed(conn, window: Window, after: tuple | None, limit: int, scan: bool = False) -> list[dict]:
    if _sorts_every_row(conn, window):
        # No index gives this order: SQLite sorts every listed row to find a page. Sorting
        # only ids and keys, then reading the page's columns, carries far less through the
        # sort (1M rows, tokens descending: ~2.3 s -> ~0.25 s a page).
        return _rows_of(conn, window, _keys_after(conn, window, after, limit, scan))
    width = len(PAGE_COLUMNS)
    rows: list[dict] = []
    for sql, params in _seek_queries(
        window, after, f"{', '.join('items.' + c for c in PAGE_COLUMNS)}, {', '.join(window.order.key)}", scan
    ):
        for row in conn.execute(sql, [*params, limit - len(rows)]):
            item = dict(zip(PAGE_COLUMNS, row[:width]))
            item["key"] = tuple(row[width:])
            rows.append(item)
        if len(rows) >= limit:
            break
    return rows


def _walked_page(conn, window: Window, after: tuple | None, limit: int) -> list[dict]:
    """Walk the listing without the search in its order, keeping the rows the search matches.

    Only ids and keys are read while walking; the kept rows' columns are read at the end.
    The first batch is what a page would need if every row matched; the next ones are
    sized by the share of rows that matched so far (a test per row is not free).
    """
    search = window.item_filter.search or ""  # a walk is only planned for a search
    listing = replace(window, item_filter=search_pages.without_search(window.item_filter))
    kept: list[tuple[int, tuple]] = []
    walked_total = matched_total = 0
    batch = limit + limit // 4
    while len(kept) < limit:
        walked = _keys_after(conn, listing, after, batch)
        matches = search_pages.matching(conn, search, [item_id for item_id, _key in walked])
        kept += [(item_id, key) for item_id, key in walked if item_id in matches][: limit - len(kept)]
        if len(walked) < batch:
            break
        after = walked[-1][1]
        walked_total, matched_total = walked_total + len(walked), matched_total + len(matches)
        share = max(matched_total / walked_total, 1 / search_pages.SCAN_SHARE)
        batch = min(int((limit - len(kept)) / share * 1.25) + 16, search_pages.MAX_BATCH)
    return _rows_of(conn, window, kept)


def _sorts_every_row(conn, window: Window) -> bool:
    """Whether the window's order is a look-up or an index not made yet (see SORTS)."""
    return window.order.looked_up or sort_index_missing(conn, window.sort)


def _keys_after(conn, window: Window, after: tuple | None, limit: int, scan: bool = False) -> list[tuple[int, tuple]]:
    keyed: list[tuple[int, tuple]] = []
    columns = f"items.id, {', '.join(window.order.key)}"
    for sql, params in _seek_queries(window, after, columns, scan, _sorts_every_row(conn, window)):
        keyed += [(row[0], tuple(row[1:])) for row in conn.execute(sql, [*params, limit - len(keyed)])]
        if len(keyed) >= limit:
            break
    return keyed


def _rows_of(conn, window: Window, kept: list[tuple[int, tuple]]) -> list[dict]:
    """The listed columns of `kept` (id, key) pairs, in their order."""
    found: dict[int, dict] = {}
    ids = [item_id for item_id, _key in kept]
    for part in chunks(ids):
        sql = f"SELECT {', '.join('items.' + c for c in PAGE_COLUMNS)} FROM items WHERE items.id IN ({marks(part)})"
        for row in conn.execute(sql, part):
            found[row[0]] = dict(zip(PAGE_COLUMNS, row))
    rows = []
    for item_id, key in kept:
        row = found[item_id]
        row["key"] = key
        rows.append(row)
    return rows


def _seek_queries(window: Window, after: tuple | None, columns: str, scan: bool = False, sorted_scan: bool = False):
    """Queries that list the rows after a key, each an index range seek, in order.

    SQLite scans instead of seeking for a row-value `(a, b, c) > (?, ?, ?)`; split
    lexicographically it seeks: (a = ? AND b = ? AND c > ?), then (a = ? AND b > ?),
    then (a > ?) -- each ordered and limited, read until the page is full. `scan`: the
    filter's sets of matches are tested while walking (search_pages.scan_where).
    `sorted_scan`: no index serves the order (_sorts_every_row), so every query reads
    and sorts every listed row; one query with the row value then costs one such pass.
    """
    where, params = search_pages.scan_where(window.item_filter) if scan else window.item_filter.where()
    head = f"SELECT {columns} FROM items WHERE {where}"
    tail = f" ORDER BY {window.order_by()} LIMIT ?"
    if after is None:
        yield head + tail, params
        return
    op = "<" if window.descending else ">"
    key = window.order.key
    if sorted_scan:
        yield f"{head} AND ({', '.join(key)}) {op} ({marks(key)}){tail}", [*params, *after]
        return
    direction = "DESC" if window.descending else "ASC"
    for level in range(len(key) - 1, -1, -1):
        equal = "".join(f" AND {expr} = ?" for expr in key[:level])
        # The terms held equal are left out of the order: SQLite drops such a term from
        # its sort only for a plain column, and an expression left in (the coalesce of a
        # sortable column) makes it sort every row of the group (3 models in 1M rows:
        # 0.3 s for the next page instead of 1 ms).
        order = ", ".join(f"{expr} {direction}" for expr in key[level:])
        yield f"{head}{equal} AND {key[level]} {op} ? ORDER BY {order} LIMIT ?", [*params, *after[: level + 1]]


def key_at(conn: sqlite3.Connection, window: Window, position: int, total: int) -> tuple | None:
    """The sort key of the row at `position` (0-based), by OFFSET from the nearer end."""
    reverse = position >= total // 2
    offset = total - 1 - position if reverse else position
    how, item_filter = search_pages.plan(conn, window.item_filter)
    where, params = item_filter.where() if how == search_pages.FEW else search_pages.scan_where(item_filter)
    sql = (
        f"SELECT {', '.join(window.order.key)} FROM items WHERE {where}"
        f" ORDER BY {window.order_by(reverse)} LIMIT 1 OFFSET ?"
    )
    row = conn.execute(sql, [*params, max(0, offset)]).fetchone()
    return tuple(row) if row else None


def ids_between(conn: sqlite3.Connection, window: Window, after: tuple | None, limit: int) -> list[int]:
    """Ids of `limit` rows after the key `after`: a selected range, without loading rows."""
    ids: list[int] = []
    for sql, params in _seek_queries(window, after, "items.id", sorted_scan=_sorts_every_row(conn, window)):
        ids += [r[0] for r in conn.execute(sql, [*params, limit - len(ids)])]
        if len(ids) >= limit:
            break
    return ids


@dataclass(frozen=True)
class RowSelection:
    """Rows of a listing chosen by position (the table's selection as ranges).

    It turns into ids wherever the work runs: a select-all of a million rows is resolved
    on the worker that tags them, never on the GUI thread (~0.4 s of reading ids).
    """

    window: Window
    ranges: tuple[tuple[int, int], ...]  # (first, last) row numbers, inclusive, merged
    total: int  # rows the listing had when the selection was made
    counted: bool = True  # False: `total` is the first page's while the count is coming

    @property
    def count(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)

    def ids(self, conn: sqlite3.Connection) -> list[int]:
        ids: list[int] = []
        for first, last in self.ranges:
            if first == 0 and last >= self.total - 1 and self.counted:
                ids += all_ids(conn, self.window.item_filter)
                continue
            after = None if first == 0 else key_at(conn, self.window, first - 1, self.total)
            ids += ids_between(conn, self.window, after, last - first + 1)
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
