"""The texts provenance compares, read from the case in keyset pages (never all at once).

- A *logged response* is the `response` of a `log_entry` row, by its source's mapping
  (app/importers/logs/rows.py put prompt and response together into the searchable
  text, so the response is read from the row's fields: app/store/item_fields.py). Rows
  whose mapping names no response field, and empty responses (a refused request), are
  not responses.
- An *output* is the competitor's answer: the assistant turns of an `output` item, else
  its `response` field, else its whole text (a transcript read as one).
"""

import sqlite3
from dataclasses import dataclass

import orjson

from app.core.mapping import get_path
from app.store.item_fields import FieldsReader, FieldsUnreadable


@dataclass
class Text:
    item_id: int
    ts_us: int | None
    text: str


class LoggedResponses:
    """Reads logged responses; remembers each source's mapping and the chunks it read last."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.reader = FieldsReader(conn)
        self._paths: dict[int, str | None] = {}

    def pages(self, page_size: int):
        """(list of Text, rows read), in item-id order, `page_size` rows read at a time."""
        sql = (
            "SELECT i.id, i.source_id, i.locator, b.fields, i.ts_us FROM items i"
            " JOIN item_bodies b ON b.id = i.id WHERE +i.kind = 'log_entry' AND i.id > ? ORDER BY i.id LIMIT ?"
        )
        for rows in keyset_pages(self.conn, sql, page_size):
            page = []
            for item_id, source_id, locator, stored, ts_us in rows:
                text = self._response(source_id, locator, stored)
                if text:
                    page.append(Text(item_id, ts_us, text))
            yield page, len(rows)

    def one(self, item_id: int) -> Text | None:
        row = self.conn.execute(
            "SELECT i.source_id, i.locator, b.fields, i.ts_us FROM items i JOIN item_bodies b ON b.id = i.id"
            " WHERE i.id = ? AND i.kind = 'log_entry'",
            (item_id,),
        ).fetchone()
        if row is None:
            return None
        text = self._response(row[0], row[1], row[2])
        return Text(item_id, row[3], text) if text else None

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM items WHERE kind = 'log_entry'").fetchone()[0]

    def _response(self, source_id: int, locator, stored) -> str | None:
        path = self._response_path(source_id)
        if path is None:
            return None
        try:
            value = get_path(self.reader.fields(source_id, locator, stored), path)
        except FieldsUnreadable:
            return None  # verify names the row; provenance compares what can be read
        if value is None or value == "":
            return None
        return value if isinstance(value, str) else orjson.dumps(value).decode()

    def _response_path(self, source_id: int) -> str | None:
        if source_id not in self._paths:
            row = self.conn.execute("SELECT settings FROM sources WHERE id = ?", (source_id,)).fetchone()
            try:
                mapping = orjson.loads(row[0]).get("mapping") if row and row[0] else None
            except (orjson.JSONDecodeError, AttributeError):
                mapping = None
            path = mapping.get("response") if isinstance(mapping, dict) else None
            self._paths[source_id] = path if isinstance(path, str) and path else None
        return self._paths[source_id]


def output_pages(conn: sqlite3.Connection, page_size: int):
    """Lists of Text for the `output` items, in item-id order."""
    sql = (
        "SELECT i.id, i.ts_us, b.text, b.fields FROM items i JOIN item_bodies b ON b.id = i.id"
        " WHERE +i.kind = 'output' AND i.id > ? ORDER BY i.id LIMIT ?"
    )
    for rows in keyset_pages(conn, sql, page_size):
        yield [Text(item_id, ts_us, _output_text(text, fields)) for item_id, ts_us, text, fields in rows]


def keyset_pages(conn: sqlite3.Connection, sql: str, page_size: int):
    """Lists of rows of `sql` (whose first column is the item id; parameters: after id, limit), page by page.

    The queries say `+i.kind`: through the index on kind SQLite read every row of that
    kind and sorted them by id for each page (quadratic: 170 s of a million-row log); in
    id order it reads each page where the last one stopped."""
    after = 0
    while True:
        rows = conn.execute(sql, (after, page_size)).fetchall()
        if not rows:
            return
        after = rows[-1][0]
        yield rows


def output_text(conn: sqlite3.Connection, item_id: int) -> str:
    row = conn.execute(
        "SELECT b.text, b.fields FROM items i JOIN item_bodies b ON b.id = i.id WHERE i.id = ?", (item_id,)
    ).fetchone()
    return _output_text(row[0], row[1]) if row else ""


def output_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM items WHERE kind = 'output'").fetchone()[0]


def _output_text(text: str | None, fields: str | None) -> str:
    """The model's own words: its turns in a chat (not the user's, not the system prompt)."""
    if fields:
        try:
            decoded = orjson.loads(fields)
        except orjson.JSONDecodeError:
            decoded = None
        if isinstance(decoded, dict):
            turns = decoded.get("turns")
            if isinstance(turns, list):
                said = [
                    t["content"]
                    for t in turns
                    if isinstance(t, dict) and t.get("role") == "assistant" and isinstance(t.get("content"), str)
                ]
                if any(s.strip() for s in said):
                    return "\n\n".join(said)
            response = decoded.get("response")
            if isinstance(response, str) and response.strip():
                return response
    return text or ""


def marked_item_pages(conn: sqlite3.Connection, page_size: int):
    """Pages of (item id, [(offset in the item's text, segment)]) of every item but log rows:
    where canaries and self-identification are looked for.

    Our own logs hold our planted canaries and our model's name by design; finding them
    there proves nothing. In an output only the model's own turns are searched: a user
    asking "were you trained by Northwind AI?" is not the model saying so.
    """
    sql = (
        "SELECT i.id, i.kind, b.text, b.fields FROM items i JOIN item_bodies b ON b.id = i.id"
        " WHERE i.kind != 'log_entry' AND i.id > ? ORDER BY i.id LIMIT ?"
    )
    for rows in keyset_pages(conn, sql, page_size):
        yield [(item_id, _segments(kind, text or "", fields)) for item_id, kind, text, fields in rows]


def _segments(kind: str, text: str, fields: str | None) -> list[tuple[int, str]]:
    if kind != "output" or not fields:
        return [(0, text)]
    try:
        turns = orjson.loads(fields).get("turns")
    except (orjson.JSONDecodeError, AttributeError):
        turns = None
    if not isinstance(turns, list):
        return [(0, text)]
    segments, place = [], 0
    for turn in turns:
        content = turn.get("content") if isinstance(turn, dict) else None
        if not isinstance(content, str) or not content:
            continue
        found = text.find(content, place)
        if found >= 0:
            place = found + len(content)
        if turn.get("role") == "assistant" and found >= 0:
            segments.append((found, content))
    return segments


def marked_item_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM items WHERE kind != 'log_entry'").fetchone()[0]
