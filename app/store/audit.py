"""The append-only, hash-chained, signed audit log.

Each entry's hash covers the previous entry's hash and the entry's own fields, so
changing, removing or reordering an entry outside the application breaks the chain,
and `verify` names the first entry that does not fit. Anyone can recompute such a
chain, so it proves order, not authorship: each entry is also signed (Ed25519) with its
operator's key, which is kept outside the case (app/core/signing_keys.py). The first
entry a key signs in a case carries the public key and registers it in `operator_keys`.

The published rule: hash = SHA-256(previous hash + canonical JSON of [seq, time, actor,
host, action, details]), with [key id, public key or null] appended to that list for a
signed entry; signature = Ed25519 over "casefile audit entry <case id> <hash>".
"""

import hashlib
import sqlite3
from datetime import datetime, timezone

from app.core.hashing import canonical_json
from app.store.tables import count

GENESIS = "0" * 64
COLUMNS = (
    "seq",
    "ts_utc",
    "actor",
    "host",
    "action",
    "details",
    "prev_hash",
    "hash",
    "key_id",
    "public_key",
    "signature",
)


def entry_hash(
    prev_hash: str,
    seq: int,
    ts_utc: str,
    actor: str,
    host: str | None,
    action: str,
    details_json: str,
    key_id: str | None = None,
    public_key: str | None = None,
) -> str:
    fields = [seq, ts_utc, actor, host, action, details_json]
    if key_id is not None:  # unsigned entries (made before signing) keep the rule they were made with
        fields += [key_id, public_key]
    return hashlib.sha256((prev_hash + canonical_json(fields)).encode("utf-8")).hexdigest()


def entry_message(case_id: str, digest: str) -> bytes:
    """What an entry's signature signs: its hash, bound to this case."""
    return f"casefile audit entry {case_id} {digest}".encode("ascii")


def head_message(case_id: str, seq: int, digest: str) -> bytes:
    """What a production's signed chain head signs."""
    return f"casefile chain head {case_id} {seq} {digest}".encode("ascii")


def case_id(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'case_id'").fetchone()
    return row[0] if row else ""


def append(conn: sqlite3.Connection, action: str, details: dict, actor: str, host: str | None, signer=None) -> int:
    """Append one entry, signed by `signer` (an OperatorKey) when given; must run inside the
    transaction of the change it records."""
    if not conn.in_transaction:
        raise RuntimeError("audit entries are written inside the change's transaction")
    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    ts_utc = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    details_json = canonical_json(details)
    key_id = public_key = signature = None
    if signer is not None:
        key_id = signer.key_id
        if conn.execute("SELECT 1 FROM operator_keys WHERE key_id = ?", (key_id,)).fetchone() is None:
            public_key = signer.public_key  # this entry registers the key in the case
            conn.execute(
                "INSERT INTO operator_keys(key_id, public_key, operator, host, registered_seq,"
                " registered_utc) VALUES (?,?,?,?,?,?)",
                (key_id, public_key, actor, host, seq, ts_utc),
            )
    digest = entry_hash(prev, seq, ts_utc, actor, host, action, details_json, key_id, public_key)
    if signer is not None:
        signature = signer.sign(entry_message(case_id(conn), digest))
    conn.execute(
        f"INSERT INTO audit({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
        (seq, ts_utc, actor, host, action, details_json, prev, digest, key_id, public_key, signature),
    )
    return seq


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(seq, hash) of the newest entry: the chain head cited in exports."""
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def entries(conn: sqlite3.Connection, limit: int | None = None, after_seq: int = 0):
    """Audit entries oldest first, as dicts."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM audit WHERE seq > ? ORDER BY seq"
    params: list = [after_seq]
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    for row in conn.execute(sql, params):
        yield dict(zip(COLUMNS, row))


SHOWN_COLUMNS = ("seq", "ts_utc", "actor", "host", "action", "details", "prev_hash", "hash", "key_id", "signature")


def entry_count(conn: sqlite3.Connection) -> int:
    return count(conn, "audit")


def entries_page(conn: sqlite3.Connection, offset: int, limit: int) -> list[tuple]:
    """A page of entries oldest first, as tuples of SHOWN_COLUMNS (the audit view's rows)."""
    return conn.execute(
        f"SELECT {', '.join(SHOWN_COLUMNS)} FROM audit ORDER BY seq LIMIT ? OFFSET ?", (limit, offset)
    ).fetchall()
