"""Merged PDFs that are not plain: rotated pages, an encrypted file, a damaged one."""

from pypdf import PdfReader, PdfWriter

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
