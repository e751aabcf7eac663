"""Values of the review table's optional columns for a page of items (app/ui/table_columns.py).

Custodian comes from the item's source; the HTTP status and token counts of a log row
from its fields through its source's mapping (app/store/item_usage.py); the Bates cite from the latest recorded
production (app/store/production_cites.py), never computed here.
"""

import sqlite3

from app.store.item_usage import usage
from app.store.production_cites import NOT_PRODUCED, cites_for_items, latest_production_id

__all__ = ["latest_bates", "source_custodians", "usage"]


def source_custodians(conn: sqlite3.Connection) -> dict[int, str]:
    """{source id: custodian} for sources that name one."""
    return dict(conn.execute("SELECT id, custodian FROM sources WHERE custodian IS NOT NULL").fetchall())


def latest_bates(conn: sqlite3.Connection, item_ids) -> dict[int, str]:
    """{item id: its cite in the latest production, or "not produced"}; {} when nothing was produced."""
    production = latest_production_id(conn)
    if production is None:
        return {}
    return {i: cite.text() if cite else NOT_PRODUCED for i, cite in cites_for_items(conn, production, item_ids).items()}
