"""`verify`, beyond content: the columns listed and printed beside it, payloads, quarantine, duplicates.

An item's content hash covers its kind, title, text, fields, original timestamp and
locator. Its listing hash (app.core.hashing.item_listing_hash, stored since the
listing-hash migration) covers the rest of its row -- account, API key, IP, model,
thread, time zone, the "assumed" flag, parent, ... -- and the SHA-256 of its payloads
(an attachment's bytes, a thumbnail). Quarantine rows carry a hash of their place,
reason and kept bytes. Each import's audit entry records a digest over each kind, in
id order, so that a row whose hash was recomputed by a forger is still found.

Sources imported before these hashes existed have no digest in their audit entry: their
rows are counted and reported as not covered, never passed as proven.
"""

import hashlib
import json
import sqlite3

from app.core.cancel import CancelToken, Progress
from app.core.hashing import (
    LISTING_COLUMNS,
    duplicate_row_bytes,
    item_listing_hash,
    payload_hashes,
    quarantine_row_hash,
)
from app.core.mapping import apply_mapping, column_value
from app.store.item_fields import FieldsReader, FieldsUnreadable
from app.store.verify_result import Discrepancy, VerifyResult

# The columns a listing hash covers, as a lawyer would name them.
LISTED_WORDS = (
    "account, API key, IP address, model, thread, time zone, 'time assumed' flag, time note, "
    "parent item, warnings, duplicate key or attached bytes"
)
# A log row's columns its source's mapping fills, named when one of them is changed.
COLUMN_WORDS = {"account": "account", "api_key": "API key", "ip": "IP address", "model": "model"}
PROGRESS_EVERY = 50000


def check_listing(conn: sqlite3.Connection, imports: dict[int, dict], result: VerifyResult, token: CancelToken):
    """Recompute each item's listing hash and each import's digest of them (a generator)."""
    covered = {source_id for source_id, logged in imports.items() if "listing_digest" in logged}
    total = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    digests: dict[int, hashlib._Hash] = {}
    uncovered: dict[int, int] = {}
    columns = _LogRowColumns(conn)
    payloads = _payloads_by_item(conn)
    pending = next(payloads, None)
    cursor = conn.execute(f"SELECT {', '.join(LISTING_COLUMNS)}, listing_hash FROM items ORDER BY id")
    for done, row in enumerate(cursor, start=1):
        item_id, source_id, stored = row[0], row[2], row[-1]
        while pending is not None and pending[0] < item_id:  # payloads of no item: named by check_orphans
            pending = next(payloads, None)
        hashes = []
        if pending is not None and pending[0] == item_id:
            hashes, pending = pending[1], next(payloads, None)
        if done % PROGRESS_EVERY == 0:
            token.raise_if_cancelled()
            yield Progress("Checking items' accounts, keys, addresses and times", done, total, "items")
        if source_id not in covered:
            uncovered[source_id] = uncovered.get(source_id, 0) + 1
            continue
        digest = digests.get(source_id)
        if digest is None:
            digest = digests[source_id] = hashlib.sha256()
        if not isinstance(stored, bytes):
            result.problems.append(
                Discrepancy(
                    "items",
                    item_id,
                    f"the hash of its listed values was removed or replaced ({LISTED_WORDS} can no longer be checked)",
                )
            )
            continue
        digest.update(stored)
        if item_listing_hash(row[:-1], hashes) != stored:
            result.problems += columns.changed(item_id, source_id, dict(zip(LISTING_COLUMNS, row)))
    for source_id in sorted(covered):
        recorded = imports[source_id]["listing_digest"]
        found = digests[source_id].hexdigest() if source_id in digests else hashlib.sha256().hexdigest()
        if found != recorded:
            result.problems.append(
                Discrepancy(
                    "items",
                    f"source {source_id}",
                    f"the listed values of its items ({LISTED_WORDS}) differ from those the import recorded",
                )
            )
    if uncovered:
        yield from _check_earlier_log_rows(conn, columns, uncovered, result, token)
        result.not_covered.append(
            f"{sum(uncovered.values()):,} items of {_sources(uncovered)}, imported before Casefile hashed their "
            "listed values: their content is checked, and a log row's account, API key, IP address and model "
            "against its original row; not their thread, time zone, 'time assumed' flag, time note, parent item, "
            "warnings, duplicate key or attached bytes."
        )
    result.checked["listed_values"] = total - sum(uncovered.values())


