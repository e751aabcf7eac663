"""Provenance reads the log and the outputs page by page in id order, never sorting every row again per page.

(Through the index on kind, SQLite read all the rows of that kind and sorted them for each
page: a million-row log took 170 s to read instead of seconds.)"""

from app.analysis.provenance.texts import LoggedResponses, output_pages
from app.store.case_file import CaseFile


def test_each_page_is_read_in_id_order_without_sorting_the_log(tmp_path):
    case = CaseFile.create(tmp_path / "case.casefile", "Pages", None, "UTC", operator="test")
    try:
        statements = []
        case.conn.set_trace_callback(statements.append)
        list(LoggedResponses(case.conn).pages(100))
        list(output_pages(case.conn, 100))
        case.conn.set_trace_callback(None)
        pages = [s for s in statements if "ORDER BY i.id LIMIT" in s]
        assert len(pages) == 2
        for sql in pages:
            plan = " ".join(str(row[-1]) for row in case.conn.execute("EXPLAIN QUERY PLAN " + sql))
            assert "TEMP B-TREE" not in plan, plan
            assert "INTEGER PRIMARY KEY" in plan, plan
    finally:
        case.close()
