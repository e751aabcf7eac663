"""Batched writing of imported records: ids, families, duplicates, quarantine, text index.

Items go to `items` (what is listed and filtered) and their text and fields to
`item_bodies`, both appended in id order, in the caller's transaction.

The writing runs on a second thread while the importer parses the next batch. The
work divides cleanly: the importer's thread does the Python (parse, content hashes,
JSON, duplicate look-ups through app.importers.dedup_keys, ids -- an email and its
attachments get theirs in one pass, parent ids known), the writer's thread runs SQLite
statements, which release the GIL: the inserts, and the full-text index of every
INDEX_STEP new items (so the text index is built while rows are still being read, not
after). On two cores that turns "parse, then insert, then index" into "parse while
inserting and indexing". Each batch is inserted with multi-row INSERT statements: one
GIL hand-over per statement, where `executemany` would hand it over for every row.
At most IN_FLIGHT batches wait for the writer, so memory stays bounded.
"""

import hashlib
import sqlite3
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import NamedTuple

import orjson

from app.core.cancel import CancelToken, Progress
from app.core.hashing import (
    dedup_digest,
    duplicate_row_bytes,
    item_content_hash,
    item_listing_hash,
    payload_hashes,
    quarantine_row_hash,
)
from app.core.records import ItemRecord, Quarantined, Skipped
from app.importers.dedup_keys import DedupKeys
from app.store import cjk_index
from app.store.sql_lists import insert_rows

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
# Batches handed to the writer's thread and not yet written, at most IN_FLIGHT and
# IN_FLIGHT_BYTES of text, fields and payloads. More than one lets parsing go on while the
# writer builds a step of the text index (~0.4 s per INDEX_STEP items; each FTS5 statement
# writes a segment, so steps of 2,000 items made the index 1.8x slower). 1M log rows: one
# batch 53 s, four 48 s, ten 45 s but 272 MB at the peak.
IN_FLIGHT = 6
IN_FLIGHT_BYTES = 40 * 1024 * 1024
ITEM_COLUMNS = (
    "id",
    "parent_id",
    "kind",
    "source_id",
    "locator",
    "content_hash",
    "title",
    "ts_original",
    "ts_us",
    "ts_zone",
    "ts_assumed",
    "ts_note",
    "account",
    "api_key",
    "ip",
    "model",
    "thread_id",
    "dedup_hash",
    "dedup_check",
    "warnings",
    "listing_hash",
)
BODY_COLUMNS = ("id", "text", "fields")


def _json(value) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


def _payload_bytes(record: ItemRecord) -> int:
    return sum(map(len, record.payloads.values())) + sum(_payload_bytes(c) for c in record.children)


class _Prepared(NamedTuple):
    """A record made ready on the importer's thread: everything but its id and parent."""

    key: tuple[int, bytes] | None
    events: bool  # the key's copies are events, matched one for one across sources (ItemRecord)
    locator: str
    content_hash: str
    values: tuple  # the items columns after id and parent_id
    text: str
    fields: str | None
    cjk: tuple | None  # (title, text) as the CJK bigram index takes them, for items with CJK only
    payloads: dict
    payload_hashes: list  # [[role, SHA-256], ...]: covered by the item's listing hash
    children: list


