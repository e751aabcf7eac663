"""Burning redactions into a PDF before it is merged into a bundle.

A page with a redaction is rendered to an image by PDFium (pypdfium2, Apache-2.0/BSD),
the boxes are painted black into its pixels, and a new page is made of that image alone
with a text layer rebuilt from the characters PDFium finds outside every box (drawn
invisibly, so the page can still be searched and copied from) and each box's label.
Nothing of the original page's objects is carried over: no font, no content stream, no
annotation. A redacted string anywhere in the page's text layer is located there by
PDFium's character boxes and boxed like a drawn rectangle.

Pages of a redacted document without a redaction keep their content and resources
only; the document's metadata, outline, annotations, attachments and form fields are
not carried (the new file is made from pages alone).
"""

import ctypes
import io
import re
from dataclasses import dataclass, field

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from app.export import fonts
from app.export.redaction_marks import flexible, label_box

DPI = 200
PAD = 1.0  # points around a located string's characters
KEPT_KEYS = ("/Type", "/Parent", "/Resources", "/Contents", "/MediaBox", "/CropBox", "/Rotate")


@dataclass
class RedactedPdf:
    data: bytes
    text: str  # the redacted document's text layer, page by page (form feeds between)
    boxes: list[tuple[int, int]] = field(default_factory=list)  # (0-based page, redaction id) of each box burned in


def redact_pdf(data: bytes, boxes: dict, strings: list[tuple[str, str, int]]) -> RedactedPdf:
    """boxes: {0-based page: [((x0, y0, x1, y1) from the page's lower left, label, redaction id)]};
    strings: [(redacted text, label, redaction id)]."""
    fonts.register_fonts()
    document = pypdfium2.PdfDocument(data)
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter()
    texts, burned = [], []
    patterns = [(re.compile(flexible(s)), lab, rid) for s, lab, rid in strings if s.split()]
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                left, bottom, right, top = page.get_cropbox()
                chars = page_chars(textpage)
                page_boxes = [
                    ((x0 + left, y0 + bottom, x1 + left, y1 + bottom), lab, rid)
                    for (x0, y0, x1, y1), lab, rid in boxes.get(index, [])
                ]
                page_boxes += locate(chars, patterns)
                if not page_boxes:
                    _copy_clean(writer, reader.pages[index])
                    texts.append("".join(c.char for c in chars))
                    continue
                rotation = page.get_rotation()
                burned += [(index, rid) for _box, _lab, rid in page_boxes]
                rebuilt, text = _rebuilt_page(page, chars, page_boxes, (left, bottom, right, top))
                texts.append(text)
                new = PdfReader(io.BytesIO(rebuilt)).pages[0]
                added = writer.add_page(new)
                if rotation:
                    added[NameObject("/Rotate")] = NumberObject(rotation)
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    out = io.BytesIO()
    writer.write(out)
    return RedactedPdf(out.getvalue(), "\f".join(texts), burned)


@dataclass
class _Char:
    char: str
    box: tuple[float, float, float, float]  # left, bottom, right, top
    origin: tuple[float, float]
    size: float
    generated: bool


def page_chars(textpage) -> list[_Char]:
    count = textpage.count_chars()
    x, y = ctypes.c_double(), ctypes.c_double()
    out = []
    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
        try:
            box = textpage.get_charbox(index)
        except pypdfium2.PdfiumError:
            box = (x.value, y.value, x.value, y.value)
        out.append(
            _Char(
                chr(code) if 0 < code < 0x110000 else "\ufffd",
                tuple(box),
                (x.value, y.value),
                pdfium_c.FPDFText_GetFontSize(textpage.raw, index),
                bool(pdfium_c.FPDFText_IsGenerated(textpage.raw, index)),
            )
        )
    return out


