"""The append-only, hash-chained audit log.

Each entry's hash covers the previous entry's hash and the entry's own fields, so
changing, removing or reordering an entry outside the application breaks the chain,
and `verify` names the first entry that does not fit.
"""

import hashlib
import sqlite3
from datetime import datetime, timezone

from app.core.hashing import canonical_json

GENESIS = "0" * 64


def entry_hash(prev_hash: str, seq: int, ts_utc: str, actor: str, host: str | None,
               action: str, details_json: str) -> str:
    body = canonical_json([seq, ts_utc, actor, host, action, details_json])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(conn: sqlite3.Connection, action: str, details: dict, actor: str, host: str | None) -> int:
    """Append one entry; must run inside the transaction of the change it records."""
    if not conn.in_transaction:
        raise RuntimeError("audit entries are written inside the change's transaction")
    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    ts_utc = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    details_json = canonical_json(details)
    digest = entry_hash(prev, seq, ts_utc, actor, host, action, details_json)
    conn.execute(
        "INSERT INTO audit(seq, ts_utc, actor, host, action, details, prev_hash, hash)"
        " VALUES (?,?,?,?,?,?,?,?)", (seq, ts_utc, actor, host, action, details_json, prev, digest))
    return seq


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(seq, hash) of the newest entry: the chain head cited in exports."""
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def entries(conn: sqlite3.Connection, limit: int | None = None, after_seq: int = 0):
    """Audit entries oldest first, as dicts."""
    sql = ("SELECT seq, ts_utc, actor, host, action, details, prev_hash, hash FROM audit"
           " WHERE seq > ? ORDER BY seq")
    params: list = [after_seq]
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    for row in conn.execute(sql, params):
        yield {"seq": row[0], "ts_utc": row[1], "actor": row[2], "host": row[3], "action": row[4],
               "details": row[5], "prev_hash": row[6], "hash": row[7]}
