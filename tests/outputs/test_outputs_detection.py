"""`casefile import` on a folder: each kind detected from its content, whatever its name."""

import io
import json

from PIL import Image
from reportlab.pdfgen import canvas

from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter, count_items


def test_folder_of_misnamed_files_is_detected_by_content(cli, case_path, tmp_path):
    folder = tmp_path / "evidence"
    folder.mkdir()
    pdf = canvas.Canvas(str(folder / "letter.bin"))
    pdf.drawString(72, 700, "Cease and desist")
    pdf.save()
    shot = io.BytesIO()
    Image.new("RGB", (64, 32), "white").save(shot, format="WEBP")
    (folder / "screenshot.dat").write_bytes(shot.getvalue())
    (folder / "chats.txt").write_text(
        json.dumps(
            {
                "messages": [
                    {"role": "user", "content": "Who made you?"},
                    {"role": "assistant", "content": "Northwind did"},
                ]
            }
        )
        + "\n"
    )
    (folder / "notes.md").write_text("# Notes\n\nDate: 2 March 2025\n\nCall with counsel.\n")
    code, out, err = cli("import", case_path, folder, "--quiet")
    assert code == 0, err
    with CaseFile.open(case_path) as reopened:
        kinds = {kind: count_items(reopened.conn, ItemFilter(kinds=[kind])) for kind in ("output", "document", "image")}
    assert kinds == {"output": 1, "document": 2, "image": 1}
    code, out, _err = cli("verify", case_path)
    assert code == 0, out