class _LogRowColumns:
    """A log row's account, API key, IP and model derived again from its fields and its source's mapping.

    As the import derived them (app/importers/logs/rows.py, with the same `column_value`).
    Names which value of a row with a mismatched listing hash changed, and checks those
    values of rows imported before listing hashes existed.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.fields = FieldsReader(conn)
        self.mappings: dict[int, dict | None] = {}

    def changed(self, item_id: int, source_id: int, listed: dict) -> list[Discrepancy]:
        """The discrepancies of an item whose listing hash does not match (rare: may be slow)."""
        row = self.conn.execute("SELECT kind, locator, fields FROM item_details WHERE id = ?", (item_id,)).fetchone()
        found = []
        if row is not None and row[0] == "log_entry":
            found = self.compare(item_id, source_id, row[1], row[2], [listed[c] for c in COLUMN_WORDS])
        return found or [
            Discrepancy("items", item_id, f"its {LISTED_WORDS} changed since import (listing hash mismatch)")
        ]

    def compare(self, item_id: int, source_id: int, locator, stored_fields, listed: list) -> list[Discrepancy]:
        """A log row's listed account, API key, IP and model (in COLUMN_WORDS order) against its fields."""
        mapping = self.mapping(source_id)
        if not mapping:
            return []
        try:
            mapped = apply_mapping(self.fields.fields(source_id, locator, stored_fields), mapping)
        except FieldsUnreadable:
            return []  # named by the content check
        found = []
        for column, value in zip(COLUMN_WORDS, listed):
            derived = column_value(mapped.get(column))
            if value != derived:
                found.append(
                    Discrepancy(
                        "items",
                        item_id,
                        f"its {COLUMN_WORDS[column]} ({column}) changed since "
                        f"import: {value!r} where its original row says {derived!r}",
                    )
                )
        return found

    def mapping(self, source_id: int) -> dict | None:
        if source_id not in self.mappings:
            settings = self.conn.execute("SELECT settings FROM sources WHERE id = ?", (source_id,)).fetchone()
            try:
                mapping = json.loads(settings[0]).get("mapping") if settings else None
            except (TypeError, ValueError, AttributeError):
                mapping = None
            self.mappings[source_id] = mapping if isinstance(mapping, dict) else None
        return self.mappings[source_id]


def _check_earlier_log_rows(
    conn: sqlite3.Connection, columns: _LogRowColumns, sources, result: VerifyResult, token: CancelToken
):
    """Log rows imported before listing hashes: their account, API key, IP and model against their fields."""
    names = ", ".join(f"i.{c}" for c in COLUMN_WORDS)
    for source_id in sorted(sources):
        if not columns.mapping(source_id):
            continue
        cursor = conn.execute(
            f"SELECT i.id, i.locator, b.fields, {names} FROM items i LEFT JOIN item_bodies b"
            " ON b.id = i.id WHERE i.source_id = ? AND i.kind = 'log_entry' ORDER BY i.id",
            (source_id,),
        )
        for done, (item_id, locator, fields, *listed) in enumerate(cursor, start=1):
            result.problems += columns.compare(item_id, source_id, locator, fields, listed)
            if done % PROGRESS_EVERY == 0:
                token.raise_if_cancelled()
                yield Progress("Checking earlier log rows' accounts, keys and addresses", done, None, "items")


def _payloads_by_item(conn: sqlite3.Connection):
    """(item id, payload_hashes) in item id order; a payload that is not bytes any more hashes as given."""
    cursor = conn.execute("SELECT item_id, role, CAST(data AS BLOB) FROM item_payloads ORDER BY item_id, role")
    current: int | None = None
    found: dict[str, bytes] = {}
    for item_id, role, data in cursor:
        if item_id != current:
            if current is not None:
                yield current, payload_hashes(found)
            current, found = item_id, {}
        found[role] = data or b""
    if current is not None:
        yield current, payload_hashes(found)


