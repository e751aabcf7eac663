"""Conversations: items grouped by `items.thread_id` (email threads, chat conversations).

What the thread view lists: each conversation with how many items it has, its first
subject, its first and last time. Counted over the `items_thread` index.
"""

import sqlite3

from app.store.schema import CHRONO_KEY

THREADS_SHOWN = 5000


def threads(conn: sqlite3.Connection, limit: int = THREADS_SHOWN) -> list[dict]:
    """Conversations with more than nothing in them, earliest first (undated last)."""
    rows = conn.execute(
        "SELECT thread_id, count(*), sum(kind = 'email'), min(ts_us), max(ts_us),"
        f" (SELECT title FROM items f WHERE f.thread_id = t.thread_id ORDER BY {CHRONO_KEY}, id LIMIT 1)"
        " FROM items t WHERE thread_id IS NOT NULL GROUP BY thread_id"
        " ORDER BY coalesce(min(ts_us), 9223372036854775807), thread_id LIMIT ?",
        (limit,),
    ).fetchall()
    keys = ("thread_id", "items", "emails", "first_us", "last_us", "subject")
    return [dict(zip(keys, row)) for row in rows]
