"""A case file saved by an older Casefile opens, is upgraded, keeps its text searchable and its duplicates caught."""

import json
from datetime import datetime, timezone

from app.core.records import ImportSettings
from app.core.timestamps import TimestampParser
from app.importers.base import ImportContext
from app.importers.logs.json_lines import JsonLinesLogImporter
from app.store.case_file import CaseFile
from app.store.item_query import get_item
from case_helpers import import_reconciled, older_case

ROWS = [
    {
        "ts": f"2025-03-01T10:00:0{n}Z",
        "org": "acme",
        "client_ip": "203.0.113.5",
        "status": 200,
        "usage": {"prompt_tokens": n},
    }
    for n in range(4)
]


def _version_5_case(path, log):
    """A case as Casefile wrote it before m006: the log's rows with their text dedup keys."""
    conn = older_case(path, "m006_integer_dedup_keys", 5)
    conn.execute(
        "INSERT INTO sources(id, sha256, md5, size, importer, settings, imported_utc, chunk_size)"
        " VALUES (1, 'earlier-file', 'x', 1, 'jsonl', '{}', '2025-03-02T00:00:00Z', 1048576)"
    )
    ctx = ImportContext(
        settings=ImportSettings(),
        timestamps=TimestampParser("UTC"),
        file_name=log.name,
        file_path=log,
        file_mtime=datetime.now(timezone.utc),
    )
    with open(log, "rb") as stream:
        records = list(JsonLinesLogImporter().read(stream, ctx))
    for record in records:  # the key strings are what the importers still compute
        conn.execute(
            "INSERT INTO items(kind, source_id, locator, content_hash, title, text, fields, dedup_key)"
            " VALUES ('log_entry', 1, ?, 'h', ?, ?, ?, ?)",
            (json.dumps(record.locator), record.title, record.text, record.fields_json, record.dedup_key),
        )
    conn.execute("INSERT INTO items_fts(items_fts) VALUES ('rebuild')")
    conn.close()
    return len(records)


def test_old_text_dedup_keys_still_catch_the_same_rows_after_the_upgrade(tmp_path):
    log = tmp_path / "api.jsonl"
    log.write_text("".join(json.dumps(row) + "\n" for row in ROWS))
    path = tmp_path / "old.casefile"
    old_rows = _version_5_case(path, log)
    with CaseFile.open(path) as case:  # upgraded on open
        columns = [row[1] for row in case.conn.execute("PRAGMA table_info(items)")]
        assert "dedup_key" not in columns and {"dedup_hash", "dedup_check"} <= set(columns)
        keyed = case.conn.execute("SELECT count(*) FROM items WHERE dedup_hash IS NOT NULL").fetchone()[0]
        assert keyed == old_rows == len(ROWS)
        # Text and fields moved beside the items, still searchable and shown.
        assert "text" not in columns and "fields" not in columns
        first = get_item(case.conn, 1)
        assert first["fields"] == ROWS[0] and "203.0.113.5" in first["text"]
        found = case.conn.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ?", ('"203.0.113.5"',)).fetchall()
        assert len(found) == 4
        report = import_reconciled(case, log)
        assert report.importer == "jsonl"
        assert (report.read, report.imported, report.duplicates) == (4, 0, 4)
        assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 4
