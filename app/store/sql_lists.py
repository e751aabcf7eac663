"""`IN (...)` lists for SQLite queries: one `?` per value, and chunks that keep each query small;
many rows inserted by one statement.

Values are always bound, never spliced into the SQL. SQLite caps the bound parameters of
one statement (999 in older builds), so a long list of ids is looked up CHUNK at a time.
"""

import itertools
import sqlite3

CHUNK = 900


def marks(values) -> str:
    """'?,?,?' for an IN list of these values."""
    return ",".join("?" * len(values))


def chunks(values, size: int = CHUNK):
    """The values in lists of at most `size`, in order."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_rows(conn: sqlite3.Connection, sql: str, width: int, rows: list[tuple]) -> None:
    """Insert rows of `width` values with as few statements as the parameter limit allows.

    `sql` is the statement up to VALUES ("INSERT INTO t(a, b)"). One statement for
    thousands of rows binds them in one go and steps once; `executemany` steps (and hands
    the GIL over) once a row, which a thread parsing beside it pays for.
    """
    per_statement = max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width)
    row_marks = f"({', '.join('?' * width)})"
    for start in range(0, len(rows), per_statement):
        part = rows[start : start + per_statement]
        conn.execute(f"{sql} VALUES {', '.join([row_marks] * len(part))}", list(itertools.chain.from_iterable(part)))
