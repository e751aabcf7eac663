"""Facts as case data: recorded with their audit entry, replayed by verify, forgeries named."""

import json
import sqlite3

import pytest

from app.core.timestamps import TimestampError
from app.store import audit, case_facts
from app.store.case_file import CaseFile, CaseFileError


@pytest.fixture
def with_facts(imported):
    with CaseFile.open(imported, operator="tester") as case:
        first = case_facts.add_fact(
            case,
            "The account accepted the Terms of Service",
            "2026-01-05",
            elements=["CLAIM-CONTRACT/ASSENT"],
            items=[2, 3],
            witness="Dana Smith",
        )
        second = case_facts.add_fact(
            case,
            "Extraction ran for two weeks",
            "2026-02-01 to 2026-02-14",
            status="disputed",
            elements=["CLAIM-CONTRACT/BREACH", "CLAIM-DTSA/IMPROPER-MEANS"],
            items=[4],
            opposing="They say it was research use",
            opposing_items=[5],
            findings=["finding 3"],
        )
        case_facts.add_fact(case, "Damages are still being computed", status="prospective")
    return imported, first, second


def test_facts_are_listed_in_date_order_with_undated_last(with_facts):
    path, first, second = with_facts
    with CaseFile.open(path) as case:
        facts = case_facts.list_facts(case.conn)
    assert [f.id for f in facts][:2] == [first, second]
    assert facts[2].date_text == "" and facts[2].start_us is None
    assert facts[1].end_us > facts[1].start_us and facts[1].date_text == "2026-02-01 to 2026-02-14"
    assert facts[1].opposing_items == [5] and facts[1].findings == ["finding 3"]


def test_every_change_is_audited_with_the_whole_fact(with_facts):
    path, first, _ = with_facts
    with CaseFile.open(path, operator="tester") as case:
        case_facts.update_fact(case, first, status="disputed", witness="Lee Park")
        case_facts.link_items(case, first, [6, 2])
        record = case_facts.delete_fact(case, first)
        entries = [e for e in audit.entries(case.conn) if e["action"].startswith("fact.")]
        assert [e["action"] for e in entries][-3:] == ["fact.update", "fact.update", "fact.delete"]
        assert json.loads(entries[-2]["details"])["items"] == [2, 3, 6]
        case_facts.restore_fact(case, record)
        assert case_facts.get_fact(case.conn, first).items == [2, 3, 6]


def test_plain_word_refusals(case):
    with pytest.raises(CaseFileError, match="not a claim"):
        case_facts.add_fact(case, "x", elements=["HOT"])
    with pytest.raises(CaseFileError, match="status"):
        case_facts.add_fact(case, "x", status="maybe")
    with pytest.raises(CaseFileError, match="no item 99"):
        case_facts.add_fact(case, "x", items=[99])
    with pytest.raises(TimestampError, match="ends before it starts"):
        case_facts.add_fact(case, "x", "2026-03-02 to 2026-03-01")
    assert case_facts.fact_count(case.conn) == 0


def verify(cli, path) -> dict:
    _code, out, _ = cli("verify", path, "--json")
    return json.loads(out)


def test_verify_replays_facts_and_names_a_forgery(with_facts, cli):
    path, first, second = with_facts
    report = verify(cli, path)
    assert report["ok"] and report["checked"]["facts"] == 3
    conn = sqlite3.connect(path)
    conn.execute("UPDATE facts SET status = 'undisputed' WHERE id = ?", (second,))
    conn.execute("INSERT INTO fact_items(fact_id, item_id, role, position) VALUES (?, 7, 'evidence', 9)", (first,))
    conn.execute("INSERT INTO facts(statement, status, created_utc) VALUES ('forged', 'undisputed', 'now')")
    conn.execute("INSERT INTO fact_elements(fact_id, code) VALUES (77, 'CLAIM-CFAA/REVOCATION')")
    conn.commit()
    conn.close()
    report = verify(cli, path)
    found = {(p["table"], p["id"]): p["problem"] for p in report["problems"]}
    assert not report["ok"]
    assert "status" in found[("facts", second)] and "items" in found[("facts", first)]
    assert found[("facts", 4)] == "fact not recorded in the audit log"
    assert ("fact_elements", "fact 77") in found


def test_verify_names_a_deleted_fact(with_facts, cli):
    path, first, _ = with_facts
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM fact_elements WHERE fact_id = ?", (first,))
    conn.execute("DELETE FROM fact_items WHERE fact_id = ?", (first,))
    conn.execute("DELETE FROM facts WHERE id = ?", (first,))
    conn.commit()
    conn.close()
    found = {(p["table"], p["id"]) for p in verify(cli, path)["problems"]}
    assert ("facts", first) in found
