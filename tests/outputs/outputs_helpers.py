"""Shared steps of the outputs/document/image tests: import a file, look at its items."""

import json

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.item_query import ItemFilter, count_items, get_item, iter_items
from app.store.verify import verify_case


def import_one(case, path, **settings):
    """Import one file; return its FileReport after checking the counts reconcile."""
    report = run_to_end(import_files(case, [path], ImportSettings(**settings)))
    file_report = report.files[0]
    assert file_report.error is None
    assert file_report.reconciles, file_report.summary()
    return file_report


def items_of(case, source_id):
    """Every item of a source, fully (fields decoded), in id order."""
    ids = [row[0] for row in case.conn.execute("SELECT id FROM items WHERE source_id = ? ORDER BY id", (source_id,))]
    return [get_item(case.conn, item_id) for item_id in ids]


def search_ids(case, query: str) -> set[int]:
    return {row["id"] for row in iter_items(case.conn, ItemFilter(search=query))}


def count_kind(case, kind: str) -> int:
    return count_items(case.conn, ItemFilter(kinds=[kind]))


def verify_ok(case) -> None:
    result = run_to_end(verify_case(case))
    assert result.ok, [str(p) for p in result.problems]


def write_jsonl(path, records) -> None:
    path.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))
