"""Duplicates are found across the item writer's batches, not only within one."""

import json

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers import item_writer
from app.importers.pipeline import import_files
from app.store.verify import verify_case


def rows(count: int) -> list[bytes]:
    return [json.dumps({"timestamp": 1767225600 + i, "account": f"a{i % 5}", "prompt": f"request {i}",
                        "response": "é" * (i % 40)}).encode() + b"\n" for i in range(count)]


def test_rows_repeated_in_later_batches_are_duplicates_of_the_first(case, tmp_path, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 50)  # many batches: the copies come batches after the first
    first = rows(333)
    log = tmp_path / "rotated.jsonl"
    log.write_bytes(b"".join(first + first[100:] + first[:7]))
    report = run_to_end(import_files(case, [log], ImportSettings()))
    totals = report.totals
    assert (totals["read"], totals["imported"], totals["duplicates"]) == (333 + 233 + 7, 333, 240)
    linked = case.conn.execute(
        "SELECT d.locator, i.locator FROM duplicates d JOIN items i ON i.id = d.first_item_id").fetchall()
    assert len(linked) == 240
    for duplicate, original in linked:  # the copy at line 334 is the row of line 101, and so on
        line, first_line = json.loads(duplicate)["line"], json.loads(original)["line"]
        assert first_line == (line - 333 + 100 if line <= 566 else line - 566)
    assert run_to_end(verify_case(case)).ok
