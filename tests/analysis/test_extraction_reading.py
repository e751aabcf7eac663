"""Log rows are read for the analysis in id order a batch at a time, each batch found by the
rowid (never by sorting every remaining row: that made a million rows quadratic)."""

from app.store.log_rows import batch_query, iter_log_rows, log_row_count
from app.store.case_file import CaseFile
from extraction_cases import case_with_logs, write_jsonl


def test_each_batch_is_found_by_id_without_a_sort_and_every_row_comes_once(tmp_path):
    rows = [
        {
            "timestamp": f"2026-03-01T00:{n // 60:02d}:{n % 60:02d}Z",
            "account": f"a{n % 3}",
            "prompt": f"p{n}",
            "response": "r",
            "status": 200,
        }
        for n in range(1200)
    ]
    case_path = case_with_logs(tmp_path, [write_jsonl(tmp_path / "log.jsonl", rows)])
    with CaseFile.open(case_path) as case:
        for sources in (None, [1]):
            query, params = batch_query(sources)
            plan = " ".join(r[3] for r in case.conn.execute(f"EXPLAIN QUERY PLAN {query}", [*params, 0, 500]))
            assert "INTEGER PRIMARY KEY" in plan and "TEMP B-TREE" not in plan, plan
        batches = list(iter_log_rows(case.conn, batch=500))
        ids = [row.id for batch in batches for row in batch]
        assert [len(b) for b in batches] == [500, 500, 200]
        assert ids == sorted(ids) and len(set(ids)) == log_row_count(case.conn) == 1200
        assert batches[0][0].prompt == "p0" and batches[0][0].status == 200
