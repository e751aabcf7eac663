"""Productions: Bates never reused, re-runs give the same pages, cancel leaves nothing,
the CLI, and the pure planning rules."""

import csv
import json

import pytest
from pypdf import PdfReader

from app.core.cancel import CancelToken, Cancelled, run_to_end
from app.export.bundle import ExportSettings, export_bundle, reproduce_production
from app.export.planning import group_exhibits, parse_scheme
from app.export.selection import Selection
from app.store import annotations
from app.store.errors import CaseFileError
from app.store.verify import verify_case
from export_builders import import_paths, log_row, write_log


@pytest.fixture
def log_case(case, tmp_path):
    rows = [
        log_row(f"2026-03-0{day}T0{hour}:00:00Z", f"prompt {day}-{hour}", f"answer {day}-{hour}")
        for day in (1, 2, 3)
        for hour in (1, 2)
    ]
    rows.append({"account": "x", "prompt": "no time here", "response": "undated answer"})
    write_log(tmp_path / "api.jsonl", rows)
    import_paths(case, [tmp_path / "api.jsonl"], undated_ok=True)
    return case


def test_second_production_continues_after_the_first(log_case, tmp_path):
    first = run_to_end(export_bundle(log_case, tmp_path / "one.pdf", Selection(), ExportSettings()))
    second = run_to_end(export_bundle(log_case, tmp_path / "two.pdf", Selection(kinds=["log_entry"]), ExportSettings()))
    assert int(second.bates_first[2:]) == int(first.bates_last[2:]) + 1
    text = PdfReader(str(tmp_path / "two.pdf")).pages[0].extract_text()
    assert second.bates_first in text and first.bates_last not in text
    with pytest.raises(CaseFileError, match="never reused"):
        run_to_end(export_bundle(log_case, tmp_path / "three.pdf", Selection(), ExportSettings(bates_start=2)))
    assert not (tmp_path / "three.pdf").exists()
    result = run_to_end(verify_case(log_case))
    assert result.ok, result.problems


def test_reproducing_a_production_gives_the_same_pages(log_case, tmp_path):
    first = run_to_end(export_bundle(log_case, tmp_path / "one.pdf", Selection(), ExportSettings(title="Bundle A")))
    run_to_end(export_bundle(log_case, tmp_path / "other.pdf", Selection(), ExportSettings()))
    again = run_to_end(reproduce_production(log_case, first.production_id, tmp_path / "copy.pdf"))
    original = [p.extract_text() for p in PdfReader(str(tmp_path / "one.pdf")).pages]
    copy = [p.extract_text() for p in PdfReader(str(tmp_path / "copy.pdf")).pages]
    assert copy == original
    assert again.files["copy.pdf"] == first.files["one.pdf"]  # byte-identical
    assert log_case.conn.execute("SELECT count(*) FROM productions").fetchone()[0] == 2


def test_cancel_leaves_no_pdf_and_no_record(log_case, tmp_path):
    token = CancelToken()
    operation = export_bundle(log_case, tmp_path / "cancelled.pdf", Selection(), ExportSettings(), token)
    next(operation)
    token.cancel()
    with pytest.raises(Cancelled):
        run_to_end(operation)
    assert list(tmp_path.glob("cancelled*")) == [] and list(tmp_path.glob(".casefile-export-*")) == []
    assert log_case.conn.execute("SELECT count(*) FROM productions").fetchone()[0] == 0


def test_undated_rows_come_last_in_their_own_exhibit(log_case, tmp_path):
    result = run_to_end(
        export_bundle(
            log_case,
            tmp_path / "b.pdf",
            Selection(),
            ExportSettings(exhibit_scheme="DX-1", log_group=["source", "day"]),
        )
    )
    reader = PdfReader(str(tmp_path / "b.pdf"))
    titles = [entry.title for entry in reader.outline]
    assert [t.split()[0] for t in titles[:-1]] == ["DX-1", "DX-2", "DX-3", "DX-4"]
    assert "undated" in titles[3] and "2026-03-01" in titles[0]
    assert "Undated exhibits" in reader.pages[1].extract_text()
    assert result.exhibits == 4


