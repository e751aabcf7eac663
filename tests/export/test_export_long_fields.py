"""Very long fields: wrapping work grows with the length of a field, not its square, and
only the first pages' worth is drawn; the page says how much is left out and where the
full record is."""

import re

import pytest
from pypdf import PdfReader

from app.core.cancel import run_to_end
from app.export import fonts
from app.export.bundle import ExportSettings, export_bundle
from app.export.layout import FIELD_LINES
from app.export.selection import Selection
from export_builders import import_paths, log_row, write_log

TEXTS = {
    "solid": "QmFzZTY0IGRhdGEgd2l0aG91dCBhbnkgc3BhY2VzIGF0IGFsbA",  # base64: no spaces at all
    "words": "the model answered with a long chain of reasoning about keys ",
    "accented": "naïve café résumé über straße façade ",
    "cjk": "每三天更换一次密钥注册推理公司的账户",
}


def _measured(monkeypatch, text: str, font: str) -> int:
    """Characters measured (font widths looked up) to wrap the text into a log cell, uncapped."""
    measured = 0
    width = fonts.width

    def counting(part, *args):
        nonlocal measured
        measured += len(part)
        return width(part, *args)

    monkeypatch.setattr(fonts, "width", counting)
    fonts.wrap(text, font, 7.5, 130)
    monkeypatch.setattr(fonts, "width", width)
    return measured


@pytest.mark.parametrize("kind", sorted(TEXTS))
@pytest.mark.parametrize("font", [fonts.SANS, fonts.MONO])
def test_wrapping_work_grows_linearly_with_the_field(monkeypatch, kind, font):
    fonts.register_fonts()
    field = TEXTS[kind] * 800
    small, large = _measured(monkeypatch, field, font), _measured(monkeypatch, field * 4, font)
    assert large <= 4.4 * small, (small, large)  # quadratic work would be 16x


def test_a_capped_field_says_exactly_how_much_is_left_out():
    text = "\t" + "x" * 5000 + "\n" + "y" * 5000  # a tab is drawn as four spaces: counted once
    lines, left_out = fonts.wrap_capped(text, fonts.MONO, 7.5, 130, 10)
    assert len(lines) == 10
    assert left_out == len(text) - 1 - sum(line.count("x") for line in lines)  # the tab and the x's drawn
    assert fonts.wrap_capped(text, fonts.MONO, 7.5, 130, None)[1] == 0


def _pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(str(path)).pages).split())


def test_a_megabyte_field_is_exported_with_what_is_left_out_stated(case, tmp_path):
    prompt = (TEXTS["solid"] * 20_000)[:1_000_000]
    rows = [log_row(f"2026-03-01T09:{n:02d}:00Z", f"short prompt {n}", "ok") for n in range(30)]
    rows.append(log_row("2026-03-01T10:00:00Z", prompt, "the answer"))
    write_log(tmp_path / "api.jsonl", rows)
    import_paths(case, [tmp_path / "api.jsonl"])
    result = run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings()))
    text = _pdf_text(tmp_path / "b.pdf")
    stated = re.search(
        r"The remaining ([\d,]+) characters of this field are not printed\. The full record is "
        r"item (\d+) in the case file, from api\.jsonl, line 31",
        text,
    )
    assert stated, text[-3000:]
    left_out = int(stated.group(1).replace(",", ""))
    assert 900_000 < left_out < 1_000_000
    assert int(stated.group(2)) == case.conn.execute("SELECT max(id) FROM items").fetchone()[0]
    assert result.pages < 40  # the first pages' worth, not 400 pages
    assert "the answer" in text  # the row's other fields are drawn in full


def test_a_long_email_body_and_a_long_document_are_capped(case, tmp_path):
    from export_builders import write_eml

    write_eml(
        tmp_path / "long.eml",
        "Long thread",
        "Mon, 02 Mar 2026 10:00:00 +0000",
        "A line of the quoted thread that goes on.\n" * 20_000,
    )
    (tmp_path / "pages.txt").write_text("\f".join(f"Page {n} of the notes" for n in range(3000)))
    import_paths(case, [tmp_path / "long.eml", tmp_path / "pages.txt"])
    result = run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings()))
    text = _pdf_text(tmp_path / "b.pdf")
    assert len(re.findall(r"The remaining [\d,]+ characters of this field are not printed", text)) == 2
    assert "Page 23 of the notes" in text and "Page 30 of the notes" not in text
    assert result.pages < 2 * FIELD_LINES // 40
