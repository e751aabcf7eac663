"""The extraction analysis on generated logs with labelled ground truth: every extraction
style flagged, no look-alike flagged, clusters that say who links to whom by what, findings
stored, reproducible, verified, and nothing stored on cancel."""

import json
import sqlite3

import pytest

from app.analysis.extraction.operation import analyse_extraction, case_settings
from app.analysis.extraction.report import run_report
from app.analysis.settings import SettingsError
from app.core.cancel import CancelToken, Cancelled, run_to_end
from app.store import findings
from app.store.case_file import CaseFile
from app.store.verify import verify_case
from extraction_cases import demo_logs_case, labelled_case
from labelled_logs import flagged_expected


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    """The labelled case analysed once: (case path, labels, run id)."""
    case_path, labels = labelled_case(tmp_path_factory.mktemp("labelled"))
    with CaseFile.open(case_path, operator="tester") as case:
        run_id = run_to_end(analyse_extraction(case))
    return case_path, labels, run_id


@pytest.fixture
def opened(labelled):
    case_path, labels, run_id = labelled
    with CaseFile.open(case_path, operator="tester") as case:
        yield case, labels, run_id


def by_account(case, run_id) -> dict[str, dict]:
    return {a["account"]: a for a in findings.run_accounts(case.conn, run_id)}


def fired(account: dict) -> set[str]:
    return {i["code"] for i in account["indicators"] if i["fired"]}


def test_every_extraction_style_is_flagged_and_no_lookalike_is(opened):
    case, labels, run_id = opened
    accounts = by_account(case, run_id)
    flagged = {name for name, a in accounts.items() if a["flagged"]}
    expected = flagged_expected(labels)
    styles = {labels[a].split(":")[1] for a in expected}
    assert styles == {"blatant", "coordinated", "reasoning", "rate", "sweep", "resale"}
    recall = len(flagged & expected) / len(expected)
    false_positives = sorted(flagged - expected)
    assert recall == 1.0, sorted(expected - flagged)
    assert false_positives == []
    ranked = findings.run_accounts(case.conn, run_id)
    assert all(a["flagged"] for a in ranked[: len(expected)])  # flagged accounts rank first


def test_each_style_shows_the_indicators_it_was_built_with(opened):
    case, _labels, run_id = opened
    accounts = by_account(case, run_id)
    assert {"template_reuse", "reasoning_elicitation", "round_the_clock", "key_rotation"} <= fired(
        accounts["x-blatant"]
    )
    assert {"template_reuse", "synchronised"} <= fired(accounts["x-coord-3"])
    assert {"reasoning_elicitation", "round_the_clock"} <= fired(accounts["x-reasoning"])
    assert "rate_shaping" in fired(accounts["x-rate"])
    assert {"capability_sweep", "key_rotation"} <= fired(accounts["x-sweep"])
    assert "key_sharing" in fired(accounts["x-resale-2"])
    assert "x-resale-2" in accounts["x-resale-2"]["reason"] or "tied to it" in accounts["x-resale-2"]["reason"]


def test_lookalikes_are_not_flagged_for_the_reason_a_reader_expects(opened):
    case, _labels, run_id = opened
    accounts = by_account(case, run_id)
    assert fired(accounts["l-enterprise"]) == {"volume"}
    assert "one day" in accounts["l-eval"]["reason"] or "one-off" in accounts["l-eval"]["reason"]
    assert "not a substantial harvest" in accounts["l-health"]["reason"]
    assert not fired(accounts["l-farzone"]) - {"volume"}
    assert all(not fired(accounts[f"l-office-{k}"]) for k in range(1, 7))


def test_indicator_sentences_give_numbers_and_rows_support_them(opened):
    case, _labels, run_id = opened
    account = by_account(case, run_id)["x-blatant"]
    template = next(i for i in account["indicators"] if i["code"] == "template_reuse")
    assert "% of this account's" in template["summary"] and "different fillings" in template["summary"]
    assert template["value"] >= template["threshold"]
    rows = findings.indicator_items(case.conn, template["id"])
    assert len(rows) == template["row_count"] > 2000
    owners = {
        r[0]
        for r in case.conn.execute(
            f"SELECT DISTINCT account FROM items WHERE id IN ({','.join('?' * len(rows))})", rows
        )
    }
    assert owners == {"x-blatant"}
    quiet = next(i for i in account["indicators"] if i["code"] == "round_the_clock")
    assert "UTC" in quiet["summary"] and 0 < quiet["row_count"] < account["requests"]


def test_clusters_say_who_links_to_whom_and_an_address_alone_flags_nothing(opened):
    case, _labels, run_id = opened
    clusters = findings.get_run(case.conn, run_id)["clusters"]
    coordinated = next(c for c in clusters if "x-coord-1" in c["accounts"])
    assert coordinated["flagged"] and set(coordinated["accounts"]) == {f"x-coord-{k}" for k in range(1, 6)}
    assert {"timing", "template", "block"} <= {link["by"] for link in coordinated["links"]}
    resale = next(c for c in clusters if "x-resale-1" in c["accounts"])
    key_link = next(link for link in resale["links"] if link["by"] == "key")
    assert "key-resold" in key_link["what"] and key_link["a"].startswith("x-resale")
    office = next(c for c in clusters if "l-office-1" in c["accounts"])
    assert not office["flagged"] and {link["by"] for link in office["links"]} == {"ip"}
    assert "192.0.2.77" in office["links"][0]["what"]


