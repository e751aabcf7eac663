"""JSON-lines recovery: every line of a damaged log is an item, a blank, or quarantined in place."""

import io
import json
from datetime import datetime, timezone

from hypothesis import example, given, strategies as st

from app.core.records import ImportSettings, ItemRecord, Quarantined, Skipped
from app.core.timestamps import TimestampParser
from app.importers.base import ImportContext
from app.importers.logs.json_lines import JsonLinesLogImporter

MAPPING = {"timestamp": "time", "account": "user", "prompt": "input"}
GOOD = st.builds(
    lambda n, user, text: {"time": 1767225600 + n, "user": user, "input": text},
    st.integers(min_value=0, max_value=10**6),
    st.text(max_size=8),
    st.text(max_size=20),
)
# Damaged lines: cut JSON, a JSON value that is not an object, text, a bad date, nothing at all.
BAD = st.one_of(
    GOOD.map(lambda row: json.dumps(row)[:-3]),
    st.sampled_from(["[1, 2]", '"just a string"', "null", "not json at all", '{"time": "31/02/2025", "input": "x"}']),
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r"), max_size=30),
)
LINES = st.lists(st.one_of(GOOD.map(json.dumps), BAD), max_size=15)


def _read(data: bytes):
    ctx = ImportContext(
        settings=ImportSettings(mapping=MAPPING, undated_ok=True),
        timestamps=TimestampParser(),
        file_name="api.jsonl",
        file_mtime=datetime(2026, 1, 1, tzinfo=timezone.utc),
    )
    return list(JsonLinesLogImporter().read(io.BytesIO(data), ctx))


@given(LINES)
@example(['{"time": 1767225600, "input": "ok"}', '{"time": 1767225601, "inp', "", "[1, 2]"])
def test_every_line_is_one_record_in_its_place(lines):
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    records = _read(data)
    assert len(records) == len(lines)  # nothing lost, nothing doubled
    offset = 0
    for number, (line, record) in enumerate(zip(lines, records, strict=True), start=1):
        assert record.locator["line"] == number and record.locator["byte_offset"] == offset
        if not line.strip():
            assert isinstance(record, Skipped)
        elif isinstance(record, Quarantined):
            assert record.raw == (line + "\n").encode("utf-8") and record.reason
        else:
            assert isinstance(record, ItemRecord)
            value = json.loads(line)  # an object, or a JSON string: a line of text is an item too
            assert (value["input"] if isinstance(value, dict) else value) in record.text
        offset += len((line + "\n").encode("utf-8"))


@given(st.lists(GOOD, min_size=1, max_size=10))
def test_well_formed_rows_all_become_items_with_their_fields(rows):
    records = _read("".join(json.dumps(row) + "\n" for row in rows).encode("utf-8"))
    assert all(isinstance(record, ItemRecord) for record in records)
    assert [record.fields for record in records] == rows


@given(st.binary(max_size=600))
@example(b'{"time": 1767225600, "input": "\xff\xfe"}\n{"a": 1')
def test_any_bytes_are_read_without_an_error(data):
    records = _read(data)  # never raises
    assert all(isinstance(record, (ItemRecord, Quarantined, Skipped)) for record in records)
