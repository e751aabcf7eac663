"""A log row's fields kept once: read again from its bytes in the stored original.

Each test imports the same rows twice -- once as they are (fields left out of
item_bodies, read back from the original) and once gzip-compressed (fields stored, as
offsets then point into the decompressed text) -- and compares what a user sees.
"""

import csv
import gzip
import json

import pytest

from app.core.cancel import run_to_end
from app.store.case_file import CaseFile
from app.store.item_fields import FieldsReader, FieldsUnreadable
from app.store.item_query import get_item
from app.store.verify import verify_case
from log_helpers import import_log, items_of

CHUNK = 1024 * 1024  # app.store.sources.CHUNK_SIZE: rows must straddle the chunks' edges


def api_rows(count: int) -> list[dict]:
    return [
        {
            "timestamp": f"2025-03-01T10:{n // 60 % 60:02d}:{n % 60:02d}.{n:06d}Z",
            "identity": {"arn": f"arn:aws:iam::1111:user/harvester{n % 3}"},
            "model": "frontier-large",
            "prompt": f"Explain step {n} of the Größenordnung, «quoted» ✓ " + "x" * (n % 1700),
            "response": f"Step {n}:\n" + "déjà vu " * 60,
            "tags": ["a", n],
            "latency_ms": n * 1.5,
        }
        for n in range(count)
    ]


def fields_by_line(case, source_id) -> dict:
    return {item["locator"]["line"]: item["fields"] for item in items_of(case, source_id)}


def stored_fields(case, source_id) -> list:
    return [
        row[0]
        for row in case.conn.execute(
            "SELECT b.fields FROM items i JOIN item_bodies b ON b.id = i.id WHERE i.source_id = ? ORDER BY i.id",
            (source_id,),
        )
    ]


def import_fresh(tmp_path, name: str, data: bytes, **settings):
    """A new case with `data` imported as `name`: (case, report). The caller closes the case."""
    folder = tmp_path / name.replace(".", "_")
    folder.mkdir()
    case = CaseFile.create(folder / "c.casefile", "Fields", operator="tester")
    path = folder / name
    path.write_bytes(data)
    return case, import_log(case, path, **settings)


def test_json_lines_fields_are_read_from_the_original_across_chunk_edges(tmp_path):
    rows = api_rows(1500)
    data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
    assert len(data) > 2 * CHUNK
    plain, report = import_fresh(tmp_path, "api.jsonl", data)
    packed, packed_report = import_fresh(tmp_path, "api.jsonl.gz", gzip.compress(data))
    try:
        assert set(stored_fields(plain, report.source_id)) == {None}  # not one row's fields stored twice
        assert None not in stored_fields(packed, packed_report.source_id)
        read_back = fields_by_line(plain, report.source_id)
        assert read_back == fields_by_line(packed, packed_report.source_id)
        assert read_back == {n + 1: row for n, row in enumerate(rows)}
        locators = [item["locator"] for item in items_of(plain, report.source_id)]
        straddling = [loc for loc in locators if loc["byte_offset"] < CHUNK < loc["byte_offset"] + loc["byte_length"]]
        assert straddling, "a row across the first chunk's edge"
        assert run_to_end(verify_case(plain)).ok
    finally:
        plain.close()
        packed.close()


CSV_TEXT = (
    "Timestamp;User;Model;Prompt;Response\r\n"
    '2025-03-01T09:00:00Z;José;large;"Summarise ""Les Misérables""\r\nin two lines";"naïve; café"\r\n'
    "2025-03-01T09:00:05Z;Zoë;small;hello;world\r\n"
    '2025-03-01T09:00:09Z;Ana;small;"' + "long, " * 30000 + '";done\r\n'
)


