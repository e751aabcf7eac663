"""PDF documents: pages, text, dates, orientation; encrypted, truncated and active PDFs."""

import hashlib

from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from app.importers.registry import choose_importer
from app.store.item_query import item_bytes
from outputs_helpers import import_one, items_of, search_ids, verify_ok


def make_pdf(path, encrypt=None, rotate_last: int = 0):
    """Three pages: portrait, landscape, and portrait turned by /Rotate (if asked)."""
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    pdf.setTitle("Terms of Service")
    pdf.drawString(72, 760, "Clause 4: no distillation of Orion outputs")
    pdf.showPage()
    pdf.setPageSize(landscape(A4))
    pdf.drawString(72, 500, "Schedule of harvested prompts")
    pdf.showPage()
    pdf.setPageSize(A4)
    pdf.drawString(72, 760, "Signature page")
    pdf.showPage()
    pdf.save()
    if rotate_last:
        writer = PdfWriter(clone_from=str(path))
        writer.pages[2].rotate(rotate_last)
        writer.write(str(path))
    return path


def test_pdf_pages_text_orientation_and_date(case, tmp_path):
    path = make_pdf(tmp_path / "terms.pdf", rotate_last=90)
    report = import_one(case, path)
    (item,) = items_of(case, report.source_id)
    fields = item["fields"]
    assert (report.importer, item["kind"], fields["page_count"]) == ("pdf", "document", 3)
    assert [p["landscape"] for p in fields["pages"]] == [False, True, True]  # the /Rotate honoured
    assert fields["pages"][2]["rotation"] == 90
    assert item["text"].count("\f") == 2 and "Schedule of harvested prompts" in item["text"].split("\f")[1]
    assert fields["metadata"]["Title"] == "Terms of Service"
    stated = PdfReader(path).metadata.creation_date_raw
    assert item["ts_original"] == stated and item["ts_assumed"] == 0  # reportlab writes an offset
    assert search_ids(case, "distillation") == {item["id"]}
    assert item["warnings"] == []
    assert item_bytes(case.conn, item["id"]) == path.read_bytes()
    verify_ok(case)


def test_encrypted_pdf_without_password_is_kept_with_a_warning(case, tmp_path):
    path = make_pdf(tmp_path / "sealed.pdf", encrypt=pdfencrypt.StandardEncryption("user-secret", "owner-secret"))
    report = import_one(case, path)
    (item,) = items_of(case, report.source_id)
    assert item["fields"]["encrypted"] is True and item["fields"]["page_count"] is None
    assert any("encrypted and no password" in w for w in item["warnings"])
    assert item["ts_note"] == "file modification time used" and item["ts_assumed"] == 1
    assert item["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    verify_ok(case)


def test_truncated_pdf_is_kept_hashed_with_the_reason(case, tmp_path):
    whole = make_pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    assert choose_importer(path.read_bytes()[:65536], path.name).name == "pdf"
    report = import_one(case, path)
    (item,) = items_of(case, report.source_id)
    assert (report.read, report.imported) == (1, 1)
    assert any("damaged" in w for w in item["warnings"])
    assert item_bytes(case.conn, item["id"]) == path.read_bytes()
    verify_ok(case)


def test_javascript_and_embedded_files_are_named_never_run(case, tmp_path):
    path = make_pdf(tmp_path / "active.pdf")
    writer = PdfWriter(clone_from=str(path))
    writer.add_open_action(JavaScript("app.launchURL('https://example.invalid/steal');"))
    writer.add_attachment("dropper.exe", b"MZ not really")
    writer.write(str(path))
    (item,) = items_of(case, import_one(case, path).source_id)
    assert item["fields"]["embedded_files"] == ["dropper.exe"]
    assert item["fields"]["active_content"] == ["document-level JavaScript"]
    assert any("active content" in w and "not run" in w for w in item["warnings"])
    assert any("dropper.exe" in w for w in item["warnings"])
    assert item["fields"]["page_count"] == 3


def test_not_a_pdf_named_pdf_is_kept(case, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"\x00\x01 this is no PDF at all" * 10)
    report = import_one(case, path, as_kind="document")
    (item,) = items_of(case, report.source_id)
    assert item["kind"] == "document" and any("could not be read" in w for w in item["warnings"])
    verify_ok(case)


def test_creation_date_without_offset_takes_the_import_zone(case, tmp_path):
    path = make_pdf(tmp_path / "naive.pdf")
    writer = PdfWriter(clone_from=str(path))
    writer.add_metadata({"/CreationDate": "D:20250301120000", "/ModDate": "D:20250302120000Z"})
    writer.write(str(path))
    (item,) = items_of(case, import_one(case, path, timezone="America/New_York").source_id)
    assert (item["ts_original"], item["ts_utc"]) == ("D:20250301120000", "2025-03-01T17:00:00.000000Z")
    assert (item["ts_zone"], item["ts_assumed"], item["ts_note"]) == ("America/New_York", 1, "PDF CreationDate")


def test_launch_open_action_is_named(case, tmp_path):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    path = make_pdf(tmp_path / "launcher.pdf")
    writer = PdfWriter(clone_from=str(path))
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    writer.write(str(path))
    (item,) = items_of(case, import_one(case, path).source_id)
    assert item["fields"]["open_action"] == "/Launch"
    assert item["fields"]["active_content"] == ["an action run when the document opens (/Launch)"]
    assert item["fields"]["page_count"] == 3
