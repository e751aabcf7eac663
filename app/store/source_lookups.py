"""Read-only look-ups about the case's source files for the GUI: names, custodians, mappings."""

import sqlite3

import orjson

from app.store.tables import tables


def source_names(conn: sqlite3.Connection) -> dict[int, str]:
    """{source id: original file name}, in id order."""
    return {
        r["id"]: r["original_name"]
        for r in tables(conn)["sources"].rows_where(select="id, original_name", order_by="id")
    }


def custodians(conn: sqlite3.Connection) -> list[str]:
    """The custodians named on sources, sorted, each once."""
    return [r[0] for r in conn.execute("SELECT DISTINCT custodian FROM sources WHERE custodian IS NOT NULL ORDER BY 1")]


def field_mapping(conn: sqlite3.Connection, source_id: int) -> dict:
    """The field mapping a log source was imported with ({} when none)."""
    row = conn.execute("SELECT settings FROM sources WHERE id = ?", (source_id,)).fetchone()
    return (orjson.loads(row[0]) if row and row[0] else {}).get("mapping") or {}
