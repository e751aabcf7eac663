"""The "Extraction indicators" summary exhibit: drawn into a bundle with its numbers, charts,
method and settings, and cites to the rows (exhibit and Bates range where produced, "not
produced" otherwise); read back with pypdf."""

import csv

import pytest
from pypdf import PdfReader

from app.analysis.extraction.operation import analyse_extraction
from app.analysis.extraction.report import exhibit_for_account, exhibit_for_cluster
from app.core.cancel import run_to_end
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from app.store import findings
from app.store.case_file import CaseFile
from extraction_cases import labelled_case


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    case_path, _labels = labelled_case(tmp_path_factory.mktemp("exhibit"), scale=0.3)
    with CaseFile.open(case_path, operator="tester") as case:
        run_id = run_to_end(analyse_extraction(case))
    return case_path, run_id


def test_account_summary_shows_indicators_charts_method_and_cites(analysed, tmp_path):
    case_path, run_id = analysed
    with CaseFile.open(case_path, operator="tester") as case:
        finding_id = findings.find_finding(case.conn, run_id, "x-sweep")
        exhibit_id = exhibit_for_account(case, finding_id)
        sweep = findings.get_finding(case.conn, finding_id)
        task = next(i for i in sweep["indicators"] if i["code"] == "capability_sweep")
        rows = findings.indicator_items(case.conn, task["id"])
        produced = rows[:3]
        result = run_to_end(
            export_bundle(
                case,
                tmp_path / "bundle.pdf",
                Selection(item_ids=produced, exhibit_ids=[exhibit_id]),
                ExportSettings(log_group=["account"]),
            )
        )
        run = findings.get_run(case.conn, run_id)
    text = "\n".join(page.extract_text() for page in PdfReader(str(tmp_path / "bundle.pdf")).pages)
    flat = " ".join(text.split())
    assert "Account x-sweep: FLAGGED" in flat
    assert "Capability sweep" in flat and "numbered tasks" in flat
    assert "Requests by hour of day (UTC" in flat and "API keys: first to last use" in flat
    assert "Method and settings" in flat and run["settings_hash"] in flat.replace(" ", "")
    with open(tmp_path / "bundle.exhibits.csv", newline="", encoding="utf-8-sig") as handle:
        listed = list(csv.DictReader(handle))
    rows_exhibit = next(r for r in listed if not r["Description"].startswith("Extraction indicators"))
    label, begin, end = rows_exhibit["Exhibit"], rows_exhibit["Bates begin"], rows_exhibit["Bates end"]
    cite = f"{label} ({begin})" if begin == end else f"{label} ({begin}-{end})"
    assert f"{cite}: 3 row(s)" in flat
    assert f"not produced: {len(rows) - 3:,} row(s)" in flat
    assert result.exhibits == 2


def test_cluster_summary_says_who_links_to_whom(analysed, tmp_path):
    case_path, run_id = analysed
    with CaseFile.open(case_path, operator="tester") as case:
        clusters = findings.get_run(case.conn, run_id)["clusters"]
        index = next(k for k, c in enumerate(clusters) if "x-coord-1" in c["accounts"])
        exhibit_id = exhibit_for_cluster(case, run_id, index)
        run_to_end(export_bundle(case, tmp_path / "cluster.pdf", Selection(exhibit_ids=[exhibit_id]), ExportSettings()))
    flat = " ".join("\n".join(p.extract_text() for p in PdfReader(str(tmp_path / "cluster.pdf")).pages).split())
    assert "Cluster of 5 accounts:" in flat and "x-coord-2" in flat
    assert "Who links to whom, and by what" in flat and "timing" in flat and "template" in flat
    assert "not produced" in flat
