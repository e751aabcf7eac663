"""The proof chart and chronology: cites from the production's own exhibit list, "not produced"
for anything else, "No evidence" for an element nothing proves; PDF, CSV and Word agree."""

import csv

import pytest
from docx import Document
from pypdf import PdfReader

from app.core.cancel import run_to_end
from app.export.bundle import ExportSettings, export_bundle
from app.export.chronology import write_chronology
from app.export.proof_chart import write_proof_chart
from app.export.proof_rows import NO_EVIDENCE, build_proof
from app.export.selection import Selection
from app.store import annotations, case_facts
from app.store.production_cites import NOT_PRODUCED
from export_builders import import_paths, log_row, write_log


@pytest.fixture
def produced(case, tmp_path):
    """Five log rows; rows 1-3 produced (one exhibit per account), 4 and 5 not; facts over them."""
    rows = [
        log_row(f"2026-03-0{day}T01:00:00Z", f"prompt {day}", f"answer {day}", account=f"acct-{day}")
        for day in range(1, 6)
    ]
    write_log(tmp_path / "api.jsonl", rows)
    import_paths(case, [tmp_path / "api.jsonl"])
    ids = [r[0] for r in case.conn.execute("SELECT id FROM items ORDER BY id")]
    settings = ExportSettings(log_group=["account"], bates_prefix="NWAI")
    result = run_to_end(export_bundle(case, tmp_path / "prod.pdf", Selection(item_ids=ids[:3]), settings))
    case_facts.add_fact(
        case, "Assent on sign-up", "2026-03-01", elements=["CLAIM-CONTRACT/ASSENT"], items=[ids[0]], witness="Dana"
    )
    case_facts.add_fact(
        case,
        "Extraction over two days",
        "2026-03-02 to 2026-03-03",
        "disputed",
        elements=["CLAIM-CONTRACT/BREACH", "CLAIM-DTSA/IMPROPER-MEANS"],
        items=[ids[1], ids[2], ids[3]],
        opposing="Research use, they say",
        opposing_items=[ids[4]],
    )
    case_facts.add_fact(case, "Damages to be computed", status="prospective", elements=["CLAIM-CONTRACT/DAMAGES"])
    annotations.tag_items(case, [ids[4]], "CLAIM-CFAA/REVOCATION")
    return case, result.production_id, ids, tmp_path


def exhibit_list(path) -> dict[str, str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return {row["Exhibit"]: row["Bates begin"] for row in csv.DictReader(handle)}


def test_cites_equal_the_production_exhibit_list_and_others_are_not_produced(produced):
    case, production_id, ids, tmp_path = produced
    listed = exhibit_list(tmp_path / "prod.exhibits.csv")
    chart = build_proof(case.conn, production_id)
    breach = next(e for e in chart.elements if e.code == "CLAIM-CONTRACT/BREACH")
    cited = breach.facts[0]
    produced_cites = [c for c in cited.evidence if NOT_PRODUCED not in c]
    assert len(produced_cites) == 2
    for cite in produced_cites:
        exhibit, bates = cite.split(" (")
        assert listed[exhibit] == bates.rstrip(")").split("-")[0]
    assert f"Item {ids[3]}: {NOT_PRODUCED}" in cited.evidence
    assert cited.opposing == ["Research use, they say", f"Item {ids[4]}: {NOT_PRODUCED}"]


def test_tagged_items_count_as_evidence_and_an_element_without_any_says_so(produced):
    case, production_id, ids, _ = produced
    chart = build_proof(case.conn, production_id)
    by_code = {e.code: e for e in chart.elements}
    assert by_code["CLAIM-CFAA/REVOCATION"].has_evidence
    assert by_code["CLAIM-CFAA/REVOCATION"].tagged == [f"Item {ids[4]}: {NOT_PRODUCED}"]
    assert not by_code["CLAIM-CONTRACT/DAMAGES"].has_evidence  # a fact, but no item
    assert not by_code["CLAIM-DTSA/SECRECY-MEASURES"].has_evidence  # nothing at all
    rows = [r for r in chart.rows() if "SECRECY-MEASURES" in r.element]
    assert [r.evidence for r in rows] == [NO_EVIDENCE]


def test_pdf_csv_and_word_hold_the_same_rows(produced):
    case, production_id, _, tmp_path = produced
    out = tmp_path / "chart"
    chart = write_proof_chart(
        case, out.with_suffix(".pdf"), production_id, out.with_suffix(".csv"), out.with_suffix(".docx")
    )
    with open(out.with_suffix(".csv"), newline="", encoding="utf-8-sig") as handle:
        csv_rows = list(csv.reader(handle))[1:]
    assert csv_rows == [r.cells() for r in chart.rows()]
    word = Document(str(out.with_suffix(".docx")))
    word_rows = [[c.text for c in row.cells] for table in word.tables for row in list(table.rows)[1:]]
    assert word_rows == [row[3:] for row in csv_rows]
    reader = PdfReader(str(out.with_suffix(".pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    assert "SECRECY-MEASURES) - NO EVIDENCE" in text and f"Page 1 of {len(reader.pages)}" in text
    for row in csv_rows:
        for line in row[6].splitlines():
            assert line.split(" (")[0] in text
    assert "ATTORNEY WORK PRODUCT" in text


def test_chronology_lists_facts_in_date_order_in_pdf_and_word(produced):
    case, production_id, _, tmp_path = produced
    facts = write_chronology(case, tmp_path / "chrono.pdf", production_id, tmp_path / "chrono.docx")
    assert [f.fact.statement for f in facts] == [
        "Assent on sign-up",
        "Extraction over two days",
        "Damages to be computed",
    ]
    word = Document(str(tmp_path / "chrono.docx"))
    assert [row.cells[0].text for row in list(word.tables[0].rows)[1:]] == [
        "2026-03-01",
        "2026-03-02 to 2026-03-03",
        "undated",
    ]
    text = "\n".join(p.extract_text() for p in PdfReader(str(tmp_path / "chrono.pdf")).pages)
    assert text.index("Assent on sign-up") < text.index("Extraction over two days") < text.index("Damages to be")


def test_no_production_cites_everything_as_not_produced(produced):
    case, _, ids, _ = produced
    chart = build_proof(case.conn, None)
    evidence = [c for e in chart.elements for f in e.facts for c in f.evidence]
    assert evidence and all(NOT_PRODUCED in c for c in evidence)
