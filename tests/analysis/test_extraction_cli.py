"""`casefile analyze` and `casefile items --finding`: the issue's JSON shape, the ranked table,
and an indicator's rows listed from the terminal."""

import json

import pytest

from extraction_cases import labelled_case


@pytest.fixture(scope="module")
def small_case(tmp_path_factory):
    case_path, labels = labelled_case(tmp_path_factory.mktemp("cli"), scale=0.4)
    return case_path, labels


def test_analyze_json_has_the_issues_keys_and_items_lists_an_indicators_rows(cli, small_case):
    case_path, _labels = small_case
    code, out, err = cli("analyze", case_path, "--json")
    assert code == 0, err
    report = json.loads(out)
    account = report["accounts"][0]
    assert {"account", "score", "flagged", "indicators"} <= set(account)
    assert {"code", "summary", "value", "threshold", "items"} <= set(account["indicators"][0])
    assert {"accounts", "flagged", "links"} <= set(report["clusters"][0])
    blatant = next(a for a in report["accounts"] if a["account"] == "x-blatant")
    template = next(i for i in blatant["indicators"] if i["code"] == "template_reuse")
    assert blatant["flagged"] and template["items"]

    code, out, err = cli("items", case_path, "--finding", "x-blatant:template_reuse", "--json")
    assert code == 0, err
    assert [row["id"] for row in json.loads(out)] == sorted(template["items"])  # every row, nothing else

    code, out, err = cli("items", case_path, "--finding", "x-blatant", "--json")
    every = {i for ind in blatant["indicators"] if ind["items"] for i in ind["items"]}
    assert {row["id"] for row in json.loads(out)} == every


def test_analyze_makes_a_summary_exhibit_that_export_draws(cli, small_case, tmp_path):
    from pypdf import PdfReader

    case_path, _labels = small_case
    code, out, err = cli("analyze", case_path, "--quiet", "--exhibit", "x-sweep")
    assert code == 0, err
    exhibit_id = int(out.split("Made summary exhibit ")[1].split()[0])
    code, out, err = cli("export", case_path, tmp_path / "sweep.pdf", "--exhibit", exhibit_id, "--quiet")
    assert code == 0, err
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(tmp_path / "sweep.pdf")).pages).split())
    assert "Account x-sweep:" in text and "Capability sweep" in text
    code, _out, err = cli("analyze", case_path, "--quiet", "--exhibit", "nobody")
    assert code == 1 and "no account 'nobody'" in err


def test_analyze_prints_a_ranked_table_with_the_reasons(cli, small_case):
    case_path, _labels = small_case
    code, out, _err = cli("analyze", case_path, "--quiet")
    assert code == 0
    assert "flagged" in out.splitlines()[0]
    assert "x-blatant: Flagged:" in out and "Template reuse:" in out
    assert "linked only by a shared address" in out


def test_items_finding_says_plainly_what_is_wrong(cli, small_case, tmp_path):
    case_path, _labels = small_case
    cli("analyze", case_path, "--quiet")
    code, _out, err = cli("items", case_path, "--finding", "x-blatant:templates")
    assert code == 1 and "There is no indicator 'templates'" in err
    code, _out, err = cli("items", case_path, "--finding", "nobody")
    assert code == 1 and "no account 'nobody'" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _out, err = cli("analyze", case_path, "--settings", bad, "--quiet")
    assert code == 1 and "is not valid JSON" in err
