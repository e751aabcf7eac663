"""Productions recorded in the case: what was produced, with which Bates numbers.

A production is written with its exhibits and its audit entry in one transaction.
Bates numbers, once produced under a prefix, are never produced again: the next
production under that prefix starts after the highest number used.
"""

import sqlite3

import orjson

from app.store.errors import CaseFileError

EXHIBIT_COLUMNS = (
    "position",
    "label",
    "kind",
    "title",
    "item_ids",
    "first_page",
    "page_count",
    "bates_first",
    "bates_last",
    "summary_kind",
    "summary_ref",
)
PRODUCTION_COLUMNS = (
    "id",
    "created_utc",
    "operator",
    "title",
    "selection",
    "settings",
    "bates_prefix",
    "bates_first",
    "bates_last",
    "page_count",
    "exhibit_count",
    "pdf_name",
    "pdf_sha256",
    "sidecars",
    "audit_seq",
    "audit_hash",
    "head_key_id",
    "head_signature",
)


def next_bates_start(conn: sqlite3.Connection, prefix: str) -> int:
    """The first Bates number not yet produced under this prefix."""
    row = conn.execute("SELECT max(bates_last) FROM productions WHERE bates_prefix = ?", (prefix,)).fetchone()
    return (row[0] or 0) + 1


def check_bates_free(conn: sqlite3.Connection, prefix: str, first: int, last: int, digits: int = 7) -> None:
    """Refuse a range that overlaps numbers already produced under the prefix."""
    bates = lambda n: f"{prefix}{n:0{digits}d}"  # noqa: E731
    row = conn.execute(
        "SELECT id, bates_first, bates_last FROM productions WHERE bates_prefix = ? AND bates_first <= ?"
        " AND bates_last >= ? ORDER BY id LIMIT 1",
        (prefix, last, first),
    ).fetchone()
    if row:
        raise CaseFileError(
            f"Bates number{'s' if last > first else ''} {bates(first)}{' - ' + bates(last) if last > first else ''}"
            f" overlap{'s' if last == first else ''} production {row[0]} ({bates(row[1])} - {bates(row[2])}); "
            f"Bates numbers are never reused. "
            f"Start at {next_bates_start(conn, prefix)} or later."
        )


def record_production(case, production: dict, exhibits: list[dict]) -> int:
    """Insert a production and its exhibits and audit it; call inside case.transaction()."""
    conn = case.conn
    check_bates_free(
        conn,
        production["bates_prefix"],
        production["bates_first"],
        production["bates_last"],
        production["settings"]["bates_digits"],
    )
    values = {k: production.get(k) for k in PRODUCTION_COLUMNS if k != "id"}
    for key in ("selection", "settings", "sidecars"):
        values[key] = orjson.dumps(values[key]).decode()
    production_id = conn.execute(
        f"INSERT INTO productions({', '.join(values)}) VALUES ({', '.join('?' * len(values))})", list(values.values())
    ).lastrowid
    conn.executemany(
        f"INSERT INTO production_exhibits(production_id, {', '.join(EXHIBIT_COLUMNS)})"
        f" VALUES (?, {', '.join('?' * len(EXHIBIT_COLUMNS))})",
        [(production_id, *[_exhibit_value(e, k) for k in EXHIBIT_COLUMNS]) for e in exhibits],
    )
    case.audit(
        "production.create",
        {
            "production_id": production_id,
            "title": production["title"],
            "pdf_name": production["pdf_name"],
            "pdf_sha256": production["pdf_sha256"],
            "sidecars": production["sidecars"],
            "bates_prefix": production["bates_prefix"],
            "bates_first": production["bates_first"],
            "bates_last": production["bates_last"],
            "page_count": production["page_count"],
            "exhibits": [
                {
                    "label": e["label"],
                    "item_ids": e["item_ids"],
                    "bates_first": e["bates_first"],
                    "bates_last": e["bates_last"],
                    **(
                        {"summary_kind": e["summary_kind"], "summary_ref": e["summary_ref"]}
                        if e.get("summary_kind")
                        else {}
                    ),
                }
                for e in exhibits
            ],
            "selection": production["selection"],
            "settings": production["settings"],
            "head": {
                "seq": production["audit_seq"],
                "hash": production["audit_hash"],
                "key_id": production.get("head_key_id"),
                "signature": production.get("head_signature"),
            },
        },
    )
    return production_id


def _exhibit_value(exhibit: dict, key: str):
    value = exhibit.get(key)
    if key == "item_ids" or (key == "summary_ref" and value is not None):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return value


def list_productions(conn: sqlite3.Connection) -> list[dict]:
    """Every production, oldest first (without exhibits)."""
    rows = conn.execute(f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM productions ORDER BY id").fetchall()
    return [_production(row) for row in rows]


def get_production(conn: sqlite3.Connection, production_id: int) -> dict:
    """One production with its exhibits in order."""
    row = conn.execute(
        f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM productions WHERE id = ?", (production_id,)
    ).fetchone()
    if row is None:
        raise CaseFileError(f"There is no production {production_id} in this case.")
    production = _production(row)
    production["exhibits"] = [
        {
            **dict(zip(EXHIBIT_COLUMNS, r)),
            "item_ids": orjson.loads(r[4]),
            "summary_ref": orjson.loads(r[10]) if r[10] else None,
        }
        for r in conn.execute(
            f"SELECT {', '.join(EXHIBIT_COLUMNS)} FROM production_exhibits WHERE production_id = ? ORDER BY position",
            (production_id,),
        )
    ]
    return production


def _production(row) -> dict:
    production = dict(zip(PRODUCTION_COLUMNS, row))
    for key in ("selection", "settings", "sidecars"):
        production[key] = orjson.loads(production[key])
    return production
