"""Redactions as case data: made, listed, removed and restored, audited, replayed by verify,
and the built-in patterns on data with known answers (and their look-alikes)."""

import json
import sqlite3

import pytest

from app.core import redaction_patterns
from app.core.cancel import run_to_end
from app.store import redactions
from app.store.case_file import CaseFile
from app.store.errors import CaseFileError
from export_builders import import_paths, log_row, write_log, write_pdf


@pytest.fixture
def logged(case, tmp_path):
    write_log(
        tmp_path / "log.jsonl",
        [
            log_row("2026-03-01T10:00:00Z", "mail me at ana.lima@corp.example", "Use key sk-proj-AbCdEf0123456789xyz"),
            log_row("2026-03-01T10:01:00Z", "call +44 20 7946 0958", "card 4111 1111 1111 1111 ok"),
            log_row("2026-03-01T10:02:00Z", "version 1.2.3.4 and 999.1.1.1", "order 4111 1111 1111 1112"),
        ],
    )
    write_pdf(tmp_path / "doc.pdf", [("Page one", False), ("Page two", True)])
    import_paths(case, [tmp_path / "log.jsonl", tmp_path / "doc.pdf"])
    return case


def _find(case, rule):
    return run_to_end(redactions.find_matches(case.conn, rule))


def test_built_in_patterns_find_what_they_should_and_not_the_look_alikes():
    text = (
        "ana.lima@corp.example sk-proj-AbCdEf0123456789xyz AKIAIOSFODNN7EXAMPLE "
        "+44 20 7946 0958 (415) 555-0132 10.1.2.3 2001:db8:0:0:0:0:2:1 4111 1111 1111 1111 "
        "look-alikes: 1.2.3.999 4111 1111 1111 1112 2026-03-01 v1.2 sk-short"
    )

    def found(name):
        return [text[s:e] for s, e in redaction_patterns.find(text, name)]

    assert found("email") == ["ana.lima@corp.example"]
    assert found("api-key") == ["sk-proj-AbCdEf0123456789xyz", "AKIAIOSFODNN7EXAMPLE"]
    assert "+44 20 7946 0958" in found("phone") and "(415) 555-0132" in found("phone")
    assert not any("2026" in p for p in found("phone"))
    assert found("ip") == ["10.1.2.3", "2001:db8:0:0:0:0:2:1"]
    assert found("card") == ["4111 1111 1111 1111"]
    assert redaction_patterns.luhn_ok("4111111111111111") and not redaction_patterns.luhn_ok("4111111111111112")


def test_a_pattern_redaction_keeps_its_rule_and_what_it_matched(logged):
    found = _find(logged, {"pattern": "card"})
    assert [list(hits) for hits in found.values()] == [["4111 1111 1111 1111"]]  # the Luhn look-alike is not
    made = redactions.redact_matches(logged, {"pattern": "card"}, "confidential", found)
    assert made.kind == "match" and made.items == 1
    assert made.matches == 2  # in the row's searchable text and in its response field
    assert made.reason == "REDACT-CONFIDENTIAL" and made.who == logged.operator
    by_item = redactions.redactions_by_item(logged.conn, list(found))
    assert [s[0] for r in by_item.values() for s in r.strings] == ["4111 1111 1111 1111"]


def test_span_box_remove_and_restore_are_audited(logged):
    log_id = logged.conn.execute("SELECT id FROM items WHERE kind = 'log_entry' ORDER BY id").fetchone()[0]
    pdf_id = logged.conn.execute("SELECT id FROM items WHERE kind = 'document'").fetchone()[0]
    text = logged.conn.execute("SELECT text FROM item_details WHERE id = ?", (log_id,)).fetchone()[0]
    start = text.index("ana.lima")
    span = redactions.redact_span(logged, log_id, start, start + 8, "personal")
    box = redactions.redact_box(logged, pdf_id, 2, (10, 10, 200, 80), "privileged")
    assert [r.id for r in redactions.list_redactions(logged.conn)] == [span.id, box.id]
    assert [r.id for r in redactions.list_redactions(logged.conn, pdf_id)] == [box.id]
    removed = redactions.remove_redaction(logged, box.id)
    assert [r.id for r in redactions.list_redactions(logged.conn)] == [span.id]
    again = redactions.restore_redaction(logged, removed)
    assert again.box == (10, 10, 200, 80) and again.page == 2
    actions = [r[0] for r in logged.conn.execute("SELECT action FROM audit WHERE action LIKE 'redaction.%'")]
    assert actions == ["redaction.add", "redaction.add", "redaction.remove", "redaction.add"]


