"""Links as case data: audited with settings and case state, verified, never half-stored."""

import sqlite3

import pytest

from app.analysis.provenance.operation import trace_outputs
from app.analysis.settings import load_settings, settings_hash
from app.core.cancel import Cancelled, CancelToken, Progress, run_to_end
from app.store import audit
from app.store import provenance_links as store
from app.store.case_file import CaseFile
from app.store.errors import CaseFileError
from app.store.verify import verify_case


def _problems(path):
    with CaseFile.open(path, operator="tester") as case:
        result = run_to_end(verify_case(case, record=False))
    return [str(p) for p in result.problems]


def test_a_run_is_stored_with_its_settings_case_state_and_audit_entry(traced_corpus, case_path):
    case, _corpus = traced_corpus
    items = case.conn.execute("SELECT count(*) FROM items").fetchone()[0]
    seq, head = audit.head(case.conn)
    settings = load_settings()
    result = run_to_end(trace_outputs(case, settings))
    run = store.latest_run(case.conn)
    assert run["settings"] == settings and run["settings_hash"] == settings_hash(settings)
    assert (run["item_count"], run["audit_seq"], run["audit_head"]) == (items, seq, head)
    entry = list(audit.entries(case.conn))[-1]
    assert entry["action"] == "provenance.run"
    assert f'"links":{len(result.links)}' in entry["details"]
    assert len(store.links(case.conn)) == len(result.links) > 0
    assert _problems(case_path) == []


@pytest.mark.parametrize(
    "forgery",
    [
        "UPDATE provenance_links SET similarity = 0.99 WHERE id = (SELECT min(id) FROM provenance_links)",
        "DELETE FROM provenance_links WHERE id = (SELECT max(id) FROM provenance_links)",
        "INSERT INTO provenance_links(run_id, output_id, response_id, similarity, shared_words, longest_run,"
        " output_words, response_words, same_text_count, passages)"
        " SELECT run_id, output_id, 1, 1.0, 99, 99, 99, 99, 1, '[]' FROM provenance_links LIMIT 1",
        "UPDATE provenance_runs SET settings_hash = 'made-up'",
        "INSERT INTO provenance_terms(kind, text, created_utc) VALUES ('canary', 'planted later', '2026-01-01')",
    ],
)
def test_verify_catches_a_forged_link(traced_corpus, case_path, forgery):
    case, _corpus = traced_corpus
    run_to_end(trace_outputs(case, load_settings()))
    store.add_term(case, "canary", "Quartz Lantern 7731")
    case.close()
    assert _problems(case_path) == []
    conn = sqlite3.connect(case_path)
    conn.execute(forgery)
    conn.commit()
    conn.close()
    problems = _problems(case_path)
    assert len(problems) == 1 and "provenance" in problems[0], problems


def test_a_cancelled_run_stores_nothing(traced_corpus):
    case, _corpus = traced_corpus
    run_to_end(trace_outputs(case, load_settings()))
    before = store.stored_rows(case.conn, store.latest_run(case.conn)["run_id"])
    seq = audit.head(case.conn)[0]
    token = CancelToken()
    operation = trace_outputs(case, load_settings(), token)
    with pytest.raises(Cancelled):
        for report in operation:
            assert isinstance(report, Progress)
            if report.stage.startswith("Reading our logged responses"):
                token.cancel()
    assert audit.head(case.conn)[0] == seq
    assert store.stored_rows(case.conn, store.latest_run(case.conn)["run_id"]) == before


def test_terms_are_added_once_removed_and_audited(case):
    assert store.add_term(case, "canary", "  Quartz Lantern 7731 ")
    assert not store.add_term(case, "canary", "Quartz Lantern 7731")
    store.add_term(case, "lab_name", "我是")
    assert store.terms(case.conn, "canary") == ["Quartz Lantern 7731"]
    store.remove_term(case, "canary", "Quartz Lantern 7731")
    assert store.terms(case.conn, "canary") == []
    with pytest.raises(CaseFileError, match="no canary string"):
        store.remove_term(case, "canary", "Quartz Lantern 7731")
    with pytest.raises(CaseFileError, match="cannot be blank"):
        store.add_term(case, "lab_name", "   ")
    actions = [e["action"] for e in audit.entries(case.conn)][-3:]
    assert actions == ["provenance.term.add", "provenance.term.add", "provenance.term.remove"]


def test_verify_hashes_settings_as_the_analysis_does():
    from app.store.verify_provenance import settings_hash as verify_hash

    settings = load_settings()
    settings["provenance"]["link_share"] = 0.123456789
    assert verify_hash(settings) == settings_hash(settings)
