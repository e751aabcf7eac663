"""The store's query functions the GUI reads through (the widgets hold no SQL)."""

import json

from app.store import annotations
from app.store.audit import entries_page, entry_count
from app.store.case_file import case_info, headline_counts
from app.store.item_query import tags_of
from app.store.quarantine_rows import quarantined_count, quarantined_rows
from app.store.source_lookups import source_names
from app.store.sql_lists import CHUNK, chunks, marks
from case_helpers import import_reconciled


def write_log(path, rows: int, bad: int):
    lines = [
        json.dumps(
            {
                "timestamp": f"2026-03-01T00:00:{n % 60:02d}Z",
                "account": f"acct-{n % 3}",
                "prompt": f"request {n}",
                "response": "ok",
            }
        )
        for n in range(rows)
    ]
    path.write_text("\n".join(lines + ["not json"] * bad) + "\n")
    return path


def test_long_id_lists_are_split_into_chunks_each_with_its_own_placeholders():
    ids = list(range(2 * CHUNK + 5))
    parts = list(chunks(ids))
    assert [len(p) for p in parts] == [CHUNK, CHUNK, 5] and sum(parts, []) == ids
    assert marks([7, 8, 9]) == "?,?,?" and list(chunks([])) == []


def test_tagging_more_items_than_one_query_holds_tags_them_all(case, tmp_path):
    import_reconciled(case, write_log(tmp_path / "big.jsonl", CHUNK + 100, 0))
    ids = [r[0] for r in case.conn.execute("SELECT id FROM items ORDER BY id")]
    annotations.tag_items(case, ids, "AEO")
    assert all(codes == ["AEO"] for codes in tags_of(case.conn, ids).values())
    assert len(annotations.untag_items(case, ids, "AEO")) == len(ids)


def test_quarantine_pages_are_of_the_sources_asked_for(case, tmp_path):
    first = import_reconciled(case, write_log(tmp_path / "first.jsonl", 5, 2))
    second = import_reconciled(case, write_log(tmp_path / "second.jsonl", 5, 3))
    assert quarantined_count(case.conn) == 5
    assert quarantined_count(case.conn, [second.source_id]) == 3
    rows = quarantined_rows(case.conn, [first.source_id], offset=1, limit=10)
    assert [(r[1], r[2], r[4] is not None) for r in rows] == [(first.source_id, "first.jsonl", True)]
    assert [r[0] for r in quarantined_rows(case.conn)] == list(range(1, 6))  # all, by id
    assert source_names(case.conn) == {first.source_id: "first.jsonl", second.source_id: "second.jsonl"}


def test_the_status_line_counts_agree_with_casefile_info(case, tmp_path):
    import_reconciled(case, write_log(tmp_path / "log.jsonl", 7, 1))
    info, counts = case_info(case), headline_counts(case.conn)
    assert (
        counts
        == {
            "items": info["items_total"],
            "sources": info["sources"],
            "tags": info["tags"],
            "quarantine": info["quarantined"],
        }
        == {"items": 7, "sources": 1, "tags": 0, "quarantine": 1}
    )


def test_the_audit_log_is_read_a_page_at_a_time_oldest_first(case, tmp_path):
    import_reconciled(case, write_log(tmp_path / "log.jsonl", 3, 0))
    total = entry_count(case.conn)
    assert total >= 2
    page = entries_page(case.conn, 1, total)
    assert [row[0] for row in page] == list(range(2, total + 1)) and page[0][4] != "case.create"
