"""Finding items: one filter, turned into SQL, shared by the CLI, the GUI and exports.

Listing is chronological (UTC, undated last, ties by id) with keyset pagination on
the `items_chrono` index, so page 10,000 costs what page 1 costs.
"""

import sqlite3
from dataclasses import dataclass, field

import orjson

from app.core.timestamps import format_utc_us
from app.store.cjk_index import rewrite_query
from app.store.errors import SearchSyntaxError
from app.store.item_fields import FieldsReader
from app.store.schema import CHRONO_KEY
from app.store.search_text import explain_search_error, fts_query
from app.store.sql_lists import chunks, marks

LIST_COLUMNS = (
    "id",
    "kind",
    "parent_id",
    "source_id",
    "title",
    "ts_us",
    "ts_zone",
    "ts_assumed",
    "account",
    "model",
    "thread_id",
)


MANY_IDS = 200


@dataclass
class ItemFilter:
    """What to show. Empty fields do not filter."""

    kinds: list[str] = field(default_factory=list)
    source_ids: list[int] = field(default_factory=list)
    custodians: list[str] = field(default_factory=list)
    tags_any: list[str] = field(default_factory=list)
    tags_all: list[str] = field(default_factory=list)
    tags_none: list[str] = field(default_factory=list)
    from_us: int | None = None  # inclusive
    to_us: int | None = None  # exclusive
    accounts: list[str] = field(default_factory=list)
    search: str | None = None
    thread_id: str | None = None
    item_ids: list[int] = field(default_factory=list)
    undated_only: bool = False
    batch_id: int | None = None  # only the items of this review batch (app/store/review_batches.py)
    batch_unreviewed: bool = False  # ... and of those, only the ones not yet marked reviewed
    finding_indicators: list[int] = field(
        default_factory=list
    )  # the rows behind these findings (app/store/findings.py)

    def where(self) -> tuple[str, list]:
        """SQL condition over `items` and its parameters."""
        clauses: list[str] = []
        params: list = []

        def any_of(column: str, values) -> None:
            clauses.append(f"{column} IN ({marks(values)})")
            params.extend(values)

        if self.kinds:
            any_of("items.kind", self.kinds)
        if self.source_ids:
            any_of("items.source_id", self.source_ids)
        if len(self.item_ids) > MANY_IDS:  # one JSON parameter: a long `IN (?, ...)` costs more to prepare
            clauses.append("items.id IN (SELECT value FROM json_each(?))")
            params.append(orjson.dumps(self.item_ids).decode())
        elif self.item_ids:
            any_of("items.id", self.item_ids)
        if self.accounts:
            any_of("items.account", self.accounts)
        if self.finding_indicators:
            wanted = marks(self.finding_indicators)
            clauses.append(f"items.id IN (SELECT item_id FROM finding_rows WHERE indicator_id IN ({wanted}))")
            params.extend(self.finding_indicators)
        if self.custodians:
            clauses.append(f"items.source_id IN (SELECT id FROM sources WHERE custodian IN ({marks(self.custodians)}))")
            params.extend(self.custodians)
        if self.tags_any:
            clauses.append(f"items.id IN (SELECT item_id FROM tags WHERE code IN ({marks(self.tags_any)}))")
            params.extend(self.tags_any)
        for code in self.tags_all:
            clauses.append("items.id IN (SELECT item_id FROM tags WHERE code = ?)")
            params.append(code)
        if self.tags_none:
            clauses.append(f"items.id NOT IN (SELECT item_id FROM tags WHERE code IN ({marks(self.tags_none)}))")
            params.extend(self.tags_none)
        if self.from_us is not None:
            clauses.append(f"{CHRONO_KEY} >= ?")
            params.append(self.from_us)
        if self.to_us is not None:
            clauses.append(f"{CHRONO_KEY} < ?")
            params.append(self.to_us)
        if self.undated_only:
            clauses.append("items.ts_us IS NULL")
        if self.thread_id:
            clauses.append("items.thread_id = ?")
            params.append(self.thread_id)
        if self.batch_id is not None:
            reviewed = " AND reviewed_by IS NULL" if self.batch_unreviewed else ""
            clauses.append(f"items.id IN (SELECT item_id FROM review_batch_items WHERE batch_id = ?{reviewed})")
            params.append(self.batch_id)
        if self.search:
            clauses.append(SEARCH_CLAUSE)
            params.extend(match_queries(self.search) * 2)  # the items' text, then OCR text
        return (" AND ".join(clauses) or "1"), params


# A search, as typed, on the items without Chinese, Japanese or Korean text, and rewritten
# into CJK bigram phrases on the items with such text (app/store/cjk_index.py): each item
# is judged by one index, so NOT and OR keep their meaning.
# The OCR text of scanned pages (app/store/ocr_layers.py) is searched the same way, beside it.
SEARCH_CLAUSE = (
    "items.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?"
    " AND rowid NOT IN (SELECT rowid FROM items_cjk)"
    " UNION ALL SELECT rowid FROM items_cjk WHERE items_cjk MATCH ?"
    " UNION ALL SELECT rowid FROM ocr_fts WHERE ocr_fts MATCH ? AND rowid NOT IN (SELECT rowid FROM ocr_cjk)"
    " UNION ALL SELECT rowid FROM ocr_cjk WHERE ocr_cjk MATCH ?)"
)


def match_queries(search: str) -> tuple[str, str]:
    """What a typed search asks of a word index and of a CJK bigram index (MATCH parameters)."""
    query = fts_query(search)
    return query, rewrite_query(query)


