"""One item that cannot be drawn never fails the bundle: its place says which item it
is (exhibit, item id, file) and why, and every other item is produced."""

import io

from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from app.core.cancel import run_to_end
from app.export import render_items
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from export_builders import import_paths, log_row, write_eml, write_log, write_pdf, write_png


def _pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())


def _truncated_png(path) -> None:
    """A PNG whose header is whole (so its size is known) but whose pixels stop half-way."""
    data = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(data, "PNG")
    path.write_bytes(data.getvalue()[: len(data.getvalue()) // 2])


def _item_id(case, title: str) -> int:
    return case.conn.execute("SELECT id FROM items WHERE title = ?", (title,)).fetchone()[0]


def test_an_image_that_cannot_be_decoded_gets_a_page_saying_so(case, tmp_path):
    _truncated_png(tmp_path / "broken.png")
    write_png(tmp_path / "good.png")
    write_log(tmp_path / "api.jsonl", [log_row("2026-03-01T10:00:00Z", "a prompt", "an answer")])
    import_paths(case, [tmp_path / "broken.png", tmp_path / "good.png", tmp_path / "api.jsonl"])
    broken = _item_id(case, "broken.png")
    assert case.conn.execute("SELECT warnings FROM items WHERE id = ?", (broken,)).fetchone()[0]  # imported, warned

    result = run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings()))
    assert result.exhibits == 3
    text = _pdf_text(tmp_path / "b.pdf")
    label = case.conn.execute("SELECT label FROM production_exhibits WHERE item_ids = ?", (f"[{broken}]",)).fetchone()[
        0
    ]
    assert f"This item could not be drawn Exhibit {label} Item {broken} (image) File broken.png" in text
    assert "Reason The image cannot be decoded (image file is truncated" in text
    assert "identity=" not in text and "ImageReader" not in text
    assert "an answer" in text  # the rest of the bundle is produced


def test_any_item_the_renderer_fails_on_gets_a_page_saying_so(case, tmp_path, monkeypatch):
    write_eml(tmp_path / "a.eml", "First message", "Mon, 02 Mar 2026 10:00:00 +0000", "Body one")
    write_eml(tmp_path / "b.eml", "Second message", "Tue, 03 Mar 2026 10:00:00 +0000", "Body two")
    import_paths(case, [tmp_path / "a.eml", tmp_path / "b.eml"])
    drawn = render_items.draw_email

    def failing(writer, item, *args):
        if item["title"] == "First message":
            raise KeyError("date_received")  # as an unforeseen field shape would
        drawn(writer, item, *args)

    monkeypatch.setattr(render_items, "draw_email", failing)

    run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings()))
    text = _pdf_text(tmp_path / "b.pdf")
    first = _item_id(case, "First message")
    assert f"This item could not be drawn Exhibit PX-0001 Item {first} (email) File a.eml" in text
    assert "Reason It could not be drawn ('date_received')" in text
    assert "Body two" in text


def test_a_log_row_that_cannot_be_drawn_says_so_in_its_own_cells(case, tmp_path, monkeypatch):
    write_log(
        tmp_path / "api.jsonl",
        [log_row("2026-03-01T10:00:00Z", "poison", "r1"), log_row("2026-03-01T11:00:00Z", "fine prompt", "r2")],
    )
    import_paths(case, [tmp_path / "api.jsonl"])
    mapped = render_items.apply_mapping

    def failing(fields, mapping):
        if fields.get("prompt") == "poison":
            raise ValueError("a field of an unexpected shape")
        return mapped(fields, mapping)

    monkeypatch.setattr(render_items, "apply_mapping", failing)

    run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings()))
    text = _pdf_text(tmp_path / "b.pdf").replace("- ", "-")
    assert "This row could not be drawn" in text and "fine prompt" in text and "r2" in text


def _pdf_with(path, old: bytes, new: bytes) -> None:
    """A two-page PDF (uncompressed, so its dictionaries can be edited) with one edit."""
    canvas = Canvas(str(path), pageCompression=0)
    for number in (1, 2):
        canvas.drawString(72, 700, f"Merged page {number}")
        canvas.showPage()
    canvas.save()
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


def test_a_pdf_whose_pages_cannot_be_stamped_has_its_text_drawn_instead(case, tmp_path):
    _pdf_with(tmp_path / "box.pdf", b"/MediaBox [ 0 0 595.2756 841.8898 ]", b"/MediaBox [ 0 0 abc ]")
    _pdf_with(tmp_path / "turned.pdf", b"/Rotate 0", b"/Rotate 45")
    write_pdf(tmp_path / "fine.pdf", [("A sound merged page", False)])
    import_paths(case, [tmp_path / "box.pdf", tmp_path / "turned.pdf", tmp_path / "fine.pdf"])

    result = run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings()))
    assert result.exhibits == 3
    text = _pdf_text(tmp_path / "b.pdf")
    assert text.count("The original PDF could not be merged (damaged or locked); its extracted text follows") == 2
    assert "A sound merged page" in text
