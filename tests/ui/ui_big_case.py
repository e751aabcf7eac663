"""A case of a million minimal, valid log rows, written fast (direct executemany).

Used by the 1M-row GUI test and bench/bench_gui_table.py. The rows are what the
import pipeline would leave for a small JSON-lines log, minus the text index.
"""

from pathlib import Path

from app.store.case_file import CaseFile

START_US = 1_740_787_200_000_000  # 2025-03-01T00:00:00Z
ACCOUNTS = ("org-riverbend-labs", "org-halcyon-ai", "acct-7731-sandbox", "org-northwind")


def build_big_case(path: Path, rows: int = 1_000_000) -> Path:
    case = CaseFile.create(path, "Million rows", "BIG-1", "UTC", operator="bench")
    conn = case.conn
    conn.execute("PRAGMA synchronous = OFF")  # a throwaway test case: no fsync of ~200 MB
    with case.transaction():
        conn.execute(
            "INSERT INTO sources(id, sha256, md5, size, original_name, importer, settings, imported_utc, chunk_size)"
            " VALUES (1, ?, ?, 0, 'big.jsonl', 'jsonl', '{}', '2025-03-01T00:00:00Z', 1048576)",
            ("0" * 64, "0" * 32),
        )
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL"
        ).fetchall()
        for name, _sql in indexes:  # building indexes after the rows is ~2x faster than maintaining them
            conn.execute(f"DROP INDEX {name}")
        conn.executemany(
            "INSERT INTO items(id, kind, source_id, locator, content_hash, title, ts_original, ts_us,"
            " ts_zone, ts_assumed, account, model) VALUES (?, 'log_entry', 1, ?, 'x', ?, ?, ?, 'UTC', 0, ?, ?)",
            _rows(rows),
        )
        for _name, sql in indexes:
            conn.execute(sql)
    case.close()
    return path


def _rows(count: int):
    for i in range(1, count + 1):
        ts_us = START_US + i * 1_000_000
        account = ACCOUNTS[i % 4]
        yield (i, f'{{"line": {i}}}', f"{account} · request {i}", str(ts_us), ts_us, account, "atlas-mini")