def _prepare(record: ItemRecord, source_id: int) -> _Prepared:
    locator = _json(record.locator)
    fields = record.fields_json if record.fields_json is not None else _json(record.fields)
    stamp = record.timestamp
    ts_original = stamp.original if stamp else None
    ts_us = stamp.utc_us if stamp else None
    # The hash covers the fields as read even when they are not stored: verify reads them
    # back from the original and proves they are the same (app/store/item_fields.py).
    content_hash = item_content_hash(record.kind, record.title, record.text, fields, ts_original, ts_us, locator)
    if record.fields_in_original:
        fields = None
    key = dedup_digest(record.dedup_key) if record.dedup_key else None
    values = (
        record.kind,
        source_id,
        locator,
        content_hash,
        record.title,
        ts_original,
        ts_us,
        stamp.zone if stamp else None,
        int(stamp.assumed) if stamp else None,
        stamp.note if stamp else None,
        record.account,
        record.api_key,
        record.ip,
        record.model,
        record.thread_id,
        key[0] if key else None,
        key[1] if key else None,
        _json(record.warnings) if record.warnings else None,
    )
    children = [_prepare(child, source_id) for child in record.children] if record.children else []
    hashes = payload_hashes(record.payloads) if record.payloads else []
    return _Prepared(
        key,
        record.dedup_events,
        locator,
        content_hash,
        values,
        record.text,
        fields,
        cjk_index.index_row(record.title, record.text),
        record.payloads,
        hashes,
        children,
    )