def test_cli_export_and_productions(cli, log_case, case_path, tmp_path):
    log_case.close()
    code, out, err = cli(
        "export",
        case_path,
        tmp_path / "c.pdf",
        "--kind",
        "log_entry",
        "--bates-prefix",
        "ABC",
        "--bates-digits",
        "6",
        "--exhibit-scheme",
        "A",
        "--page-size",
        "Letter",
        "--loadfile",
        "--quiet",
    )
    assert code == 0, err
    assert "ABC000001" in out and (tmp_path / "c.dat").exists() and (tmp_path / "c.opt").exists()
    code, out, _ = cli("productions", case_path, "--json")
    productions = json.loads(out)
    assert productions[0]["bates_prefix"] == "ABC" and productions[0]["bates_first"] == 1
    code, out, err = cli("export", case_path, tmp_path / "d.pdf", "--search", "keys AND", "--quiet")
    assert code == 1 and "could not be understood" in err and "Traceback" not in err


def test_exhibit_id_schemes():
    assert [parse_scheme("PX-0001").label(i) for i in (0, 9)] == ["PX-0001", "PX-0010"]
    assert parse_scheme("DX-1").label(11) == "DX-12"
    assert parse_scheme("JX-001", 5).label(0) == "JX-005"
    assert parse_scheme("1").label(2) == "3"
    assert [parse_scheme("A").label(i) for i in (0, 25, 26)] == ["A", "Z", "AA"]


def test_family_stays_together_and_ties_break_by_import_order():
    rows = [
        {"id": 1, "kind": "email", "parent_id": None, "source_id": 1, "ts_us": 50, "account": None, "title": "e"},
        {"id": 2, "kind": "attachment", "parent_id": 1, "source_id": 1, "ts_us": None, "account": None, "title": "a"},
        {"id": 3, "kind": "output", "parent_id": None, "source_id": 2, "ts_us": 50, "account": None, "title": "o"},
        {"id": 4, "kind": "log_entry", "parent_id": None, "source_id": 3, "ts_us": 10, "account": "x", "title": ""},
        {"id": 5, "kind": "image", "parent_id": None, "source_id": 4, "ts_us": None, "account": None, "title": "i"},
    ]
    plans = group_exhibits(rows)
    assert [p.item_ids for p in plans] == [[4], [1, 2], [3], [5]]


def test_verify_detects_a_production_changed_outside_the_app(log_case, tmp_path):
    run_to_end(export_bundle(log_case, tmp_path / "one.pdf", Selection(), ExportSettings()))
    assert run_to_end(verify_case(log_case)).ok
    log_case.conn.execute("UPDATE productions SET bates_last = bates_last - 1")
    problems = run_to_end(verify_case(log_case)).problems
    assert [p.table for p in problems] == ["productions"]


def test_an_existing_bundle_is_never_overwritten(log_case, tmp_path):
    (tmp_path / "taken.pdf").write_bytes(b"earlier bundle")
    with pytest.raises(CaseFileError, match="already exists"):
        run_to_end(export_bundle(log_case, tmp_path / "taken.pdf", Selection(), ExportSettings()))
    assert (tmp_path / "taken.pdf").read_bytes() == b"earlier bundle"
    assert log_case.conn.execute("SELECT count(*) FROM productions").fetchone()[0] == 0


def test_sidecar_cells_never_run_as_spreadsheet_formulas(case, tmp_path):
    write_log(tmp_path / "api.jsonl", [log_row("2026-03-01T00:00:00Z", "p", "r")])
    import_paths(case, [tmp_path / "api.jsonl"])
    exhibit_id = annotations.create_exhibit(case, '=HYPERLINK("http://evil.example","click")', [1])
    run_to_end(export_bundle(case, tmp_path / "f.pdf", Selection(exhibit_ids=[exhibit_id]), ExportSettings()))
    rows = list(csv.DictReader(open(tmp_path / "f.exhibits.csv", encoding="utf-8-sig")))
    assert rows[0]["Description"] == '\'=HYPERLINK("http://evil.example","click")'


def test_cancel_after_the_pdf_is_written_still_leaves_nothing(log_case, tmp_path):
    token = CancelToken()
    operation = export_bundle(log_case, tmp_path / "late.pdf", Selection(), ExportSettings(loadfile=True), token)
    while not next(operation).stage.startswith("Writing the exhibit list"):
        pass
    token.cancel()
    with pytest.raises(Cancelled):
        run_to_end(operation)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("late", ".casefile-export"))] == []
    assert log_case.conn.execute("SELECT count(*) FROM productions").fetchone()[0] == 0
