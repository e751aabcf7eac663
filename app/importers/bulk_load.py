"""Large imports: set the items table's secondary indexes aside, and rebuild them after.

Inserting a million rows keeps ten b-tree indexes in random order, which stop fitting
the page cache and get written again and again; building each index once, sorted,
after the rows is cheaper. Only done when the import is large and will add more rows
than the case already holds (rebuilding the indexes of a big case for a small import
would cost more). Everything happens inside the import's transaction, so a cancelled
or killed import rolls the indexes back with everything else. The dedup index goes
too: the import looks its duplicates up elsewhere (app.importers.dedup_keys). The
partial indexes on parent and thread stay: rows without a parent or thread (every log
row) cost them nothing while inserting, whereas rebuilding each means one more scan.
"""

import sqlite3

from app.core.cancel import CancelToken, Progress
from app.store.sql_lists import marks

KEEP = ("items_parent", "items_thread")
MIN_BYTES = 64 * 1024 * 1024  # below this the rebuild costs more than it saves
BYTES_PER_ROW_GUESS = 2048  # API-log rows are ~1.6 KB: a conservative row estimate
SORT_CACHE_KIB = -16384  # 16 MiB page cache (and so sort memory) while the indexes are built


def large_for_case(conn: sqlite3.Connection, new_bytes: int) -> bool:
    """Is an import of `new_bytes` large, and at least as large as the case it goes into?

    Then building its indexes afresh and writing it past the WAL (app.store.direct_writes)
    pay off; for a small import into a big case they would cost more than they save.
    """
    if new_bytes < MIN_BYTES:
        return False
    return conn.execute("SELECT count(*) FROM items").fetchone()[0] <= new_bytes // BYTES_PER_ROW_GUESS


def set_indexes_aside(conn: sqlite3.Connection, new_bytes: int) -> list[tuple[str, str]]:
    """Drop the items table's secondary indexes if worth it; returns [(name, sql)] to rebuild."""
    if not large_for_case(conn, new_bytes):
        return []
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL"
        f" AND name NOT IN ({marks(KEEP)}) ORDER BY name",
        KEEP,
    ).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return indexes


def rebuild_indexes(conn: sqlite3.Connection, indexes: list[tuple[str, str]], token: CancelToken):
    """Create the indexes set aside again, exactly as they were (a generator of Progress).

    SQLite sorts each index in memory up to the page cache's size; a smaller cache while
    sorting keeps that memory flat (the sort spills to temporary files, a little slower).
    """
    if not indexes:
        return
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {SORT_CACHE_KIB}")
    try:
        for done, (_name, sql) in enumerate(indexes, start=1):
            token.raise_if_cancelled()
            conn.execute(sql)
            yield Progress("Indexing the new items for listing", done, len(indexes), "indexes")
    finally:
        conn.execute(f"PRAGMA cache_size = {cache_size}")