def test_what_cannot_be_redacted_is_refused_in_plain_words(logged):
    pdf_id = logged.conn.execute("SELECT id FROM items WHERE kind = 'document'").fetchone()[0]
    log_id = logged.conn.execute("SELECT id FROM items WHERE kind = 'log_entry'").fetchone()[0]
    with pytest.raises(CaseFileError, match="no page 3"):
        redactions.redact_box(logged, pdf_id, 3, (0, 0, 10, 10), "personal")
    with pytest.raises(CaseFileError, match="no PDF or image pages"):
        redactions.redact_box(logged, log_id, 1, (0, 0, 10, 10), "personal")
    with pytest.raises(CaseFileError, match="at least 3 characters"):
        redactions.redact_span(logged, log_id, 0, 1, "personal")
    with pytest.raises(CaseFileError, match="not a redaction reason"):
        redactions.redact_span(logged, log_id, 0, 10, "gossip")
    with pytest.raises(CaseFileError, match="cannot be used"):
        _find(logged, {"regex": "("})
    with pytest.raises(CaseFileError, match="Nothing matches"):
        redactions.redact_matches(logged, {"literal": "absent"}, "personal", {})
    assert redactions.list_redactions(logged.conn) == []


def test_reasons_come_from_the_taxonomy_and_can_be_renamed(logged):
    from app.store import taxonomy_edit

    assert [code for code, _ in redactions.reasons(logged.conn)] == [
        "REDACT-PRIV",
        "REDACT-PERSONAL",
        "REDACT-CONFIDENTIAL",
        "REDACT-NONRESP",
    ]
    taxonomy_edit.rename_category(logged, "REDACT-PERSONAL", "Customer data")
    assert redactions.resolve_reason(logged.conn, "customer data") == "REDACT-PERSONAL"


def test_a_case_without_the_reasons_gets_them_audited_with_its_first_redaction(logged):
    logged.conn.execute("DELETE FROM taxonomy WHERE grp = 'REDACTION'")  # as a case made before they shipped
    logged.conn.execute("DELETE FROM audit WHERE action = 'verify'")
    log_id = logged.conn.execute("SELECT id FROM items WHERE kind = 'log_entry'").fetchone()[0]
    redactions.redact_span(logged, log_id, 0, 10, "personal")
    added = [
        json.loads(r[0])["code"] for r in logged.conn.execute("SELECT details FROM audit WHERE action='taxonomy.add'")
    ]
    assert added == ["REDACT-PRIV", "REDACT-PERSONAL", "REDACT-CONFIDENTIAL", "REDACT-NONRESP"]


def _verify(path):
    from app.store.verify import verify_case

    with CaseFile.open(path, operator="tester") as case:
        return run_to_end(verify_case(case, record=False))


@pytest.mark.parametrize(
    "forgery",
    [
        "UPDATE redactions SET x1 = 5 WHERE kind = 'box'",  # a box made smaller
        "DELETE FROM redaction_matches",  # what a rule hides, dropped
        "UPDATE redaction_matches SET text = 'other'",
        "DELETE FROM redactions WHERE kind = 'span'",
        "INSERT INTO redactions(kind, item_id, start_offset, end_offset, reason, created_utc)"
        " VALUES ('span', 1, 0, 5, 'REDACT-PERSONAL', 'x')",
    ],
)
def test_verify_names_a_redaction_changed_outside_the_application(logged, forgery):
    log_id = logged.conn.execute("SELECT id FROM items WHERE kind = 'log_entry'").fetchone()[0]
    pdf_id = logged.conn.execute("SELECT id FROM items WHERE kind = 'document'").fetchone()[0]
    redactions.redact_span(logged, log_id, 0, 10, "personal")
    redactions.redact_box(logged, pdf_id, 1, (10, 10, 200, 80), "privileged")
    redactions.redact_matches(logged, {"pattern": "email"}, "personal", _find(logged, {"pattern": "email"}))
    path = logged.path
    logged.close()
    assert _verify(path).ok
    conn = sqlite3.connect(path)
    conn.execute(forgery)
    conn.commit()
    conn.close()
    result = _verify(path)
    assert not result.ok
    assert {p.table for p in result.problems} == {"redactions"}


def test_the_proof_finds_any_of_thousands_of_strings_and_reads_table_cells_whole():
    from app.export.redaction_proof import SecretFinder, column_text

    secrets = {f"user{n}@corp.example": (n, "Personal data") for n in range(3000)}
    secrets["abc"] = (0, "Short")
    finder = SecretFinder(secrets)
    assert finder.find("nothinghere,justuser@corp.examplewithoutanumber") is None
    assert finder.find("prefix-user2999@corp.example-suffix") == "user2999@corp.example"
    assert finder.find("xxabcxx") == "abc"
    # two table cells side by side, the right one wrapped over two lines
    runs = [(52.0, 654.2, "2026-03-01"), (411.2, 654.2, "mail customer.jane@private"), (52.0, 644.9, "10:00:00")]
    runs.append((411.8, 644.9, "mail.example soon."))
    assert "customer.jane@privatemail.example" in "".join(column_text(runs).split())
