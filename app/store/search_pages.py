"""Pages of a search or a tag filter in the table's order, without gathering every match first.

SQLite answers `items.id IN (SELECT rowid FROM items_fts WHERE ... MATCH ?)` by building
the set of every hit first: for a word in every row of a million, ~2.5 s before the first
row; and it looks a small tag's rows up by id and sorts them, which for a tag on most rows
is a sort of a million. How a page is made is chosen by how many rows match, counted only
as far as needed (reading ids from an index, cheap):

- FEW (up to ~sqrt(6 x rows)): their ids are read and each row looked up by id; the page
  is sorted from them.
- SCAN (up to 1 row in 20): the listing's own index is walked in order, each row tested
  against the set of matches (built once; SQLite's work, told not to look rows up by id).
- WALK (more, searches only): the listing without the search is walked from the page's
  key a batch at a time in Python, each batch tested with range queries of the text
  index, until the page is full: about page size / share of rows matching.

Each costs tens of milliseconds for a page of a million rows, for any word. Counting stays
a separate, slower question (`item_pages.count`) that the table asks on a worker.
"""

import math
import sqlite3
from dataclasses import replace

from app.store.item_query import ItemFilter, match_queries
from app.store.sql_lists import marks

FEW, SCAN, WALK = "few", "scan", "walk"
MIN_FEW = 2000
SCAN_SHARE = 20  # up to one row in this many: a scan with a set of matches
RUN_GAP = 64  # ids closer than this are tested with one range of the text index
MAX_BATCH = 20000


def few_limit(rows: int) -> int:
    """Matches still looked up one by one: looking up costs ~30x walking an index entry,
    and walking to fill a page of 200 takes 200 x rows / matches entries."""
    return max(MIN_FEW, int(math.sqrt(6 * rows)))


def case_rows(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT max(id) FROM items").fetchone()[0] or 0


# The text indexes a search reads, as item_query.SEARCH_CLAUSE does: each pair is a word
# index and its CJK bigram index; the items' own text, then the OCR text of scanned pages.
INDEX_PAIRS = (("items_fts", "items_cjk"), ("ocr_fts", "ocr_cjk"))


def plan(conn: sqlite3.Connection, item_filter: ItemFilter) -> tuple[str, ItemFilter]:
    """How to page `item_filter`, and the filter to page with (matches as ids when FEW)."""
    rows = case_rows(conn)
    few, many = few_limit(rows), max(few_limit(rows), rows // SCAN_SHARE)
    if item_filter.search:
        hits = _search_hits(conn, item_filter.search, few)
        if hits is not None:
            return FEW, restricted_to(item_filter, hits)
        if _search_count_over(conn, item_filter.search, many):
            return WALK, item_filter
        return SCAN, item_filter
    if item_filter.tags_any:
        tagged = [
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT item_id FROM tags WHERE code IN ({marks(item_filter.tags_any)}) LIMIT ?",
                [*item_filter.tags_any, few + 1],
            )
        ]
        if len(tagged) <= few:
            return FEW, restricted_to(replace(item_filter, tags_any=[]), tagged)
        return SCAN, item_filter
    return SCAN, item_filter


def scan_where(item_filter: ItemFilter) -> tuple[str, list]:
    """The filter's SQL with its sets of matches kept from being looked up row by row.

    A unary `+` on `items.id` stops SQLite using the id for lookups, so it walks the
    index of the sort order and tests each row against the set, stopping at the page's end.
    """
    where, params = item_filter.where()
    return where.replace("items.id IN (SELECT", "+items.id IN (SELECT"), params


def _matching(conn: sqlite3.Connection, index: str, query: str, limit: int) -> list[int]:
    """Up to `limit` rowids of a text index that match the query."""
    return [r[0] for r in conn.execute(f"SELECT rowid FROM {index} WHERE {index} MATCH ? LIMIT ?", (query, limit))]


def _search_hits(conn: sqlite3.Connection, search: str, few: int) -> list[int] | None:
    """Ids matching the search when there are at most `few`; None when more.

    The meaning of item_query.SEARCH_CLAUSE: an item with Chinese, Japanese or Korean text
    is judged by the bigram index, every other by the word index.
    """
    words_query, cjk_query = match_queries(search)
    hits: set[int] = set()
    for words_index, cjk_index in INDEX_PAIRS:
        words = _matching(conn, words_index, words_query, few + 1)
        if len(words) > few:
            return None
        bigrams = _matching(conn, cjk_index, cjk_query, few + 1)
        if len(bigrams) > few:
            return None
        cjk_items = _cjk_items_among(conn, cjk_index, words)
        hits |= {i for i in words if i not in cjk_items} | set(bigrams)
    return sorted(hits) if len(hits) <= few else None


def _search_count_over(conn: sqlite3.Connection, search: str, many: int) -> bool:
    words_query, _cjk = match_queries(search)
    sql = "SELECT count(*) FROM (SELECT rowid FROM items_fts WHERE items_fts MATCH ? LIMIT ?)"
    return conn.execute(sql, (words_query, many + 1)).fetchone()[0] > many


def _cjk_items_among(conn: sqlite3.Connection, cjk_index: str, ids: list[int]) -> set[int]:
    if not ids or not conn.execute(f"SELECT 1 FROM {cjk_index} LIMIT 1").fetchone():
        return set()
    sql = f"SELECT rowid FROM {cjk_index} WHERE rowid BETWEEN ? AND ?"
    return {r[0] for r in conn.execute(sql, (min(ids), max(ids)))}


def matching(conn: sqlite3.Connection, search: str, ids: list[int]) -> set[int]:
    """Which of `ids` the search matches: one range query of each index per run of close ids."""
    words_query, cjk_query = match_queries(search)
    found: set[int] = set()
    for lo, hi in _runs(sorted(ids)):
        for words_index, cjk_index in INDEX_PAIRS:
            found.update(
                r[0]
                for r in conn.execute(
                    f"SELECT rowid FROM {words_index} WHERE {words_index} MATCH ? AND rowid BETWEEN ? AND ?"
                    f" AND rowid NOT IN (SELECT rowid FROM {cjk_index} WHERE rowid BETWEEN ? AND ?)"
                    f" UNION ALL SELECT rowid FROM {cjk_index} WHERE {cjk_index} MATCH ? AND rowid BETWEEN ? AND ?",
                    (words_query, lo, hi, lo, hi, cjk_query, lo, hi),
                )
            )
    return found.intersection(ids)


def _runs(sorted_ids: list[int]):
    """(first, last) of each run of ids whose neighbours are less than RUN_GAP apart."""
    if not sorted_ids:
        return
    start = previous = sorted_ids[0]
    for item_id in sorted_ids[1:]:
        if item_id - previous >= RUN_GAP:
            yield start, previous
            start = item_id
        previous = item_id
    yield start, previous


def without_search(item_filter: ItemFilter) -> ItemFilter:
    return replace(item_filter, search=None)


def restricted_to(item_filter: ItemFilter, ids: list[int]) -> ItemFilter:
    """The filter with its search replaced by the ids it matches (within any ids it already had)."""
    if item_filter.item_ids:
        allowed = set(item_filter.item_ids)
        ids = [i for i in ids if i in allowed]
    return replace(item_filter, search=None, item_ids=ids or [0])  # id 0 is never an item's
