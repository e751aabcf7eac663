"""Scanned pages read by OCR (Tesseract, installed by .ci/run): a page rendered by the test
from known text, with no text layer, as an image and as a PDF. The words are found and
searchable; the OCR text is a layer marked as such, never the item's own text; without
Tesseract the import succeeds and says how to install it; OCR runs later on imported items
(CLI and GUI); verify finds an OCR layer forged outside the application."""

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from app.core.paths import resources_dir
from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter, get_item, iter_items
from app.store.ocr_layers import layer_of

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is installed by .ci/run")

LINES = ["NOTICE OF BREACH", "Northwind Labs demands that", "Contoso stop harvesting outputs."]


def scanned_page() -> Image.Image:
    """A white page with the known lines drawn as pixels: a scan, with no text layer."""
    page = Image.new("L", (1240, 600), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(resources_dir() / "fonts" / "DejaVuSans.ttf"), 44)
    for number, line in enumerate(LINES):
        draw.text((80, 80 + number * 110), line, font=font, fill=0)
    return page


def write_scans(folder):
    folder.mkdir(exist_ok=True)
    image, pdf = folder / "letter.png", folder / "letter-scan.pdf"
    scanned_page().save(image)
    scanned_page().convert("RGB").save(pdf, "PDF", resolution=150)
    return image, pdf


def _search(case_path, query):
    with CaseFile.open(case_path) as case:
        return {row["id"] for row in iter_items(case.conn, ItemFilter(search=query))}


def _table_search(case_path, query):
    from app.store import item_pages

    with CaseFile.open(case_path) as case:
        window = item_pages.Window(ItemFilter(search=query))
        return {row["id"] for row in item_pages.page(case.conn, window, None, 100)}


def test_a_scanned_image_and_pdf_get_ocr_text_that_is_searchable(tmp_path, case_path, cli):
    image, pdf = write_scans(tmp_path / "scans")
    code, out, err = cli("import", case_path, image, pdf, "--quiet")
    assert code == 0, err
    assert "OCR text added to 2 scanned page file(s)" in out
    with CaseFile.open(case_path) as case:
        for item_id in (1, 2):
            item, layer = get_item(case.conn, item_id), layer_of(case.conn, item_id)
            assert item["text"] in ("", "\f", None) or not item["text"].strip()  # the item's own text untouched
            assert "harvesting" in layer.text and "Northwind" in layer.text
            assert layer.confidence > 60 and layer.label().startswith("OCR text (Tesseract")
            assert layer.pages[0]["page"] == 1
    assert _search(case_path, "harvesting") == {1, 2}
    assert _search(case_path, "Northwind AND Contoso") == {1, 2}
    assert _table_search(case_path, "harvesting") == {1, 2}  # the review table pages searches its own way
    code, out, _ = cli("verify", case_path)
    assert code == 0, out


def test_without_tesseract_the_import_succeeds_and_says_how_to_install_it(tmp_path, case_path, cli, monkeypatch):
    image, pdf = write_scans(tmp_path / "scans")
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "tesseract" else real_which(name))
    code, out, err = cli("import", case_path, image, pdf, "--quiet")
    assert code == 0, err
    assert "read 1, imported 1" in out and "Tesseract is not installed" in out and "apt install tesseract-ocr" in out
    with CaseFile.open(case_path) as case:
        warnings = get_item(case.conn, 1)["warnings"] + get_item(case.conn, 2)["warnings"]
    assert sum("Tesseract is not installed" in w for w in warnings) == 2
    assert _search(case_path, "harvesting") == set()
    code, out, err = cli("ocr", case_path)
    assert code == 1 and "Tesseract is not installed" in err
    monkeypatch.undo()
    # Installed later: OCR runs on the items already imported
    code, out, err = cli("ocr", case_path, "--quiet")
    assert code == 0, err
    assert "OCR text added to 2 item(s)" in out
    assert _search(case_path, "harvesting") == {1, 2}
    code, out, _ = cli("ocr", case_path, "--quiet")
    assert "No scanned PDFs or images need OCR text." in out
    code, out, _ = cli("verify", case_path)
    assert code == 0, out


def test_verify_finds_ocr_text_forged_outside_the_application(tmp_path, case_path, cli):
    image, _pdf = write_scans(tmp_path / "scans")
    cli("import", case_path, image, "--quiet")
    import sqlite3

    conn = sqlite3.connect(case_path)
    conn.execute("UPDATE ocr_text SET text = 'Contoso never harvested anything.' WHERE item_id = 1")
    conn.commit()
    conn.close()
    code, out, _ = cli("verify", case_path)
    assert code == 1 and "ocr_text" in out and "changed outside the application" in out


def test_cancel_leaves_no_ocr_text(tmp_path, case_path, cli, monkeypatch):
    from app.core.cancel import CancelToken, Cancelled
    from app.importers.ocr import ocr_operation

    image, pdf = write_scans(tmp_path / "scans")
    cli("import", case_path, image, pdf, "--quiet", "--no-ocr")
    token = CancelToken()
    with CaseFile.open(case_path, operator="tester") as case:
        steps = ocr_operation(case, token=token)
        next(steps)  # the first page has started
        token.cancel()
        with pytest.raises(Cancelled):
            for _ in steps:
                pass
        assert case.conn.execute("SELECT count(*) FROM ocr_text").fetchone()[0] == 0


def test_in_a_bundle_and_its_load_file_the_ocr_text_is_marked(tmp_path, case_path, cli):
    from pypdf import PdfReader

    image, pdf = write_scans(tmp_path / "scans")
    cli("import", case_path, image, pdf, "--quiet")
    out = tmp_path / "out" / "bundle.pdf"
    out.parent.mkdir()
    code, _said, err = cli("export", case_path, out, "--item", 1, "--item", 2, "--loadfile", "--quiet")
    assert code == 0, err
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert text.count("OCR text (Tesseract") == 2 and "not part of the original" in text
    assert "harvesting" in text
    texts = [p.read_text(encoding="utf-8") for p in (out.parent / "bundle_TEXT").iterdir()]
    assert sum("[OCR text (Tesseract" in t for t in texts) == 2