@pytest.mark.parametrize(
    "name, encode",
    [
        ("plain.csv", lambda text: text.encode("utf-8")),
        ("bom.csv", lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("wide.csv", lambda text: text.encode("utf-16")),
        ("legacy.csv", lambda text: text.encode("cp1252", "replace")),
        ("tabs.tsv", lambda text: text.replace(";", "\t").encode("utf-8")),
    ],
)
def test_csv_fields_read_back_as_the_import_read_them(tmp_path, name, encode):
    data = encode(CSV_TEXT)
    plain, report = import_fresh(tmp_path, name, data)
    packed, packed_report = import_fresh(tmp_path, name + ".gz", gzip.compress(data))
    try:
        assert report.imported == 3
        assert set(stored_fields(plain, report.source_id)) == {None}
        csv.field_size_limit(128 * 1024)  # a new process's limit: the long field (180,000 bytes) is over it
        assert fields_by_line(plain, report.source_id) == fields_by_line(packed, packed_report.source_id)
        first = items_of(plain, report.source_id)[0]
        assert first["fields"]["Prompt"] == 'Summarise "Les Misérables"\r\nin two lines'
    finally:
        plain.close()
        packed.close()


def test_a_damaged_line_keeps_its_fields_stored(tmp_path):
    good = json.dumps({"timestamp": "2025-03-01T10:00:00Z", "prompt": "Größe"}, ensure_ascii=False).encode() + b"\n"
    bad = b'{"timestamp": "2025-03-01T10:00:01Z", "prompt": "caf\xc3\xa9 \xff broken"}\n'  # UTF-8, one bad byte
    case, report = import_fresh(tmp_path, "mixed.jsonl", good + bad + good.replace(b"00Z", b"02Z"))
    try:
        stored = stored_fields(case, report.source_id)
        assert stored[0] is None and stored[2] is None
        assert stored[1] is not None  # its bytes do not decode: the fields as read (with U+FFFD) are kept
        damaged = items_of(case, report.source_id)[1]
        assert damaged["fields"]["prompt"] == "café \ufffd broken" and damaged["warnings"]
    finally:
        case.close()


def test_a_row_whose_original_bytes_are_gone_says_so_in_plain_words(tmp_path):
    data = "".join(json.dumps(row) + "\n" for row in api_rows(20)).encode()
    case, report = import_fresh(tmp_path, "api.jsonl", data)
    try:
        item_id = case.conn.execute("SELECT min(id) FROM items").fetchone()[0]
        case.conn.execute("UPDATE source_chunks SET data = zeroblob(length(data))")  # the original damaged
        with pytest.raises(FieldsUnreadable, match="run verify"):
            get_item(case.conn, item_id)
        problems = run_to_end(verify_case(case)).problems
        assert {p.id for p in problems if p.table == "items"} == set(range(item_id, item_id + 20))  # every row
    finally:
        case.close()


def test_verify_proves_the_fields_read_back_are_those_imported(tmp_path):
    """The content hash covers the fields as read: a forged recipe (the header renamed) is caught."""
    data = CSV_TEXT.encode("utf-8")
    case, report = import_fresh(tmp_path, "gateway.csv", data)
    try:
        assert run_to_end(verify_case(case)).ok
        case.conn.execute(
            "UPDATE sources SET settings = json_replace(settings, '$.fields_from_original.header[3]',"
            " 'Harmless') WHERE id = ?",
            (report.source_id,),
        )
        assert items_of(case, report.source_id)[0]["fields"]["Harmless"].startswith("Summarise")
        problems = [p for p in run_to_end(verify_case(case)).problems if p.table == "items"]
        assert len(problems) == 3 and all("hash mismatch" in p.problem for p in problems)
    finally:
        case.close()


def test_rows_of_two_logs_read_in_time_order_read_each_chunk_once(tmp_path):
    """An exhibit interleaves two logs' rows by time: each 1 MiB chunk is still read once."""
    rows = api_rows(1200)
    case = CaseFile.create(tmp_path / "c.casefile", "Two logs", operator="tester")
    try:
        for name, part in (("even.jsonl", rows[0::2]), ("odd.jsonl", rows[1::2])):
            (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
            import_log(case, tmp_path / name)
        chunks = case.conn.execute("SELECT count(*) FROM source_chunks").fetchone()[0]
        assert chunks >= 4
        reads = []
        case.conn.set_trace_callback(lambda sql: reads.append(sql) if "FROM source_chunks" in sql else None)
        reader = FieldsReader(case.conn)
        in_time_order = case.conn.execute(
            "SELECT i.source_id, i.locator, b.fields FROM items i JOIN item_bodies b ON b.id = i.id ORDER BY ts_us"
        )
        seen = [reader.fields(*row)["prompt"] for row in in_time_order]
        case.conn.set_trace_callback(None)
        assert seen == [row["prompt"] for row in rows]
        assert len(reads) == chunks
    finally:
        case.close()
