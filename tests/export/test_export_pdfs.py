"""Merged PDFs that are not plain: rotated pages, an encrypted file, a damaged one."""

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight, Link, Text
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NullObject, TextStringObject

from app.core.cancel import run_to_end
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from export_builders import import_paths, write_pdf


def _rotated_and_encrypted(tmp_path):
    write_pdf(tmp_path / "plain.pdf", [("Rotated scan page", False)])
    rotated = PdfWriter(clone_from=str(tmp_path / "plain.pdf"))
    rotated.pages[0].rotate(90)
    rotated.write(str(tmp_path / "rotated.pdf"))
    write_pdf(tmp_path / "secret-src.pdf", [("Encrypted but openable", False)])
    locked = PdfWriter(clone_from=str(tmp_path / "secret-src.pdf"))
    locked.encrypt(user_password="", owner_password="owner")
    locked.write(str(tmp_path / "secret.pdf"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage, no xref\n")
    return [tmp_path / "rotated.pdf", tmp_path / "secret.pdf", tmp_path / "broken.pdf"]


def test_rotated_encrypted_and_damaged_pdfs(case, tmp_path):
    import_paths(case, _rotated_and_encrypted(tmp_path))
    result = run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(kinds=["document"]), ExportSettings()))
    reader = PdfReader(str(tmp_path / "b.pdf"))
    texts = [page.extract_text() for page in reader.pages]
    rotated = [i for i, t in enumerate(texts) if "Rotated scan page" in t]
    assert rotated and reader.pages[rotated[0]].rotation == 90
    assert f"CF{rotated[0] + 1:07d}" in texts[rotated[0]]
    assert any("Encrypted but openable" in t for t in texts)
    assert len(reader.pages) == result.pages and result.exhibits == 3
    for index, text in enumerate(texts):
        assert f"Page {index + 1} of {len(texts)}" in text


def _annotated_letter(path):
    """A one-page letter with a reviewer's note, a highlight, a web link and a JavaScript link."""
    write_pdf(path, [("Dear Sir, clause 4 was breached.", False)])
    letter = PdfWriter(clone_from=str(path))
    note = Text(text="Reviewer: see clause 4", rect=(400, 700, 420, 720))
    note[NameObject("/Popup")] = NullObject()  # a dangling popup: must not be carried
    letter.add_annotation(0, note)
    letter.add_annotation(
        0,
        Highlight(
            rect=(72, 740, 300, 760),
            quad_points=ArrayObject(FloatObject(v) for v in (72, 760, 300, 760, 72, 740, 300, 740)),
        ),
    )
    letter.add_annotation(0, Link(rect=(72, 600, 200, 620), url="https://harvest.example/steal"))
    script = Link(rect=(72, 560, 200, 580), url="https://x.example")
    script[NameObject("/A")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    letter.add_annotation(0, script)
    letter.write(str(path))
    return path


def test_a_merged_letter_keeps_its_notes_and_highlights_but_nothing_that_acts(case, tmp_path):
    import_paths(case, [_annotated_letter(tmp_path / "letter.pdf")])
    run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(kinds=["document"]), ExportSettings()))
    reader = PdfReader(str(tmp_path / "b.pdf"))
    page = next(p for p in reader.pages if "clause 4 was breached" in p.extract_text())
    annotations = [a.get_object() for a in page["/Annots"]]
    assert sorted(a["/Subtype"] for a in annotations) == ["/Highlight", "/Text"]  # the links are not carried
    note = next(a for a in annotations if a["/Subtype"] == "/Text")
    assert note["/Contents"] == "Reviewer: see clause 4"
    assert not any(key in a for a in annotations for key in ("/A", "/AA", "/P", "/Popup"))
    # the page's content is shrunk towards its top to free the stamp band; the highlight moves with it
    height = float(page.cropbox.height)
    scale = (height - 44) / height
    highlight = next(a for a in annotations if a["/Subtype"] == "/Highlight")
    top_left = (scale * 72 + float(page.cropbox.width) / 2 * (1 - scale), scale * 760 + height * (1 - scale))
    assert [round(float(v), 1) for v in highlight["/QuadPoints"][:2]] == [round(v, 1) for v in top_left]
    assert float(highlight["/Rect"][1]) > 44  # above the band the stamp is drawn in
