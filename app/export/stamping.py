"""Stamping pages with pypdf by appending a small content stream (no overlay merge).

Merging an overlay page costs ~4x more than wrapping the page's own content in
`q ... Q` and appending a stream that draws the stamp. The stamp is drawn in the
page's displayed orientation (a /Rotate'd landscape page gets its Bates number at
the bottom right as the reader sees it). Pages we did not draw (merged PDFs) are
shrunk slightly towards their top so the stamp band never covers their content.
"""

from dataclasses import dataclass

from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
)
from reportlab.pdfbase.pdfmetrics import stringWidth

FONT = "/CFStamp"
FONT_BOLD = "/CFStampBold"
BAND = 44.0  # points at the bottom kept for the stamp
EDGE = 22.0


@dataclass
class Stamp:
    bates: str
    page_text: str  # "Page N of M"
    exhibit: str = ""  # "Exhibit PX-0001"
    legend: str = ""  # CONFIDENTIAL / HIGHLY CONFIDENTIAL - ATTORNEYS' EYES ONLY


def pdf_text(text: str) -> str:
    """A PDF literal string for a standard (WinAnsi) font."""
    safe = text.encode("cp1252", "replace").decode("cp1252")
    return "(" + safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


class Stamper:
    """Stamps pages as they are copied into a StreamingPdfWriter; fonts and `q` are shared."""

    def __init__(self, writer):
        self.writer = writer
        self.fonts = {
            NameObject(name): self._add(_font(base))
            for name, base in ((FONT, "/Helvetica"), (FONT_BOLD, "/Helvetica-Bold"))
        }
        self.open_q = self._add(_stream(b"q\n"))

    def _add(self, obj) -> IndirectObject:
        number = self.writer.allocate()
        self.writer.write_object(number, obj)
        return IndirectObject(number, 0, None)

    def page_entries(self, page, copier, stamp: Stamp, shrink: tuple[float, float, float] | None) -> dict:
        """/Contents and /Resources of the stamped copy of a page: its own content wrapped
        in q ... Q (drawn with the `shrink_matrix` given, if any), then the stamp over it."""
        box = page.cropbox
        rotation = page.rotation % 360
        width, _height = _display_size(box, rotation)
        prefix = self.open_q
        if shrink:
            scale, dx, dy = shrink
            prefix = self._add(_stream(f"q\n{scale:.5f} 0 0 {scale:.5f} {dx:.3f} {dy:.3f} cm\n".encode()))
        ops = "\nQ\n" + _stamp_ops(stamp, box, rotation, width)
        tail = self._add(_stream(ops.encode("cp1252", "replace")))
        parts = ArrayObject([prefix])
        contents = page.get("/Contents")
        if contents is not None:
            copied = copier.copy(contents)
            if isinstance(copied, ArrayObject):
                parts.extend(copied)
            elif isinstance(copied, IndirectObject):
                parts.append(copied)
            else:
                parts.append(self._add(copied))
        parts.append(tail)
        return {NameObject("/Contents"): parts, NameObject("/Resources"): self._resources(page, copier)}

    def _resources(self, page, copier) -> DictionaryObject:
        source = page.get("/Resources")
        source = source.get_object() if source is not None else DictionaryObject()
        resources = DictionaryObject()
        for key, value in source.items():
            if key != "/Font":
                resources[NameObject(key)] = copier.copy(value)
        fonts = source.get("/Font")
        font_dict = copier.copy(fonts.get_object()) if fonts is not None else DictionaryObject()
        font_dict.update(self.fonts)
        resources[NameObject("/Font")] = font_dict
        return resources


def _font(base: str) -> DictionaryObject:
    font = DictionaryObject()
    font.update(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(base),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    return font


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _display_size(box: RectangleObject, rotation: int) -> tuple[float, float]:
    w, h = float(box.width), float(box.height)
    return (h, w) if rotation in (90, 270) else (w, h)


def display_matrix(box: RectangleObject, rotation: int) -> tuple[float, ...]:
    """The cm matrix from displayed coordinates (origin bottom left as seen) to user space."""
    x0, y0 = float(box.left), float(box.bottom)
    w, h = float(box.width), float(box.height)
    return {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x0 + w, y0),
        180: (-1, 0, 0, -1, x0 + w, y0 + h),
        270: (0, -1, 1, 0, x0, y0 + h),
    }[rotation]


def _to_user(matrix, u: float, v: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * u + c * v + e, b * u + d * v + f


def shrink_matrix(page) -> tuple[float, float, float]:
    """(scale, dx, dy): the page's own content scaled about its displayed top centre, so
    the stamp band is free (x' = scale * x + dx, y' = scale * y + dy)."""
    box, rotation = page.cropbox, page.rotation % 360
    width, height = _display_size(box, rotation)
    scale = (height - BAND) / height
    px, py = _to_user(display_matrix(box, rotation), width / 2, height)
    return scale, px * (1 - scale), py * (1 - scale)


def _stamp_ops(stamp: Stamp, box, rotation: int, width: float) -> str:
    a, b, c, d, e, f = display_matrix(box, rotation)
    ops = [f"q {a} {b} {c} {d} {e:.3f} {f:.3f} cm 0 0 0 rg BT"]
    bates_width = stringWidth(stamp.bates, "Helvetica-Bold", 10)
    ops.append(_text(FONT_BOLD, 10, width - EDGE - bates_width, 14, stamp.bates))
    page_width = stringWidth(stamp.page_text, "Helvetica", 8)
    ops.append(_text(FONT, 8, (width - page_width) / 2, 14, stamp.page_text))
    if stamp.exhibit:
        ops.append(_text(FONT, 8, EDGE, 14, stamp.exhibit))
    if stamp.legend:
        legend_width = stringWidth(stamp.legend, "Helvetica-Bold", 8)
        ops.append(_text(FONT_BOLD, 8, (width - legend_width) / 2, 26, stamp.legend))
    ops.append("ET Q\n")
    return "\n".join(ops)


def _text(font: str, size: float, x: float, y: float, text: str) -> str:
    return f"{font} {size} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm {pdf_text(text)} Tj"
