"""OCR text as case data: a derived layer beside an item, never a change to the item.

An item's OCR layer (`ocr_text`) is its text as Tesseract read it from the item's
scanned pages or image, with the mean word confidence, each page's own text and
confidence, the engine and the languages. It is searchable (`ocr_fts` as typed,
`ocr_cjk` for CJK bigrams, as items are: app/store/cjk_index.py) and shown everywhere
marked "OCR text". Each layer is written with an `ocr` audit entry recording its text's
SHA-256, so `verify` finds a layer added, changed or removed outside the application.
"""

import hashlib
import sqlite3
from dataclasses import dataclass, field

import orjson

from app.store import cjk_index
from app.store.sql_lists import chunks, marks
from app.store.verify_result import Discrepancy, VerifyResult

OCR_LABEL = "OCR text"
# What OCR can read: images, and PDFs (a whole-file document or an attached one).
_READABLE = (
    "(items.kind = 'image' OR (items.kind = 'document' AND json_extract(b.fields, '$.format') = 'pdf')"
    " OR (items.kind = 'attachment' AND (json_extract(b.fields, '$.mime_type') LIKE 'image/%'"
    " OR json_extract(b.fields, '$.mime_type') = 'application/pdf')))"
)


@dataclass
class OcrLayer:
    """What OCR read from one item."""

    item_id: int
    text: str
    confidence: float | None
    pages: list[dict] = field(default_factory=list)  # [{page, text, confidence}]
    engine: str = ""
    languages: str = ""
    created_utc: str = ""

    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def label(self) -> str:
        """'OCR text (Tesseract 5.3.0, eng+chi_sim, confidence 93%)'."""
        confidence = f", confidence {self.confidence:.0f}%" if self.confidence is not None else ""
        return f"{OCR_LABEL} ({self.engine}, {self.languages}{confidence})"


def needing_ocr(conn: sqlite3.Connection, item_ids=None, source_ids=None, again: bool = False) -> list[int]:
    """Items OCR can read that have no text of their own (a scan, a photo) and, unless
    `again`, no OCR layer yet; of `item_ids` or `source_ids` when given, else of the case."""
    sql = (
        "SELECT items.id FROM items JOIN item_bodies b ON b.id = items.id WHERE "
        + _READABLE
        + " AND trim(replace(coalesce(b.text, ''), char(12), '')) = ''"
        + ("" if again else " AND items.id NOT IN (SELECT item_id FROM ocr_text)")
    )
    if item_ids is None and source_ids is None:
        return [r[0] for r in conn.execute(sql + " ORDER BY items.id")]
    column, wanted = ("items.id", item_ids) if item_ids is not None else ("items.source_id", source_ids)
    found = []
    for part in chunks(list(wanted)):
        found += [r[0] for r in conn.execute(f"{sql} AND {column} IN ({marks(part)})", part)]
    return sorted(found)


def readable_by_ocr(conn: sqlite3.Connection, item_ids) -> list[int]:
    """Of `item_ids`, those OCR can read at all (images and PDFs), text of their own or not."""
    found = []
    for part in chunks(list(item_ids)):
        found += [
            r[0]
            for r in conn.execute(
                f"SELECT items.id FROM items JOIN item_bodies b ON b.id = items.id WHERE {_READABLE}"
                f" AND items.id IN ({marks(part)})",
                part,
            )
        ]
    return sorted(found)


def save_layer(conn: sqlite3.Connection, layer: OcrLayer) -> dict:
    """Store (or replace) an item's OCR layer and its index rows; the audit record of it.

    Call inside the transaction that audits it (`case.audit("ocr", {"layers": [...]})`)."""
    drop_layer(conn, layer.item_id)
    conn.execute(
        "INSERT INTO ocr_text(item_id, text, confidence, pages, engine, languages, created_utc)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            layer.item_id,
            layer.text,
            layer.confidence,
            orjson.dumps(layer.pages).decode(),
            layer.engine,
            layer.languages,
            layer.created_utc,
        ),
    )
    conn.execute("INSERT INTO ocr_fts(rowid, title, text) VALUES (?, '', ?)", (layer.item_id, layer.text))
    if cjk_index.has_cjk(layer.text):
        conn.execute(
            "INSERT INTO ocr_cjk(rowid, title, text) VALUES (?, '', ?)",
            (layer.item_id, cjk_index.index_text(layer.text)),
        )
    return {
        "item_id": layer.item_id,
        "sha256": layer.sha256(),
        "confidence": layer.confidence,
        "pages": len(layer.pages),
    }


def drop_layer(conn: sqlite3.Connection, item_id: int) -> None:
    old = conn.execute("SELECT text FROM ocr_text WHERE item_id = ?", (item_id,)).fetchone()
    if old is None:
        return
    conn.execute("INSERT INTO ocr_fts(ocr_fts, rowid, title, text) VALUES ('delete', ?, '', ?)", (item_id, old[0]))
    if cjk_index.has_cjk(old[0]):
        conn.execute(
            "INSERT INTO ocr_cjk(ocr_cjk, rowid, title, text) VALUES ('delete', ?, '', ?)",
            (item_id, cjk_index.index_text(old[0])),
        )
    conn.execute("DELETE FROM ocr_text WHERE item_id = ?", (item_id,))


def layer_of(conn: sqlite3.Connection, item_id: int) -> OcrLayer | None:
    row = conn.execute(
        "SELECT item_id, text, confidence, pages, engine, languages, created_utc FROM ocr_text WHERE item_id = ?",
        (item_id,),
    ).fetchone()
    if row is None:
        return None
    return OcrLayer(row[0], row[1], row[2], orjson.loads(row[3]), row[4], row[5], row[6])


def layers_of(conn: sqlite3.Connection, item_ids) -> dict[int, OcrLayer]:
    found: dict[int, OcrLayer] = {}
    for part in chunks(list(item_ids)):
        for (item_id,) in conn.execute(f"SELECT item_id FROM ocr_text WHERE item_id IN ({marks(part)})", part):
            layer = layer_of(conn, item_id)
            if layer is not None:
                found[item_id] = layer
    return found


def check_layers(conn: sqlite3.Connection, entries, result: VerifyResult) -> None:
    """verify: each OCR layer is the one the audit log recorded last for its item (text hash)."""
    expected: dict[int, str] = {}
    for entry in entries:
        if entry["action"] == "ocr":
            for layer in entry["details"].get("layers", []):
                expected[layer["item_id"]] = layer["sha256"]
    actual = {
        item_id: hashlib.sha256(text.encode("utf-8")).hexdigest()
        for item_id, text in conn.execute("SELECT item_id, text FROM ocr_text")
    }
    for item_id in actual.keys() - expected.keys():
        result.problems.append(Discrepancy("ocr_text", item_id, "OCR text not recorded in the audit log"))
    for item_id in expected.keys() - actual.keys():
        result.problems.append(Discrepancy("ocr_text", item_id, "OCR text in the audit log is missing"))
    for item_id in expected.keys() & actual.keys():
        if expected[item_id] != actual[item_id]:
            result.problems.append(Discrepancy("ocr_text", item_id, "OCR text changed outside the application"))
    result.checked["ocr_text"] = len(actual)
