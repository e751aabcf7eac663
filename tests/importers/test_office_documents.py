"""Word, Excel and PowerPoint files, written by the tests with python-docx, openpyxl and
python-pptx, imported through the real pipeline: text with tables, sheets and notes,
core properties as fields, embedded files as children, macro-enabled files marked."""

import shutil
import zipfile
from datetime import datetime

import pytest

from case_helpers import import_reconciled, items_of

EMBEDDED = b"The embedded spreadsheet's own bytes."


def _with_embedded(path, folder: str) -> None:
    """Add a file under <folder>/embeddings/ as Office does for an embedded object."""
    with zipfile.ZipFile(path, "a") as package:
        package.writestr(f"{folder}/embeddings/Microsoft_Excel_Worksheet.xlsx", EMBEDDED)


def write_docx(path, macros: bool = False) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("Memorandum on the extraction campaign.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Account", "Requests"
    table.cell(1, 0).text, table.cell(1, 1).text = "acct-harvest", "48211"
    document.add_paragraph("After the table.")
    props = document.core_properties
    props.author, props.last_modified_by, props.title = "Dana Whitfield", "Lee Park", "Campaign memo"
    props.created, props.modified = datetime(2025, 3, 4, 9, 30), datetime(2025, 3, 5, 17, 0)
    document.save(path)
    _with_embedded(path, "word")
    if macros:
        with zipfile.ZipFile(path, "a") as package:
            package.writestr("word/vbaProject.bin", b'Attribute VB_Name = "AutoOpen"')


def write_xlsx(path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = "Accounts"
    first.append(["account", "tokens"])
    first.append(["acct-harvest", 912000])
    second = workbook.create_sheet("Prompts")
    second.append(["template", "Explain step by step"])
    workbook.properties.creator = "Dana Whitfield"
    workbook.properties.lastModifiedBy = "Lee Park"
    workbook.properties.created = datetime(2025, 2, 1, 8, 0)
    workbook.save(path)
    _with_embedded(path, "xl")


def write_pptx(path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Distillation plan"
    slide.placeholders[1].text = "Harvest reasoning traces"
    rows = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    rows.cell(0, 0).text, rows.cell(1, 0).text = "Phase", "Harvest"
    slide.notes_slide.notes_text_frame.text = "Do not mention the rate limits."
    presentation.core_properties.author = "Lee Park"
    presentation.core_properties.created = datetime(2025, 1, 15, 12, 0)
    presentation.save(path)
    _with_embedded(path, "ppt")


def test_word_document_text_tables_properties_and_embedded_file(tmp_path, case):
    path = tmp_path / "memo.docx"
    write_docx(path)
    report = import_reconciled(case, path)
    assert (report.importer, report.read, report.imported, report.items_created) == ("office", 1, 1, 2)
    document, embedded = items_of(case, report.source_id)
    assert document["kind"] == "document" and document["fields"]["format"] == "word"
    text = document["text"]
    assert text.index("Memorandum") < text.index("acct-harvest\t48211") < text.index("After the table.")
    fields = document["fields"]
    assert fields["author"] == "Dana Whitfield" and fields["last_modified_by"] == "Lee Park"
    assert fields["created"].startswith("2025-03-04T09:30") and fields["modified"].startswith("2025-03-05T17:00")
    assert document["ts_utc"] == "2025-03-04T09:30:00.000000Z" and document["ts_note"] == "created date in the file"
    assert fields["macros"] is False and fields["native"] is True
    assert embedded["kind"] == "attachment" and embedded["parent_id"] == document["id"]
    assert embedded["title"] == "Microsoft_Excel_Worksheet.xlsx" and embedded["fields"]["size"] == len(EMBEDDED)


def test_excel_sheets_are_tables_under_their_names(tmp_path, case):
    path = tmp_path / "numbers.xlsx"
    write_xlsx(path)
    report = import_reconciled(case, path)
    document, embedded = items_of(case, report.source_id)
    assert document["fields"]["sheets"] == ["Accounts", "Prompts"]
    assert "Sheet: Accounts\naccount\ttokens\nacct-harvest\t912000" in document["text"]
    assert "Sheet: Prompts\ntemplate\tExplain step by step" in document["text"]
    assert document["fields"]["author"] == "Dana Whitfield" and document["fields"]["last_modified_by"] == "Lee Park"
    assert embedded["parent_id"] == document["id"]


def test_powerpoint_slides_with_tables_and_notes(tmp_path, case):
    path = tmp_path / "plan.pptx"
    write_pptx(path)
    report = import_reconciled(case, path)
    document, _embedded = items_of(case, report.source_id)
    text = document["text"]
    assert text.startswith("Slide 1\nDistillation plan\nHarvest reasoning traces")
    assert "Harvest" in text and "Notes: Do not mention the rate limits." in text
    assert document["fields"]["slides"] == 1 and document["fields"]["author"] == "Lee Park"


@pytest.mark.parametrize("name", ["macro.docm", "hidden-macro.docx"])
def test_a_macro_enabled_file_is_marked_and_its_macros_are_not_run(tmp_path, case, name):
    path = tmp_path / name
    write_docx(path, macros=True)
    report = import_reconciled(case, path)
    document = items_of(case, report.source_id)[0]
    assert document["fields"]["macros"] is True
    assert "The file contains macros (a VBA project); they were not run." in document["warnings"]


def test_a_damaged_office_file_is_kept_with_the_reason(tmp_path, case):
    path = tmp_path / "broken.docx"
    write_docx(path)
    with zipfile.ZipFile(path) as package, zipfile.ZipFile(tmp_path / "cut.docx", "w") as cut:
        for name in package.namelist():
            if name != "word/document.xml":
                cut.writestr(name, package.read(name))
    shutil.move(tmp_path / "cut.docx", path)
    report = import_reconciled(case, path)
    document = items_of(case, report.source_id)[0]
    assert document["kind"] == "document"
    assert any("damaged and could not be read" in w for w in document["warnings"])


def test_office_files_reconcile_and_verify(tmp_path, case_path, cli):
    paths = [tmp_path / "memo.docx", tmp_path / "numbers.xlsx", tmp_path / "plan.pptx"]
    write_docx(paths[0])
    write_xlsx(paths[1])
    write_pptx(paths[2])
    code, out, err = cli("import", case_path, *paths, "--quiet")
    assert code == 0, err
    assert out.count("read 1, imported 1, duplicates 0, quarantined 0") == 3
    code, out, _ = cli("verify", case_path)
    assert code == 0, out


def test_in_a_bundle_a_text_rendition_says_the_native_is_produced_and_the_load_file_points_at_it(
    tmp_path, case_path, cli
):
    from pypdf import PdfReader

    from app.export.loadfiles import read_dat

    path = tmp_path / "memo.docx"
    write_docx(path)
    cli("import", case_path, path, "--quiet")
    out = tmp_path / "out" / "bundle.pdf"
    out.parent.mkdir()
    code, said, err = cli("export", case_path, out, "--item", 1, "--loadfile", "--quiet")
    assert code == 0, err
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Text rendition of a Word document" in " ".join(text.split())
    assert "acct-harvest" in text
    memo = [d for d in read_dat(out.parent / "bundle.dat") if d["NATIVELINK"]]
    assert len(memo) == 1
    native = out.parent / memo[0]["NATIVELINK"].replace("\\", "/")
    assert native.suffix == ".docx" and native.read_bytes() == path.read_bytes()
