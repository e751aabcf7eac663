"""What a redacted item must not carry into a production: its OCR text (which reads what lies
under a box too) and its native file (Word, Excel, PowerPoint: the unredacted original)."""

import shutil

import pytest
from pypdf import PdfReader

from app.export.loadfiles import read_dat
from test_ocr import write_scans
from test_office_documents import write_docx


def _export(cli, case_path, tmp_path, *items):
    out = tmp_path / "out" / "bundle.pdf"
    out.parent.mkdir()
    args = [a for item in items for a in ("--item", item)]
    code, _said, err = cli("export", case_path, out, *args, "--loadfile", "--quiet")
    assert code == 0, err
    pdf = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    texts = " ".join(p.read_text(encoding="utf-8") for p in (out.parent / "bundle_TEXT").iterdir())
    return out, pdf, texts


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is installed by .ci/run")
def test_a_redacted_scan_produces_no_ocr_text(tmp_path, case_path, cli):
    image, _pdf = write_scans(tmp_path / "scans")
    cli("import", case_path, image, "--quiet")
    # the scan's third line ("Contoso stop harvesting outputs.") lies 250-300 px above its foot
    code, _said, err = cli(
        "redact", case_path, "--item", 1, "--page", 1, "--box", "40,230,1220,320", "--reason", "confidential"
    )
    assert code == 0, err
    _out, pdf, texts = _export(cli, case_path, tmp_path, 1)
    assert "harvesting" not in pdf and "harvesting" not in texts
    assert "OCR text not produced: this item has redactions." in pdf


def test_a_redacted_office_document_has_no_native_in_the_production(tmp_path, case_path, cli):
    path = tmp_path / "memo.docx"
    write_docx(path)
    cli("import", case_path, path, "--quiet")
    code, _said, err = cli("redact", case_path, "--match", "acct-harvest", "--item", 1, "--reason", "confidential")
    assert code == 0, err
    out, pdf, texts = _export(cli, case_path, tmp_path, 1)
    assert "acct-harvest" not in pdf and "acct-harvest" not in texts
    assert not any(doc["NATIVELINK"] for doc in read_dat(out.parent / "bundle.dat"))
    assert not any((out.parent / "bundle_NATIVES").iterdir())