def locate(chars: list[_Char], patterns) -> list:
    """Boxes over every occurrence of a redacted string in the page's text layer, one per line it spans."""
    if not patterns or not chars:
        return []
    text = "".join(c.char for c in chars)
    found = []
    for regex, lab, rid in patterns:
        for match in regex.finditer(text):
            line: list[float] | None = None
            for c in chars[match.start() : match.end()]:
                if c.char.isspace() or c.box[2] <= c.box[0]:
                    continue
                x0, y0, x1, y1 = c.box
                if line and y0 < line[3] and y1 > line[1]:  # the same line: grow the box
                    line = [min(line[0], x0), min(line[1], y0), max(line[2], x1), max(line[3], y1)]
                else:
                    if line:
                        found.append((_padded(line, c.size), lab, rid))
                    line = [x0, y0, x1, y1]
            if line:
                found.append((_padded(line, chars[match.start()].size), lab, rid))
    return found


def _padded(box, size: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = box
    grow = max(PAD, (size or 0) * 0.25)
    return (x0 - PAD, y0 - grow, x1 + PAD, y1 + grow)


def _overlaps(box, boxes) -> bool:
    """Whether a character's box touches any redaction box (touching is enough to leave it out)."""
    x0, y0, x1, y1 = box
    return any(x0 < bx1 and x1 > bx0 and y0 < by1 and y1 > by0 for (bx0, by0, bx1, by1), _lab, _rid in boxes)


def _copy_clean(writer: PdfWriter, page) -> None:
    """A page without redactions: its content and resources only (no annotations, no actions)."""
    added = writer.add_page(page)
    for key in list(added.keys()):
        if key not in KEPT_KEYS:
            del added[key]


def _rebuilt_page(page, chars: list[_Char], boxes, crop) -> tuple[bytes, str]:
    left, bottom, right, top = crop
    width, height = right - left, top - bottom
    page.set_rotation(0)  # drawn as stored; the new page gets the same /Rotate
    scale = DPI / 72
    image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
    paint = ImageDraw.Draw(image)
    for (x0, y0, x1, y1), _lab, _rid in boxes:
        paint.rectangle(
            [(x0 - left) * scale, (top - y1) * scale, (x1 - left) * scale, (top - y0) * scale], fill=(0, 0, 0)
        )
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1)
    canvas.drawImage(ImageReader(image), 0, 0, width, height)
    kept = [c for c in chars if not c.generated and not _overlaps(c.box, boxes)]
    text = _text_layer(canvas, kept, left, bottom)
    for (x0, y0, x1, y1), lab, _rid in boxes:
        label_box(canvas, x0 - left, y0 - bottom, x1 - x0, y1 - y0, lab)
    canvas.showPage()
    canvas.save()
    labels = " ".join(f"[{lab}]" for _box, lab, _rid in boxes)
    return out.getvalue(), f"{text}\n{labels}" if text else labels


def _text_layer(canvas, kept: list[_Char], left: float, bottom: float) -> str:
    """The kept characters as invisible text in runs along their lines; returns the page's text."""
    runs: list[list[_Char]] = []
    for c in kept:
        last = runs[-1][-1] if runs else None
        if (
            last is None
            or abs(c.origin[1] - last.origin[1]) > 0.5
            or abs(c.size - last.size) > 0.1
            or c.box[0] < last.box[0] - 0.5
            or c.box[0] - last.box[2] > max(c.size, 1) * 1.5
        ):
            runs.append([c])
        else:
            runs[-1].append(c)
    canvas.saveState()
    canvas._code.append("3 Tr")  # invisible: the picture shows the page, this text makes it searchable
    lines = []
    for run in runs:
        text = "".join(c.char for c in run)
        if not text.strip():
            continue
        size = run[0].size or max(1.0, run[0].box[3] - run[0].box[1])
        x, y = run[0].origin
        natural = fonts.width(text, fonts.SANS, size)
        actual = run[-1].box[2] - run[0].box[0]
        stretch = min(300.0, max(30.0, actual / natural * 100)) if natural > 0 and actual > 0 else 100.0
        canvas._code.append(f"{stretch:.1f} Tz")
        fonts.draw(canvas, x - left, y - bottom, text, fonts.SANS, size)
        if lines and abs(lines[-1][0] - y) <= 0.5:
            lines[-1][1].append(text)
        else:
            lines.append((y, [text]))
    canvas._code.append("100 Tz")
    canvas.restoreState()
    return "\n".join(" ".join(parts) for _y, parts in lines)