class ItemWriter:
    """Writes one source's records; counts what it did for the reconciliation.

    Use `add` for each record, then `build_text_index` (which finishes the writing);
    `close` on the way out of an error, before the transaction is rolled back.
    """

    def __init__(self, conn: sqlite3.Connection, source_id: int, custodian: str | None, dedup: DedupKeys | None = None):
        self.conn = conn
        self.source_id = source_id
        self.custodian = custodian
        start = conn.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
        self.first_id = start + 1
        self.last_id = start
        self.imported = self.duplicates = self.quarantined = self.items_created = 0
        self._digest = hashlib.sha256()
        # What `verify` recomputes beside the content hashes: the items' listing hashes, the
        # quarantine and duplicates rows, each source's in id order (app/store/verify_rows.py).
        self._listing_digest = hashlib.sha256()
        self._quarantine_digest = hashlib.sha256()
        self._duplicates_digest = hashlib.sha256()
        self._pending: list[ItemRecord] = []
        self._pending_bytes = 0  # payload bytes held (attachments): a batch is also bounded by size
        self._quarantine_rows: list[tuple] = []
        self._owns_dedup = dedup is None
        self._dedup = dedup or DedupKeys(conn)  # shared by the files of one import operation
        self._indexed_to = start  # the text index covers items up to this id
        self._cjk_rows: list[tuple] = []  # (id, title, text) for items_cjk, written with the text index
        self._cjk_bytes = 0
        self._thread: ThreadPoolExecutor | None = ThreadPoolExecutor(1, thread_name_prefix="casefile-writer")
        self._in_flight: deque[tuple[Future, int]] = deque()  # (job, its bytes): run in order, one at a time

    def add(self, record) -> None:
        if isinstance(record, ItemRecord):
            self._pending.append(record)
            if record.payloads or record.children:  # (a log row has neither: skip the sum)
                self._pending_bytes += _payload_bytes(record)
            if len(self._pending) >= BATCH or self._pending_bytes >= BATCH_BYTES:
                self._hand_over()
        elif isinstance(record, Quarantined):
            self.quarantined += 1
            raw = record.raw
            if raw is not None and not isinstance(raw, bytes):
                raw = str(raw).encode("utf-8", "replace")
            locator = _json(record.locator)
            row_hash = quarantine_row_hash(self.source_id, locator, raw, record.reason)
            self._quarantine_digest.update(row_hash)
            self._quarantine_rows.append((self.source_id, locator, raw, record.reason, row_hash))
        elif not isinstance(record, Skipped):
            raise TypeError(f"an importer yielded {type(record).__name__}")

    def flush(self) -> None:
        """Write everything added so far (and wait until it is written)."""
        self._hand_over()
        self._wait()

    def close(self, discard: bool = False) -> None:
        """Stop the writer's thread once nothing is running on it (call before the transaction ends).

        `discard` (on a cancel or an error, before a rollback): batches not yet started are
        dropped rather than written, so a cancel takes effect at once.
        """
        if self._thread is None:
            return
        if discard:
            for job, _size in self._in_flight:
                job.cancel()
        try:
            self._wait(errors=not discard)  # after a cancel or error, the batches' own errors are moot
        finally:
            self._thread.shutdown(cancel_futures=True)
            self._thread = None
            if self._owns_dedup:
                self._dedup.close()

    def _hand_over(self) -> None:
        """Give the pending records ids, sort out duplicates, and pass the rows to the writer."""
        if not self._pending and not self._quarantine_rows:
            return
        records, self._pending, self._pending_bytes = self._pending, [], 0
        prepared = [_prepare(record, self.source_id) for record in records]
        # A message duplicates its first copy anywhere; a log line the next one of earlier
        # sources' copies, if any is left (ItemRecord.dedup_events).
        messages = [p.key for p in prepared if p.key and not p.events]
        first_copies = self._dedup.first_copies(messages) if messages else {}
        earlier_copies = self._dedup.earlier_copies(
            self.source_id, [p.key for p in prepared if p.key and p.events], self.first_id
        )
        rows, bodies, payloads, duplicate_rows, new_keys, cjk_rows = [], [], [], [], [], []
        for item in prepared:
            earlier = None
            if item.key is not None:
                if item.events:
                    waiting = earlier_copies.get(item.key)
                    earlier = waiting.popleft() if waiting else None
                else:
                    earlier = first_copies.get(item.key)
            if earlier:
                self.duplicates += 1
                duplicate_rows.append((self.source_id, item.locator, earlier, self.custodian))
                self._duplicates_digest.update(duplicate_row_bytes(*duplicate_rows[-1]))
                continue
            item_id = self._place(item, None, rows, bodies, payloads, new_keys, cjk_rows)
            if item.key is not None and not item.events:
                first_copies[item.key] = item_id  # a later copy in this same batch
            self.imported += 1
        self._dedup.remember(new_keys)
        quarantine, self._quarantine_rows = self._quarantine_rows, []
        size = sum(len(text) + len(fields or "") for _id, text, fields in bodies) + sum(len(p[2]) for p in payloads)
        while self._in_flight and (
            len(self._in_flight) >= IN_FLIGHT
            or sum(queued for _job, queued in self._in_flight) + size > IN_FLIGHT_BYTES
        ):
            self._wait(keep=len(self._in_flight) - 1)  # bounded memory: wait for the oldest batch
        if self._thread is None:
            raise RuntimeError("the item writer is closed")
        job = self._thread.submit(
            self._write_batch, rows, bodies, payloads, duplicate_rows, quarantine, cjk_rows, self.last_id
        )
        self._in_flight.append((job, size))

    def _place(
        self,
        item: _Prepared,
        parent_id: int | None,
        rows: list,
        bodies: list,
        payloads: list,
        new_keys: list,
        cjk_rows: list,
    ) -> int:
        self.last_id += 1
        item_id = self.last_id
        self._digest.update(item.content_hash.encode("ascii") + b"\n")
        values = item.values  # (kind, source_id, locator, content_hash, title, ts_original, ts_us, ts_zone, ...)
        listing = item_listing_hash((item_id, parent_id, values[1], values[3], *values[7:]), item.payload_hashes)
        self._listing_digest.update(listing)
        rows.append((item_id, parent_id, *values, listing))
        bodies.append((item_id, item.text, item.fields))
        if item.payloads:
            payloads.extend((item_id, role, data) for role, data in item.payloads.items())
        if item.key:
            new_keys.append((*item.key, item_id))
        if item.cjk:
            cjk_rows.append((item_id, *item.cjk))
        self.items_created += 1
        for child in item.children:
            self._place(child, item_id, rows, bodies, payloads, new_keys, cjk_rows)
        return item_id

    def _wait(self, keep: int = 0, errors: bool = True) -> None:
        """Wait until at most `keep` batches are still queued or being written.

        A batch's error is raised here (`errors`), else only waited out; cancelled batches are skipped.
        """
        while len(self._in_flight) > keep:
            job, _size = self._in_flight.popleft()
            if job.cancelled():
                continue
            if errors:
                job.result()  # re-raises the writer thread's error here
            else:
                job.exception()

    # -- on the writer's thread -----------------------------------------------------------

    def _write_batch(
        self,
        rows: list,
        bodies: list,
        payloads: list,
        duplicate_rows: list,
        quarantine: list,
        cjk_rows: list,
        last_id: int,
    ) -> None:
        self._insert_many("items", ITEM_COLUMNS, rows)
        self._insert_many("item_bodies", BODY_COLUMNS, bodies)
        if payloads:
            self.conn.executemany("INSERT INTO item_payloads(item_id, role, data) VALUES (?, ?, ?)", payloads)
        if duplicate_rows:
            self.conn.executemany(
                "INSERT INTO duplicates(source_id, locator, first_item_id, custodian) VALUES (?,?,?,?)", duplicate_rows
            )
        if quarantine:
            self.conn.executemany(
                "INSERT INTO quarantine(source_id, locator, raw, reason, row_hash) VALUES (?,?,?,?,?)", quarantine
            )
        if cjk_rows:
            self._cjk_rows.extend(cjk_rows)
            self._cjk_bytes += sum(len(title or "") + len(text or "") for _id, title, text in cjk_rows)
        if last_id - self._indexed_to >= INDEX_STEP or self._cjk_bytes >= cjk_index.INSERT_STEP_BYTES:
            self._index_text(last_id, large=True)

    def _insert_many(self, table: str, columns: tuple, rows: list[tuple]) -> None:
        insert_rows(self.conn, f"INSERT INTO {table}({', '.join(columns)})", len(columns), rows)

    def _index_text(self, up_to: int, large: bool = False) -> None:
        """Add the items after `_indexed_to`, up to `up_to`, to the text index (`large`: while rows stream in)."""
        if self._indexed_to == self.first_id - 1 and (large or up_to - self._indexed_to >= INDEX_STEP):
            # A large import: bigger in-memory batches of terms, fewer merges (see above).
            for table in ("items_fts", cjk_index.CJK_TABLE):  # (CJK bigrams: 794 -> 544 us a row of 413 characters)
                self.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', ?)", (FTS_HASH_BYTES,))
                self.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', ?)", (FTS_AUTOMERGE,))
        self.conn.execute(
            "INSERT INTO items_fts(rowid, title, text) SELECT id, title, text"
            " FROM item_details WHERE id BETWEEN ? AND ?",
            (self._indexed_to + 1, up_to),
        )
        self._indexed_to = up_to
        if self._cjk_rows:  # the CJK bigrams of the same items (app/store/cjk_index.py)
            cjk_index.insert_rows(self.conn, self._cjk_rows)
            self._cjk_rows, self._cjk_bytes = [], 0

    # -- finishing ---------------------------------------------------------------------------

    def digest(self) -> str:
        """Digest over the content hashes of the items created, in id order."""
        return self._digest.hexdigest()

    def coverage_digests(self) -> dict:
        """For the import's audit entry: digests over its listing hashes, quarantine and duplicates rows."""
        return {
            "listing_digest": self._listing_digest.hexdigest(),
            "quarantine_digest": self._quarantine_digest.hexdigest(),
            "duplicates_digest": self._duplicates_digest.hexdigest(),
        }

    def build_text_index(self, token: CancelToken, label: str):
        """Write what is left and index the text not yet indexed, in steps (a generator)."""
        self.flush()
        self.close()
        total = self.last_id - self._indexed_to
        for start in range(self._indexed_to + 1, self.last_id + 1, INDEX_STEP):
            token.raise_if_cancelled()
            end = min(start + INDEX_STEP - 1, self.last_id)
            self._index_text(end)
            yield Progress(label, end - self.last_id + total, total, "items")