@pytest.mark.parametrize("max_nodes", [3, 40])
def test_a_runs_outline_is_the_run_with_only_the_links_a_graph_draws(opened, max_nodes):
    """What the Findings view reads: every cluster as stored, its links only between the
    accounts the graph draws, and what kinds of link it has (the graph's legend)."""
    case, _labels, run_id = opened
    run = findings.get_run(case.conn, run_id)
    outline = findings.run_outline(case.conn, run_id, max_nodes)
    assert {k: v for k, v in outline.items() if k != "clusters"} == {k: v for k, v in run.items() if k != "clusters"}
    assert len(outline["clusters"]) == len(run["clusters"]) > 1
    trimmed = 0
    for shown, stored in zip(outline["clusters"], run["clusters"]):
        drawn = set(stored["accounts"][:max_nodes])
        kept = [link for link in stored["links"] if link["a"] in drawn and link["b"] in drawn]
        trimmed += len(stored["links"]) - len(kept)
        assert shown["links"] == kept
        assert shown["link_kinds"] == {link["by"] for link in stored["links"]}
        assert {k: v for k, v in shown.items() if k not in ("links", "link_kinds")} == {
            k: v for k, v in stored.items() if k != "links"
        }
    assert (trimmed > 0) == (max_nodes == 3)


def test_findings_record_settings_and_case_state_and_verify_replays_them(opened):
    case, _labels, run_id = opened
    run = findings.get_run(case.conn, run_id)
    assert run["item_count"] == case.conn.execute("SELECT count(*) FROM items").fetchone()[0]
    assert run["audit_seq"] > 0 and len(run["audit_hash"]) == 64
    assert "step by step" in run["settings"]["extraction"]["reasoning_elicitation"]["phrases"]
    entry = case.conn.execute("SELECT details FROM audit WHERE action = 'analysis.run' ORDER BY seq DESC").fetchone()
    assert json.loads(entry[0])["digest"] == run["digest"]
    assert run_to_end(verify_case(case, record=False)).ok


def test_a_finding_changed_outside_the_application_is_found_by_verify(tmp_path):
    case_path, _labels = labelled_case(tmp_path, scale=0.2)
    with CaseFile.open(case_path, operator="tester") as case:
        run_id = run_to_end(analyse_extraction(case))
    raw = sqlite3.connect(case_path)
    victim = raw.execute("SELECT indicator_id, item_id FROM finding_rows LIMIT 1").fetchone()
    raw.execute("DELETE FROM finding_rows WHERE indicator_id = ? AND item_id = ?", victim)
    raw.commit()
    raw.close()
    with CaseFile.open(case_path, operator="tester") as case:
        problems = run_to_end(verify_case(case, record=False)).problems
    assert any(p.table == "finding_runs" and p.id == run_id for p in problems)


def test_same_case_and_settings_give_the_same_findings(tmp_path):
    case_path, _labels = labelled_case(tmp_path, scale=0.3)
    with CaseFile.open(case_path, operator="tester") as case:
        first = run_to_end(analyse_extraction(case))
        second = run_to_end(analyse_extraction(case))
        assert findings.run_content(case.conn, first) == findings.run_content(case.conn, second)
        assert findings.get_run(case.conn, first)["digest"] == findings.get_run(case.conn, second)["digest"]
        one, two = run_report(case.conn, first), run_report(case.conn, second)
        assert one["accounts"] == two["accounts"] and one["clusters"] == two["clusters"]


def test_cancel_stores_nothing_and_leaves_no_work_table(tmp_path):
    case_path, _labels = labelled_case(tmp_path, scale=0.2)
    with CaseFile.open(case_path, operator="tester") as case:
        audit_before = case.conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        token = CancelToken()
        operation = analyse_extraction(case, token=token)
        next(operation)
        next(operation)
        token.cancel()
        with pytest.raises(Cancelled):
            run_to_end(operation)
        assert case.conn.execute("SELECT count(*) FROM finding_runs").fetchone()[0] == 0
        assert case.conn.execute("SELECT count(*) FROM audit").fetchone()[0] == audit_before
        assert [r[1] for r in case.conn.execute("PRAGMA database_list")] == ["main"]  # the work table is gone


def test_settings_from_a_file_are_laid_over_the_defaults_and_recorded(tmp_path):
    case_path, _labels = labelled_case(tmp_path, scale=0.2)
    strict = tmp_path / "strict.json"
    strict.write_text(json.dumps({"extraction": {"min_indicators": 9}}), encoding="utf-8")
    with CaseFile.open(case_path, operator="tester") as case:
        default_run = run_to_end(analyse_extraction(case))
        strict_run = run_to_end(analyse_extraction(case, case_settings(case, strict)))
        assert findings.get_run(case.conn, strict_run)["settings"]["extraction"]["min_indicators"] == 9
        assert (
            findings.get_run(case.conn, strict_run)["settings_hash"]
            != findings.get_run(case.conn, default_run)["settings_hash"]
        )
        assert not any(a["flagged"] for a in findings.run_accounts(case.conn, strict_run))
    misspelt = tmp_path / "misspelt.json"
    misspelt.write_text(json.dumps({"extraction": {"min_indicator": 3}}), encoding="utf-8")
    with CaseFile.open(case_path, operator="tester") as case, pytest.raises(SettingsError, match="min_indicator"):
        case_settings(case, misspelt)


def test_the_demo_cases_four_extraction_accounts_are_found_and_no_other(tmp_path):
    from app.demo.logs import SUSPICIOUS

    case_path = demo_logs_case(tmp_path)
    with CaseFile.open(case_path, operator="tester") as case:
        run_id = run_to_end(analyse_extraction(case))
        flagged = {a["account"] for a in findings.run_accounts(case.conn, run_id, flagged_only=True)}
        clusters = findings.get_run(case.conn, run_id)["clusters"]
    assert flagged == set(SUSPICIOUS)
    assert [sorted(c["accounts"]) for c in clusters if c["flagged"]] == [sorted(SUSPICIOUS)]
