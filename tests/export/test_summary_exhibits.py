"""Summary exhibits: drawn from case data by a registered renderer, dated by the rows they
cite, citing this bundle's exhibit ids and Bates ranges (else an earlier production's,
else "not produced"), reproduced page for page, and replayed by verify."""

import csv

import pytest
from pypdf import PdfReader

from app.core.cancel import run_to_end
from app.export import summaries
from app.export.bundle import ExportSettings, export_bundle, reproduce_production
from app.export.selection import Selection
from app.store import annotations
from app.store.production_cites import NOT_PRODUCED, cites_for_items
from app.store.verify import verify_case
from export_builders import import_paths, log_row, write_log


def draw_cites(conn, writer, ref, context):
    """A test summary: one line per cited row, with its cite; long enough to need pages."""
    cites = context.cite(ref["item_ids"])
    for item_id in ref["item_ids"]:
        writer.line(f"row {item_id}: {cites[item_id]}")
    for number in range(ref.get("filler", 0)):
        writer.line(f"filler line {number}")


@pytest.fixture
def cites_kind(monkeypatch):
    monkeypatch.setitem(summaries.SUMMARY_RENDERERS, "test-cites", draw_cites)
    return "test-cites"


@pytest.fixture
def four_days(case, tmp_path):
    rows = [
        log_row(f"2026-03-0{day}T01:00:00Z", f"prompt {day}", f"answer {day}", f"acct-{day}") for day in range(1, 5)
    ]
    write_log(tmp_path / "api.jsonl", rows)
    import_paths(case, [tmp_path / "api.jsonl"])
    return case, [r[0] for r in case.conn.execute("SELECT id FROM items ORDER BY id")]


def pdf_text(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def listed_exhibits(path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return {row["Exhibit"]: row for row in csv.DictReader(handle)}


def test_summary_cites_this_bundle_an_earlier_production_or_says_not_produced(four_days, cites_kind, tmp_path):
    case, ids = four_days
    earlier = run_to_end(export_bundle(case, tmp_path / "earlier.pdf", Selection(item_ids=[ids[3]]), ExportSettings()))
    summary = annotations.create_summary_exhibit(
        case, "Rows of acct-1 and acct-2", cites_kind, {"item_ids": [ids[1], ids[0], ids[2], ids[3]], "filler": 90}
    )
    settings = ExportSettings(log_group=["account"], exhibit_scheme="PX-1")
    result = run_to_end(
        export_bundle(case, tmp_path / "out.pdf", Selection(item_ids=ids[:2], exhibit_ids=[summary]), settings)
    )
    listed = listed_exhibits(tmp_path / "out.exhibits.csv")
    # Dated by the earliest row it cites (day 1): after that day's exhibit, before day 2's.
    assert [row["Description"] for row in listed.values()][1] == "Rows of acct-1 and acct-2"
    summary_row = listed["PX-2"]
    assert int(summary_row["Pages"]) >= 2  # the summary's own pages move the exhibits after it
    text = "\n".join(pdf_text(tmp_path / "out.pdf"))
    for label, item_id in (("PX-1", ids[0]), ("PX-3", ids[1])):
        row = listed[label]
        begin, end = row["Bates begin"], row["Bates end"]
        assert f"row {item_id}: {label} ({begin if begin == end else begin + '-' + end})" in text
    assert f"row {ids[3]}: {cites_for_items(case.conn, earlier.production_id, [ids[3]])[ids[3]].text()}" in text
    assert f"row {ids[2]}: {NOT_PRODUCED}" in text
    assert result.exhibits == 3

    again = run_to_end(reproduce_production(case, result.production_id, tmp_path / "copy.pdf"))
    assert pdf_text(tmp_path / "copy.pdf") == pdf_text(tmp_path / "out.pdf")
    assert again.files["copy.pdf"] == result.files["out.pdf"]


def test_an_unknown_summary_kind_is_said_on_its_page(four_days, tmp_path):
    case, ids = four_days
    summary = annotations.create_summary_exhibit(case, "From a newer Casefile", "not-a-kind", {"item_ids": [ids[0]]})
    run_to_end(export_bundle(case, tmp_path / "out.pdf", Selection(exhibit_ids=[summary]), ExportSettings()))
    assert "cannot draw a summary of the kind 'not-a-kind'" in "\n".join(pdf_text(tmp_path / "out.pdf"))


def test_summary_exhibits_are_audited_and_a_forged_one_is_found(four_days):
    case, ids = four_days
    summary = annotations.create_summary_exhibit(case, "Indicators", "extraction", {"finding_id": 1})
    annotations.update_exhibit(case, summary, title="Indicators of acct-1")
    assert annotations.exhibit(case, summary)["summary_ref"] == {"finding_id": 1}
    assert annotations.exhibit(case, summary)["item_ids"] == []
    assert run_to_end(verify_case(case)).ok
    with case.transaction() as conn:
        conn.execute("UPDATE exhibits SET summary_ref = ? WHERE id = ?", ('{"finding_id": 2}', summary))
    problems = run_to_end(verify_case(case)).problems
    assert any(p.table == "exhibits" and p.id == summary for p in problems)
