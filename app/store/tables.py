"""sqlite-utils' view of a case connection, for small counts and look-ups.

`Database(conn)` by default switches on recursive triggers and runs plugin hooks on the
connection; a case's connections are configured once in `case_file._configure`, so this
view changes nothing on them. Only sqlite-utils' public API is used (never its `_` names).
"""

import sqlite3

from sqlite_utils import Database


def tables(conn: sqlite3.Connection) -> Database:
    """The connection as a sqlite-utils Database, its settings left as they are."""
    return Database(conn, recursive_triggers=False, execute_plugins=False)


def count(conn: sqlite3.Connection, table: str, where: str | None = None, params=()) -> int:
    """Rows of `table` (those matching the SQL condition `where` with `params`, if given)."""
    return tables(conn).table(table).count_where(where, list(params))
