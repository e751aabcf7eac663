"""Each log row's HTTP status and token counts, kept in `item_usage` so the table can sort by them.

They live in the row's fields, which most log rows keep only in their original's bytes
(app/store/item_fields.py): SQL cannot read them there. The first time a reviewer sorts
by Tokens or Status, `index_usage` reads them once (a generator on a worker thread, with
progress and Cancel) through each source's mapping, the same way the table shows them
(`usage`). Later imports are indexed the next time, from where the last run stopped.

Each run is one transaction with its audit entry (`usage.index`: the id range and a
digest of the rows written), and `verify` recomputes the digests (app/store/verify_review.py).
"""

import hashlib
import json
import sqlite3

from app.core.cancel import CancelToken, Progress
from app.core.hashing import canonical_json
from app.core.mapping import apply_mapping, column_value
from app.store.case_file import CaseFile
from app.store.item_fields import FieldsReader, FieldsUnreadable
from app.store.source_lookups import field_mapping
from app.store.sql_lists import chunks, marks

BATCH = 5000
COLUMNS = ("item_id", "status", "input_tokens", "output_tokens", "tokens")


class UsageReader:
    """A log row's status and token counts from its fields, through its source's mapping."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.fields = FieldsReader(conn)
        self.mappings: dict[int, dict] = {}

    def read(self, source_id: int, locator, stored) -> dict | None:
        if source_id not in self.mappings:
            self.mappings[source_id] = field_mapping(self.conn, source_id)
        mapping = self.mappings[source_id]
        if not mapping:
            return None
        try:
            mapped = apply_mapping(self.fields.fields(source_id, locator, stored), mapping)
        except FieldsUnreadable:
            return None
        tokens_in, tokens_out = _count(mapped.get("input_tokens")), _count(mapped.get("output_tokens"))
        total = None if tokens_in is None and tokens_out is None else (tokens_in or 0) + (tokens_out or 0)
        return {"status": column_value(mapped.get("status")), "in": tokens_in, "out": tokens_out, "total": total}


def _count(value) -> int | None:
    try:
        return None if value is None or value == "" else int(value)
    except (TypeError, ValueError):
        return None


def usage(conn: sqlite3.Connection, item_ids) -> dict[int, dict]:
    """{item id: {"status": str|None, "tokens": "1,200 in / 340 out"|None}} for the log rows among the items."""
    reader = UsageReader(conn)
    found: dict[int, dict] = {}
    for part in chunks(sorted({int(i) for i in item_ids})):
        for item_id, source_id, locator, stored in conn.execute(
            "SELECT id, source_id, locator, fields FROM item_details"
            f" WHERE kind = 'log_entry' AND id IN ({marks(part)})",
            part,
        ):
            values = reader.read(source_id, locator, stored)
            if values is not None:
                found[item_id] = {"status": values["status"], "tokens": tokens_text(values)}
    return found


def tokens_text(values: dict) -> str | None:
    """'1,200 in / 340 out' (either side alone when only one is logged)."""
    parts = [f"{values[side]:,} {side}" for side in ("in", "out") if values[side] is not None]
    return " / ".join(parts) or None


def indexed_through(conn: sqlite3.Connection) -> int:
    """The highest item id the last `usage.index` run covered (0: never run)."""
    row = conn.execute("SELECT details FROM audit WHERE action = 'usage.index' ORDER BY seq DESC LIMIT 1").fetchone()
    return json.loads(row[0])["through_id"] if row else 0


def needs_indexing(conn: sqlite3.Connection) -> bool:
    newest = conn.execute("SELECT max(id) FROM items").fetchone()[0] or 0
    return newest > indexed_through(conn)


def rows_digest(rows) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(canonical_json(list(row)).encode("utf-8"))
    return digest.hexdigest()


def index_usage(case: CaseFile, token: CancelToken | None = None):
    """Index the log rows imported since the last run (a generator yielding Progress); returns how many."""
    token = token or CancelToken()
    conn = case.conn
    after = indexed_through(conn)
    through = conn.execute("SELECT max(id) FROM items").fetchone()[0] or 0
    if through <= after:
        return 0
    total = conn.execute(
        "SELECT count(*) FROM items WHERE kind = 'log_entry' AND id > ? AND id <= ?", (after, through)
    ).fetchone()[0]
    yield Progress("Reading status and tokens of log rows", 0, total, "rows")
    reader = UsageReader(conn)
    written = []
    with case.transaction("index usage", "log rows") as conn:
        cursor = conn.execute(
            "SELECT id, source_id, locator, fields FROM item_details WHERE kind = 'log_entry'"
            " AND id > ? AND id <= ? ORDER BY id",
            (after, through),
        )
        for done, (item_id, source_id, locator, stored) in enumerate(cursor, start=1):
            values = reader.read(source_id, locator, stored)
            if values is not None:
                written.append((item_id, values["status"], values["in"], values["out"], values["total"]))
            if done % BATCH == 0:
                token.raise_if_cancelled()
                yield Progress("Reading status and tokens of log rows", done, total, "rows")
        conn.executemany(
            f"INSERT OR REPLACE INTO item_usage({', '.join(COLUMNS)}) VALUES (?,?,?,?,?)",
            written,
        )
        case.audit(
            "usage.index",
            {"after_id": after, "through_id": through, "rows": len(written), "digest": rows_digest(written)},
        )
    return len(written)


def stored_rows(conn: sqlite3.Connection, after: int, through: int) -> list[tuple]:
    """The rows of `item_usage` in an id range, as `index_usage` wrote them (for verify)."""
    return conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM item_usage WHERE item_id > ? AND item_id <= ? ORDER BY item_id",
        (after, through),
    ).fetchall()
