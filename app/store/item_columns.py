"""Values of the review table's optional columns for a page of items (app/ui/table_columns.py).

Custodian comes from the item's source; the HTTP status and token counts of a log row
from its fields through its source's mapping (read back from the original when the row
keeps no fields: app/store/item_fields.py); the Bates cite from the latest recorded
production (app/store/production_cites.py), never computed here.
"""

import sqlite3

from app.core.mapping import apply_mapping, column_value
from app.store.item_fields import FieldsReader, FieldsUnreadable
from app.store.production_cites import NOT_PRODUCED, cites_for_items, latest_production_id
from app.store.source_lookups import field_mapping
from app.store.sql_lists import chunks, marks


def source_custodians(conn: sqlite3.Connection) -> dict[int, str]:
    """{source id: custodian} for sources that name one."""
    return dict(conn.execute("SELECT id, custodian FROM sources WHERE custodian IS NOT NULL").fetchall())


def latest_bates(conn: sqlite3.Connection, item_ids) -> dict[int, str]:
    """{item id: its cite in the latest production, or "not produced"}; {} when nothing was produced."""
    production = latest_production_id(conn)
    if production is None:
        return {}
    return {i: cite.text() if cite else NOT_PRODUCED for i, cite in cites_for_items(conn, production, item_ids).items()}


def usage(conn: sqlite3.Connection, item_ids) -> dict[int, dict]:
    """{item id: {"status": str|None, "tokens": str|None}} for the log rows among the items."""
    reader = FieldsReader(conn)
    mappings: dict[int, dict] = {}
    found: dict[int, dict] = {}
    ids = sorted({int(i) for i in item_ids})
    for part in chunks(ids):
        rows = conn.execute(
            "SELECT id, source_id, locator, fields FROM item_details"
            f" WHERE kind = 'log_entry' AND id IN ({marks(part)})",
            part,
        ).fetchall()
        for item_id, source_id, locator, stored in rows:
            if source_id not in mappings:
                mappings[source_id] = field_mapping(conn, source_id)
            mapping = mappings[source_id]
            if not mapping:
                continue
            try:
                mapped = apply_mapping(reader.fields(source_id, locator, stored), mapping)
            except FieldsUnreadable:
                continue
            found[item_id] = {"status": column_value(mapped.get("status")), "tokens": _tokens(mapped)}
    return found


def _tokens(mapped: dict) -> str | None:
    """'1,200 in / 340 out' (either side alone when only one is logged)."""
    parts = []
    for target, word in (("input_tokens", "in"), ("output_tokens", "out")):
        value = mapped.get(target)
        if value is None or value == "":
            continue
        try:
            parts.append(f"{int(value):,} {word}")
        except (TypeError, ValueError):
            parts.append(f"{value} {word}")
    return " / ".join(parts) or None
