"""sqlite-utils' view of a case connection, for small counts and look-ups.

`Database(conn)` by default switches on recursive triggers and runs plugin hooks on the
connection; a case's connections are configured once in `case_file._configure`, so this
view changes nothing on them. Only sqlite-utils' public API is used (never its `_` names).
"""

import sqlite3
from contextlib import contextmanager

from sqlite_utils import Database

LEAN_CACHE_KIB = 2048


def tables(conn: sqlite3.Connection) -> Database:
    """The connection as a sqlite-utils Database, its settings left as they are."""
    return Database(conn, recursive_triggers=False, execute_plugins=False)


def count(conn: sqlite3.Connection, table: str, where: str | None = None, params=()) -> int:
    """Rows of `table` (those matching the SQL condition `where` with `params`, if given)."""
    return tables(conn).table(table).count_where(where, list(params))


def make_lean(conn: sqlite3.Connection) -> None:
    """A small page cache for a connection that only counts (a worker's, closed after)."""
    conn.execute(f"PRAGMA cache_size = -{LEAN_CACHE_KIB}")


@contextmanager
def lean_cache(conn: sqlite3.Connection):
    """Read through a small page cache: a count reads a whole index once (~20 MB at a
    million rows), which a connection's 64 MiB cache would keep for nothing; the cache's
    size is put back afterwards."""
    size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{LEAN_CACHE_KIB}")
    try:
        yield conn
    finally:
        conn.execute(f"PRAGMA cache_size = {size}")