def check_search(conn: sqlite3.Connection, search: str) -> None:
    """Raise SearchSyntaxError with a plain message when a search cannot be read (after fts_query)."""
    words, bigrams = match_queries(search)
    try:
        conn.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ? LIMIT 1", (words,)).fetchall()
        conn.execute("SELECT rowid FROM items_cjk WHERE items_cjk MATCH ? LIMIT 1", (bigrams,)).fetchall()
    except sqlite3.OperationalError as exc:
        raise SearchSyntaxError(explain_search_error(search)) from exc


def list_items(
    conn: sqlite3.Connection, item_filter: ItemFilter, limit: int = 200, after: tuple[int, int] | None = None
) -> list[dict]:
    """A page of items in chronological order, after the keyset (sort_key, id) given."""
    if item_filter.search:
        check_search(conn, item_filter.search)
    where, params = item_filter.where()
    if after is not None:
        where += f" AND ({CHRONO_KEY}, items.id) > (?, ?)"
        params = [*params, after[0], after[1]]
    sql = (
        f"SELECT {', '.join('items.' + c for c in LIST_COLUMNS)}, {CHRONO_KEY} AS sort_key FROM items"
        f" WHERE {where} ORDER BY {CHRONO_KEY}, items.id LIMIT ?"
    )
    rows = conn.execute(sql, [*params, limit]).fetchall()
    return [_list_row(row) for row in rows]


def iter_items(conn: sqlite3.Connection, item_filter: ItemFilter, page: int = 1000):
    """Every matching item, chronologically, a page at a time (flat memory)."""
    after = None
    while True:
        rows = list_items(conn, item_filter, page, after)
        yield from rows
        if len(rows) < page:
            return
        after = (rows[-1]["sort_key"], rows[-1]["id"])


def count_items(conn: sqlite3.Connection, item_filter: ItemFilter) -> int:
    if item_filter.search:
        check_search(conn, item_filter.search)
    where, params = item_filter.where()
    return conn.execute(f"SELECT count(*) FROM items WHERE {where}", params).fetchone()[0]


def _list_row(row) -> dict:
    item = dict(zip(LIST_COLUMNS, row[:-1]))
    item["sort_key"] = row[-1]
    item["ts_utc"] = format_utc_us(item["ts_us"])
    item["ts_assumed"] = bool(item["ts_assumed"]) if item["ts_assumed"] is not None else None
    return item


def tags_of(conn: sqlite3.Connection, item_ids: list[int]) -> dict[int, list[str]]:
    """{item id: [tag codes]} for a page of items."""
    result: dict[int, list[str]] = {i: [] for i in item_ids}
    for part in chunks(item_ids):
        for item_id, code in conn.execute(
            f"SELECT item_id, code FROM tags WHERE item_id IN ({marks(part)}) ORDER BY code", part
        ):
            result[item_id].append(code)
    return result


ITEM_COLUMNS = (
    "id",
    "kind",
    "parent_id",
    "source_id",
    "locator",
    "content_hash",
    "title",
    "text",
    "fields",
    "ts_original",
    "ts_us",
    "ts_zone",
    "ts_assumed",
    "ts_note",
    "account",
    "api_key",
    "ip",
    "model",
    "thread_id",
    "warnings",
)


def get_item(conn: sqlite3.Connection, item_id: int) -> dict | None:
    """One item with every column; JSON columns decoded, plus its source's name and custodian."""
    row = conn.execute(f"SELECT {', '.join(ITEM_COLUMNS)} FROM item_details WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        return None
    item = dict(zip(ITEM_COLUMNS, row))
    item["fields"] = FieldsReader(conn).fields(item["source_id"], item["locator"], item["fields"])
    for key in ("locator", "warnings"):
        item[key] = orjson.loads(item[key]) if item[key] else ({} if key != "warnings" else [])
    item["ts_utc"] = format_utc_us(item["ts_us"])
    source = conn.execute(
        "SELECT original_name, custodian, sha256 FROM sources WHERE id = ?", (item["source_id"],)
    ).fetchone()
    item["source_name"], item["custodian"], item["source_sha256"] = source
    item["children"] = [r[0] for r in conn.execute("SELECT id FROM items WHERE parent_id = ? ORDER BY id", (item_id,))]
    item["duplicates"] = [
        {"source_id": r[0], "locator": orjson.loads(r[1]), "custodian": r[2]}
        for r in conn.execute(
            "SELECT source_id, locator, custodian FROM duplicates WHERE first_item_id = ? ORDER BY id", (item_id,)
        )
    ]
    return item


def item_payload(conn: sqlite3.Connection, item_id: int, role: str = "content") -> bytes | None:
    row = conn.execute("SELECT data FROM item_payloads WHERE item_id = ? AND role = ?", (item_id, role)).fetchone()
    return row[0] if row else None


# Kinds whose items are records read from a file, never the whole file: they have no bytes of their own.
RECORD_KINDS = ("log_entry", "email", "output", "calendar", "contact", "outlook_item", "conversation")


def item_bytes(conn: sqlite3.Connection, item_id: int) -> bytes | None:
    """The item's own bytes: its stored content payload, or the whole original when the
    item *is* its source file (a PDF document, an image, a text file). None for rows."""
    content = item_payload(conn, item_id, "content")
    if content is not None:
        return content
    row = conn.execute("SELECT i.source_id, i.parent_id, i.kind FROM items i WHERE i.id = ?", (item_id,)).fetchone()
    if row is None or row[1] is not None or row[2] in RECORD_KINDS:
        return None
    from app.store.sources import open_source

    with open_source(conn, row[0]) as stream:
        return stream.read()