def check_quarantine(conn: sqlite3.Connection, imports: dict[int, dict], result: VerifyResult) -> None:
    """Each quarantined record: its count, its hash and the import's digest of them."""
    digests: dict[int, hashlib._Hash] = {}
    counts: dict[int, int] = {}
    uncovered: set[int] = set()
    for row_id, source_id, locator, raw, reason, stored in conn.execute(
        "SELECT id, source_id, locator, raw, reason, row_hash FROM quarantine ORDER BY id"
    ):
        counts[source_id] = counts.get(source_id, 0) + 1
        logged = imports.get(source_id)
        if logged is None or "quarantine_digest" not in logged:
            uncovered.add(source_id)
            continue
        digests.setdefault(source_id, hashlib.sha256()).update(stored if isinstance(stored, bytes) else b"")
        if (
            not isinstance(stored, bytes)
            or not isinstance(raw, (bytes, type(None)))
            or quarantine_row_hash(source_id, locator, raw, reason) != stored
        ):
            result.problems.append(
                Discrepancy(
                    "quarantine", row_id, "its place in the original, its reason or the bytes kept changed since import"
                )
            )
    _reconcile(
        "quarantine", "quarantined", "quarantine_digest", imports, counts, digests, result, "quarantined records"
    )
    uncovered -= {source_id for source_id in uncovered if source_id not in imports}
    if uncovered:
        result.not_covered.append(
            f"quarantined records of {_sources(uncovered)}, imported before Casefile hashed "
            "them: they are counted, but their places, reasons and kept bytes are not checked."
        )
    result.checked["quarantined_records"] = sum(counts.values())


def check_duplicates(conn: sqlite3.Connection, imports: dict[int, dict], result: VerifyResult) -> None:
    """Each source's duplicates: their count and the import's digest of them."""
    digests: dict[int, hashlib._Hash] = {}
    counts: dict[int, int] = {}
    for source_id, locator, first_item_id, custodian in conn.execute(
        "SELECT source_id, locator, first_item_id, custodian FROM duplicates ORDER BY id"
    ):
        counts[source_id] = counts.get(source_id, 0) + 1
        digests.setdefault(source_id, hashlib.sha256()).update(
            duplicate_row_bytes(source_id, locator, first_item_id, custodian)
        )
    _reconcile("duplicates", "duplicates", "duplicates_digest", imports, counts, digests, result, "duplicates")
    uncovered = {
        source_id
        for source_id, logged in imports.items()
        if "duplicates_digest" not in logged and counts.get(source_id)
    }
    if uncovered:
        result.not_covered.append(
            f"duplicates of {_sources(uncovered)}, imported before Casefile hashed them: "
            "they are counted, but which item each copies is not checked."
        )
    result.checked["duplicates"] = sum(counts.values())


def _reconcile(
    table: str,
    count_key: str,
    digest_key: str,
    imports: dict[int, dict],
    counts: dict,
    digests: dict,
    result: VerifyResult,
    words: str,
) -> None:
    """Per source: the rows found against the count and digest its import recorded."""
    empty = hashlib.sha256().hexdigest()
    for source_id, logged in sorted(imports.items()):
        expected = logged.get("counts", {}).get(count_key, 0)
        found = counts.get(source_id, 0)
        if found != expected:
            result.problems.append(
                Discrepancy(table, f"source {source_id}", f"{found:,} {words} found, the import recorded {expected:,}")
            )
        elif digest_key in logged:
            digest = digests[source_id].hexdigest() if source_id in digests else empty
            if digest != logged[digest_key]:
                result.problems.append(
                    Discrepancy(
                        table,
                        f"source {source_id}",
                        f"{words} differ from those the import recorded (a row or its hash was changed)",
                    )
                )
    for source_id in sorted(set(counts) - set(imports)):
        result.problems.append(Discrepancy(table, f"source {source_id}", f"{words} of a source no import recorded"))


def _sources(ids) -> str:
    ids = sorted(ids)
    return f"source {ids[0]}" if len(ids) == 1 else "sources " + ", ".join(map(str, ids))
