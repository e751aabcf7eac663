"""The import writes a batch's items on a helper thread while the next batch is parsed.

What a user relies on still holds: duplicates across batches are found and linked,
the stored original reads back byte for byte, and verify passes afterwards.
"""

import json

import pytest

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers import item_writer
from app.importers.pipeline import import_files
from app.store import sources
from app.store.sources import open_source
from app.store.verify import verify_case


def rows(count: int) -> list[bytes]:
    return [json.dumps({"timestamp": 1767225600 + i, "account": f"a{i % 5}", "prompt": f"request {i}",
                        "response": "é" * (i % 40)}).encode() + b"\n" for i in range(count)]


def test_rows_repeated_in_later_batches_are_duplicates_of_the_first(case, tmp_path, monkeypatch):
    monkeypatch.setattr(item_writer, "BATCH", 50)  # many batches, each with a row count of odd size
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


def test_the_original_reads_back_whole_through_a_large_buffer(case, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "CHUNK_SIZE", 1000)  # a small original over many chunks
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"".join(rows(500)))
    report = run_to_end(import_files(case, [log], ImportSettings()))
    source_id = report.files[0].source_id
    for buffer_size in (1000, 4096, 64 * 1024):
        assert open_source(case.conn, source_id, buffer_size).read() == log.read_bytes()
    stream = open_source(case.conn, source_id, 8192)
    stream.seek(12_345)
    assert stream.read(3000) == log.read_bytes()[12_345:15_345]


def test_a_missing_chunk_is_an_error_not_a_gap(case, tmp_path, monkeypatch):
    monkeypatch.setattr(sources, "CHUNK_SIZE", 1000)
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"".join(rows(200)))
    report = run_to_end(import_files(case, [log], ImportSettings()))
    source_id = report.files[0].source_id
    case.conn.execute("DELETE FROM source_chunks WHERE source_id = ? AND seq = 3", (source_id,))
    with pytest.raises(IOError, match="missing chunk 3"):
        open_source(case.conn, source_id, 16 * 1024).read()
    assert isinstance(open_source(case.conn, source_id, 1000).read(2000), bytes)  # before the gap: fine
    with pytest.raises(IOError, match="missing chunk 3"):
        open_source(case.conn, source_id, 1000).read()  # chunk by chunk too
