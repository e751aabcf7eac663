"""The quarantine read a page at a time: what could not be read as evidence, with its place and reason."""

import sqlite3

from app.store.sql_lists import marks
from app.store.tables import count


def _where(source_ids, column: str) -> tuple[str, list]:
    """The condition for some sources (all when none given)."""
    return (f"{column} IN ({marks(source_ids)})", list(source_ids)) if source_ids else ("1", [])


def quarantined_count(conn: sqlite3.Connection, source_ids=None) -> int:
    where, params = _where(source_ids, "source_id")
    return count(conn, "quarantine", where, params)


def quarantined_rows(conn: sqlite3.Connection, source_ids=None, offset: int = 0, limit: int = -1) -> list[tuple]:
    """(id, source id, source name, locator JSON, reason, raw) rows by id: a page, or all (limit -1)."""
    where, params = _where(source_ids, "q.source_id")
    return conn.execute(
        f"SELECT q.id, q.source_id, s.original_name, q.locator, q.reason, q.raw FROM quarantine q"
        f" JOIN sources s ON s.id = q.source_id WHERE {where} ORDER BY q.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
