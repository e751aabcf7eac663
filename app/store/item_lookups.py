"""Small read-only look-ups about items for the GUI's panes: labels, related items, thumbnails.

The widgets hold no SQL (tests/test_architecture.py); what they show is read here.
"""

import sqlite3

from app.store.schema import CHRONO_KEY
from app.store.sql_lists import marks

THREAD_SHOWN = 200  # emails of one thread listed in the detail pane


def item_summary(conn: sqlite3.Connection, item_id: int) -> tuple | None:
    """(kind, ts_us, title) of an item; None when there is no such item."""
    return conn.execute("SELECT kind, ts_us, title FROM items WHERE id = ?", (item_id,)).fetchone()


def item_title(conn: sqlite3.Connection, item_id: int) -> str | None:
    row = conn.execute("SELECT title FROM items WHERE id = ?", (item_id,)).fetchone()
    return row[0] if row else None


def children(conn: sqlite3.Connection, item_id: int) -> list[tuple]:
    """(id, kind, title, fields JSON) of an item's children (attachments, attached emails), by id."""
    return conn.execute(
        "SELECT id, kind, title, fields FROM item_details WHERE parent_id = ? ORDER BY id", (item_id,)
    ).fetchall()


def thread_emails(conn: sqlite3.Connection, thread_id: str, limit: int = THREAD_SHOWN) -> list[tuple]:
    """(id, title, account, ts_us) of the emails of a thread, in time order."""
    return conn.execute(
        f"SELECT id, title, account, ts_us FROM items WHERE thread_id = ? AND kind = 'email'"
        f" ORDER BY {CHRONO_KEY}, id LIMIT ?",
        (thread_id, limit),
    ).fetchall()


def thumbnails(conn: sqlite3.Connection, item_ids: list[int]) -> dict[int, bytes]:
    """{item id: thumbnail bytes} for those of a page's images that have one."""
    if not item_ids:
        return {}
    return dict(
        conn.execute(
            f"SELECT item_id, data FROM item_payloads WHERE role = 'thumbnail' AND item_id IN ({marks(item_ids)})",
            item_ids,
        )
    )


def distinct_values(conn: sqlite3.Connection, column: str, limit: int) -> list[str]:
    """Distinct non-null values of an indexed items column, by index seeks (a million rows: ~1 ms).

    `SELECT DISTINCT` would read every index entry; stepping from one value to the next
    greater one reads one entry per value.
    """
    sql = (
        f"WITH RECURSIVE v(x) AS (SELECT min({column}) FROM items WHERE {column} IS NOT NULL UNION ALL"
        f" SELECT (SELECT min({column}) FROM items WHERE {column} > v.x) FROM v WHERE v.x IS NOT NULL)"
        f" SELECT x FROM v WHERE x IS NOT NULL LIMIT ?"
    )
    return [r[0] for r in conn.execute(sql, (limit,))]
