"""An item's fields, wherever they are kept: every reader of a log row's fields comes here.

Most items keep their fields as JSON text in `item_bodies.fields`. A log row read
straight from its original (a JSON-lines or CSV file that was not compressed) keeps
none: its fields are read again from its own bytes in the stored original, which its
locator points to (`byte_offset`, `byte_length`), by the recipe recorded with the source
(app/core/row_fields.py). The item's content hash covers those fields as the import
read them, so `verify` proves that what is read back is what was imported.

A reader keeps the chunks (1 MiB each) it read last, a few of them: rows read in order --
`verify`'s, an exhibit's even when it interleaves rows of several logs by time -- read each
chunk once.
"""

import sqlite3
from collections import OrderedDict

import orjson

from app.core.row_fields import RECIPE_KEY, csv_dialect, fields_json
from app.store.errors import CaseFileError


CHUNKS_KEPT = 8  # one per log an exhibit interleaves; 8 MiB at most
SPAN_READ_MAX = 16 << 20  # bytes of an original read at once for a batch of rows


class FieldsUnreadable(CaseFileError):
    pass


class FieldsReader:
    """Reads items' fields for one connection; remembers each source's recipe."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._recipes: dict[int, tuple] = {}  # source id -> (recipe or None, csv dialect, chunk size, name)
        self._chunks: OrderedDict[tuple[int, int], bytes] = OrderedDict()  # (source id, seq) -> bytes
        self._plain: dict[int, bool] = {}  # source id -> read as plain JSON lines in UTF-8

    def fields(self, source_id: int, locator, stored: str | None) -> dict:
        """The item's fields, decoded ({} when it has none).

        `locator` and `stored` as in the case (JSON text; a decoded locator will do).
        """
        text = self.fields_json(source_id, locator, stored)
        try:
            return orjson.loads(text) if text else {}
        except orjson.JSONDecodeError:
            return self._unreadable(source_id, locator)

    def many_fields(self, rows) -> list[dict]:
        """The fields of many items at once: rows of (source id, locator, stored), in order.

        Rows read from a JSON-lines original in UTF-8 (the common log) are cut from one read
        of the bytes they span and decoded straight from those bytes, without a copy of each
        line or its text; anything else (or a line that does not decode so) goes the way of
        `fields`, with the same result."""
        spans: dict[int, tuple[int, bytes]] = {}
        wanted: dict[int, list[int]] = {}
        decoded = []
        for source_id, locator, stored in rows:
            if isinstance(locator, str):
                locator = orjson.loads(locator)
            decoded.append(locator)
            if stored is None and locator and "byte_length" in locator and self._plain_json_lines(source_id):
                wanted.setdefault(source_id, []).append(locator["byte_offset"])
                wanted[source_id].append(locator["byte_offset"] + locator["byte_length"])
        for source_id, ends in wanted.items():
            low, high = min(ends), max(ends)
            if high - low <= SPAN_READ_MAX:
                spans[source_id] = (low, self._original_bytes(source_id, self._recipe(source_id)[2], low, high - low))
        found = []
        for (source_id, _, stored), locator in zip(rows, decoded):
            span = spans.get(source_id) if stored is None and locator else None
            if span is not None and "byte_length" in locator:
                start = locator["byte_offset"] - span[0]
                try:
                    found.append(orjson.loads(span[1][start : start + locator["byte_length"]]))
                    continue
                except orjson.JSONDecodeError:
                    pass
            found.append(self.fields(source_id, locator, stored))
        return found

    def _plain_json_lines(self, source_id: int) -> bool:
        plain = self._plain.get(source_id)
        if plain is None:
            recipe = self._recipe(source_id)[0]
            plain = self._plain[source_id] = (
                bool(recipe) and recipe["format"] == "jsonl" and recipe["encoding"].lower() in ("utf-8", "utf8")
            )
        return plain

    def fields_json(self, source_id: int, locator, stored: str | None) -> str | None:
        """The item's fields as the JSON text the import read (None: it has none)."""
        if stored is not None:
            return stored
        if isinstance(locator, str):
            locator = orjson.loads(locator)
        if not locator or "byte_length" not in locator:
            return None  # an item stored without fields has none
        recipe, dialect, chunk_size, _name = self._recipe(source_id)
        raw = self._original_bytes(source_id, chunk_size, locator["byte_offset"], locator["byte_length"])
        text = fields_json(recipe, raw, dialect) if recipe else None
        return text if text is not None else self._unreadable(source_id, locator)

    def _unreadable(self, source_id: int, locator):
        if isinstance(locator, str):
            locator = orjson.loads(locator)
        name = self._recipe(source_id)[3]
        raise FieldsUnreadable(
            f"The fields of line {locator.get('line')} of {name} (source {source_id}) cannot be "
            "read from the stored original; run verify to check the case file."
        )

    def _recipe(self, source_id: int) -> tuple:
        if source_id not in self._recipes:
            row = self.conn.execute(
                "SELECT settings, chunk_size, original_name FROM sources WHERE id = ?", (source_id,)
            ).fetchone()
            if row is None:
                raise FieldsUnreadable(f"The case has no source {source_id}; run verify to check the case file.")
            recipe = orjson.loads(row[0]).get(RECIPE_KEY) if row[0] else None
            dialect = csv_dialect(recipe) if recipe and recipe["format"] == "csv" else None
            self._recipes[source_id] = (recipe, dialect, row[1], row[2])
        return self._recipes[source_id]

    def _original_bytes(self, source_id: int, chunk_size: int, offset: int, length: int) -> bytes:
        """`length` bytes of the stored original from `offset`, across chunks if need be."""
        parts = []
        while length > 0:
            seq, start = divmod(offset, chunk_size)
            piece = self._chunk(source_id, seq)[start : start + length]
            if not piece:
                raise FieldsUnreadable(
                    f"Source {source_id}'s original ends before byte {offset:,}; run verify to check the case file."
                )
            parts.append(piece)
            offset += len(piece)
            length -= len(piece)
        return b"".join(parts)

    def _chunk(self, source_id: int, seq: int) -> bytes:
        key = (source_id, seq)
        if key in self._chunks:
            self._chunks.move_to_end(key)
            return self._chunks[key]
        row = self.conn.execute("SELECT data FROM source_chunks WHERE source_id = ? AND seq = ?", key).fetchone()
        if row is None or not isinstance(row[0], bytes):
            raise FieldsUnreadable(
                f"Source {source_id} is missing part {seq} of its original (or it is no longer "
                "stored as bytes); run verify to check the case file."
            )
        self._chunks[key] = row[0]
        if len(self._chunks) > CHUNKS_KEPT:
            self._chunks.popitem(last=False)
        return row[0]
