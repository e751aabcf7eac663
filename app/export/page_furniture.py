"""Page furniture for documents drawn from case data (proof chart, chronology).

The same band as a bundle's stamp (app/export/stamping.py): the page's "Page N of M"
centred at the foot, the legend above it, and here the case on the left and the
document's own line (e.g. which production the cites come from) on the right. N of M
needs the page count, so pages are kept until the canvas is saved and the furniture is
drawn on each then (reportlab's usual numbered-canvas recipe).
"""

from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas

from app.export import fonts
from app.export.layout import GREY
from app.export.stamping import EDGE

WORK_PRODUCT = "PRIVILEGED & CONFIDENTIAL - ATTORNEY WORK PRODUCT"


@dataclass
class Furniture:
    left: str  # the case
    right: str  # what the document is and what it cites
    legend: str = WORK_PRODUCT


class FurnishedCanvas(Canvas):
    """A reportlab canvas that draws the furniture on every page when saved."""

    def __init__(self, path, furniture: Furniture, title: str, **kwargs):
        super().__init__(str(path), invariant=1, pageCompression=1, **kwargs)
        self.setTitle(title)
        self.furniture = furniture
        self._kept: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._kept)
        for number, state in enumerate(self._kept, start=1):
            self.__dict__.update(state)
            self._draw_furniture(number, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_furniture(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        page = f"Page {number} of {total}"
        self.setFillColorRGB(*GREY)
        fonts.draw(self, EDGE, 14, _fit(self.furniture.left, width / 2 - 80), fonts.SANS, 8)
        right = _fit(self.furniture.right, width / 2 - 80)
        fonts.draw(self, width - EDGE - fonts.width(right, fonts.SANS, 8), 14, right, fonts.SANS, 8)
        self.setFillColorRGB(0, 0, 0)
        fonts.draw(self, (width - fonts.width(page, fonts.SANS, 8)) / 2, 14, page, fonts.SANS, 8)
        if self.furniture.legend:
            legend_width = fonts.width(self.furniture.legend, fonts.BOLD, 8)
            fonts.draw(self, (width - legend_width) / 2, 26, self.furniture.legend, fonts.BOLD, 8)


def _fit(text: str, max_width: float) -> str:
    """One line of the footer, shortened with an ellipsis rather than running into the page number."""
    if fonts.width(text, fonts.SANS, 8) <= max_width:
        return text
    while text and fonts.width(text + "...", fonts.SANS, 8) > max_width:
        text = text[:-1]
    return text + "..."
