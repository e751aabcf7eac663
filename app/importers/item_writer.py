"""Batched writing of imported records: ids, families, duplicates, quarantine, text index.

Items go to `items` (what is listed and filtered) and their text and fields to
`item_bodies`, both appended in id order. Plain `executemany` in the caller's
transaction (sqlite-utils' insert_all is ~1.6x slower in this hot loop). Ids are assigned here so a family (an email and its
attachments) is written in one pass with parent ids already known. The full-text
index is built after the rows, in one pass (row-by-row triggers are ~2x slower).
"""

import hashlib
import sqlite3

import orjson

from app.core.cancel import CancelToken, Progress
from app.core.hashing import dedup_digest, item_content_hash
from app.core.records import ItemRecord, Quarantined, Skipped

BATCH = 2000
BATCH_BYTES = 32 * 1024 * 1024  # flush early when records carry large payloads (attachments)
INDEX_STEP = 20000
# FTS5 keeps this many bytes of new terms in memory before writing a segment (default
# 1 MiB). Bigger means fewer segments to merge: half the CPU of building the index of a
# million log rows, for a bounded 64 MiB of memory while an import runs.
FTS_HASH_BYTES = 64 * 1024 * 1024
# FTS5 merges its segments 4 at a time by default; 16 at a time rewrites the index fewer
# times: building the index of a million log rows took 19.5 s instead of 23 s, and the
# same searches ran as fast on the result (bench/results/import.txt).
FTS_AUTOMERGE = 16
ITEM_COLUMNS = ("id", "kind", "parent_id", "source_id", "locator", "content_hash", "title", "ts_original", "ts_us",
                "ts_zone", "ts_assumed", "ts_note", "account", "api_key", "ip", "model", "thread_id", "dedup_hash",
                "dedup_check", "warnings")
INSERT_ITEM = f"INSERT INTO items({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(ITEM_COLUMNS))})"
INSERT_BODY = "INSERT INTO item_bodies(id, text, fields) VALUES (?, ?, ?)"


def _json(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


def _payload_bytes(record: ItemRecord) -> int:
    return sum(map(len, record.payloads.values())) + sum(_payload_bytes(c) for c in record.children)


class ItemWriter:
    """Writes one source's records; counts what it did for the reconciliation."""

    def __init__(self, conn: sqlite3.Connection, source_id: int, custodian: str | None):
        self.conn = conn
        self.source_id = source_id
        self.custodian = custodian
        start = conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
        self.first_id = start + 1
        self.last_id = start
        self.imported = self.duplicates = self.quarantined = self.items_created = 0
        self._digest = hashlib.sha256()
        self._pending: list[ItemRecord] = []
        self._pending_bytes = 0  # payload bytes held (attachments): a batch is also bounded by size
        self._quarantine_rows: list[tuple] = []

    def add(self, record) -> None:
        if isinstance(record, ItemRecord):
            self._pending.append(record)
            if record.payloads or record.children:  # (a log row has neither: skip the sum)
                self._pending_bytes += _payload_bytes(record)
            if len(self._pending) >= BATCH or self._pending_bytes >= BATCH_BYTES:
                self.flush()
        elif isinstance(record, Quarantined):
            self.quarantined += 1
            raw = record.raw if isinstance(record.raw, bytes) else str(record.raw).encode("utf-8", "replace")
            self._quarantine_rows.append((self.source_id, _json(record.locator), raw, record.reason))
        elif not isinstance(record, Skipped):
            raise TypeError(f"an importer yielded {type(record).__name__}")

    def flush(self) -> None:
        records, self._pending, self._pending_bytes = self._pending, [], 0
        keys = [dedup_digest(r.dedup_key) if r.dedup_key else None for r in records]
        first_copies = self._existing_duplicates(keys)
        rows, bodies, payloads, duplicate_rows = [], [], [], []
        for record, key in zip(records, keys):
            earlier = first_copies.get(key) if key else None
            if earlier:
                self.duplicates += 1
                duplicate_rows.append((self.source_id, _json(record.locator), earlier, self.custodian))
                continue
            item_id = self._flatten(record, None, rows, bodies, payloads, key)
            if key:
                first_copies[key] = item_id  # a later copy in this same batch
            self.imported += 1
        self.conn.executemany(INSERT_ITEM, rows)
        self.conn.executemany(INSERT_BODY, bodies)
        if payloads:
            self.conn.executemany("INSERT INTO item_payloads(item_id, role, data) VALUES (?, ?, ?)", payloads)
        if duplicate_rows:
            self.conn.executemany(
                "INSERT INTO duplicates(source_id, locator, first_item_id, custodian) VALUES (?,?,?,?)",
                duplicate_rows)
        if self._quarantine_rows:
            self.conn.executemany("INSERT INTO quarantine(source_id, locator, raw, reason) VALUES (?,?,?,?)",
                                  self._quarantine_rows)
            self._quarantine_rows = []

    def _existing_duplicates(self, keys) -> dict[tuple[int, bytes], int]:
        """{(key, check): first item id} for the keys already in the case."""
        wanted = list({key[0] for key in keys if key})
        found: dict[tuple[int, bytes], int] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            sql = (f"SELECT dedup_hash, dedup_check, min(id) FROM items WHERE dedup_hash IN ({','.join('?' * len(part))})"
                   " GROUP BY dedup_hash, dedup_check")
            found.update(((number, check), item_id) for number, check, item_id in self.conn.execute(sql, part))
        return found

    def _flatten(self, record: ItemRecord, parent_id: int | None, rows: list, bodies: list, payloads: list,
                 key: tuple[int, bytes] | None = None) -> int:
        self.last_id += 1
        item_id = self.last_id
        locator = _json(record.locator)
        fields = record.fields_json if record.fields_json is not None else _json(record.fields)
        stamp = record.timestamp
        ts_original = stamp.original if stamp else None
        ts_us = stamp.utc_us if stamp else None
        content_hash = item_content_hash(record.kind, record.title, record.text, fields, ts_original, ts_us, locator)
        self._digest.update(content_hash.encode("ascii") + b"\n")
        rows.append((
            item_id, record.kind, parent_id, self.source_id, locator, content_hash, record.title,
            ts_original, ts_us, stamp.zone if stamp else None,
            int(stamp.assumed) if stamp else None, stamp.note if stamp else None,
            record.account, record.api_key, record.ip, record.model, record.thread_id,
            key[0] if key else None, key[1] if key else None,
            _json(record.warnings) if record.warnings else None))
        bodies.append((item_id, record.text, fields))
        if record.payloads:
            payloads.extend((item_id, role, data) for role, data in record.payloads.items())
        self.items_created += 1
        for child in record.children:
            self._flatten(child, item_id, rows, bodies, payloads,
                          dedup_digest(child.dedup_key) if child.dedup_key else None)
        return item_id

    def digest(self) -> str:
        """Digest over the content hashes of the items created, in id order."""
        return self._digest.hexdigest()

    def build_text_index(self, token: CancelToken, label: str):
        """Index the new items' title and text for search, in steps (a generator)."""
        total = self.last_id - self.first_id + 1
        if total > INDEX_STEP:
            self.conn.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,))
            self.conn.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('automerge', ?)", (FTS_AUTOMERGE,))
        for start in range(self.first_id, self.last_id + 1, INDEX_STEP):
            token.raise_if_cancelled()
            end = min(start + INDEX_STEP - 1, self.last_id)
            self.conn.execute("INSERT INTO items_fts(rowid, title, text) SELECT id, title, text"
                              " FROM item_details WHERE id BETWEEN ? AND ?", (start, end))
            yield Progress(label, end - self.first_id + 1, total, "items")
