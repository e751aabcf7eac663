"""A page of a PDF or an image, on which the user draws a redaction box with the mouse.

Pages are rendered with PDFium (pypdfium2), the same engine the export burns
redactions in with. Coordinates go both ways between the widget's pixels and PDF
points from the page's lower left (an image: one point per pixel). Existing
redactions are drawn as red outlines when reviewing, and as solid black boxes with
their label in the export preview.
"""

import io

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

MIN_DRAG = 4  # pixels: a shorter drag is a click, not a box


def render_page(data: bytes, page: int, scale: float) -> tuple[QImage, tuple[float, float]]:
    """(picture, page size in points) of page `page` (1-based) of a PDF, or of an image."""
    if data[:1024].lstrip().startswith(b"%PDF"):
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            pdf_page = document[page - 1]
            size = pdf_page.get_size()
            picture = pdf_page.render(scale=scale).to_pil().convert("RGB")
            pdf_page.close()
        finally:
            document.close()
    else:
        with Image.open(io.BytesIO(data)) as opened:
            picture = opened.convert("RGB")
        size = (float(picture.width), float(picture.height))
        picture = picture.resize((max(1, int(picture.width * scale)), max(1, int(picture.height * scale))))
    raw = picture.tobytes("raw", "RGB")
    image = QImage(raw, picture.width, picture.height, picture.width * 3, QImage.Format.Format_RGB888).copy()
    return image, size


class PageView(QWidget):
    box_drawn = Signal(tuple)  # (x0, y0, x1, y1) in PDF points from the page's lower left

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("redactionPageView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(False)
        self.image = QImage()
        self.page_size = (1.0, 1.0)
        self.boxes: list[tuple[tuple[float, float, float, float], str]] = []  # (box in points, label)
        self.solid = False  # export preview: solid labelled boxes
        self._drag: tuple[QPointF, QPointF] | None = None

    def set_page(self, image: QImage, page_size, boxes, solid: bool) -> None:
        self.image, self.page_size, self.boxes, self.solid = image, page_size, boxes, solid
        self.setMinimumSize(120, 120)
        self.update()

    def clear(self) -> None:
        self.image = QImage()
        self.boxes = []
        self.update()

    # -- coordinates --------------------------------------------------------------------

    def _target(self) -> QRectF:
        """Where the page is drawn: scaled to fit the widget, aspect kept, centred."""
        if self.image.isNull():
            return QRectF()
        w, h = self.page_size
        scale = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2, w * scale, h * scale)

    def to_points(self, point: QPointF) -> tuple[float, float]:
        target = self._target()
        scale = target.width() / self.page_size[0]
        x = (point.x() - target.left()) / scale
        y = self.page_size[1] - (point.y() - target.top()) / scale
        return max(0.0, min(self.page_size[0], x)), max(0.0, min(self.page_size[1], y))

    def to_widget(self, box) -> QRectF:
        target = self._target()
        scale = target.width() / self.page_size[0]
        x0, y0, x1, y1 = box
        return QRectF(
            target.left() + x0 * scale,
            target.top() + (self.page_size[1] - y1) * scale,
            (x1 - x0) * scale,
            (y1 - y0) * scale,
        )

    # -- painting and the mouse ---------------------------------------------------------

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(90, 90, 90))
        if self.image.isNull():
            painter.setPen(QColor(230, 230, 230))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No page to show")
            return
        painter.drawImage(self._target(), self.image)
        for box, label in self.boxes:
            rect = self.to_widget(box)
            if self.solid:
                painter.fillRect(rect, QColor(0, 0, 0))
                painter.setPen(QColor(255, 255, 255))
                font = QFont(painter.font())
                font.setBold(True)
                font.setPixelSize(max(6, int(min(14.0, rect.height() * 0.6))))
                width = QFontMetrics(font).horizontalAdvance(label)
                if width > rect.width() - 4 and width > 0:  # shrink the label to fit its box
                    font.setPixelSize(max(5, int(font.pixelSize() * (rect.width() - 4) / width)))
                painter.setFont(font)
                painter.drawText(rect.adjusted(2, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, label)
            else:
                painter.setPen(QPen(QColor(220, 30, 30), 2))
                painter.drawRect(rect)
        if self._drag:
            painter.setPen(QPen(QColor(30, 90, 220), 1, Qt.PenStyle.DashLine))
            painter.drawRect(QRectF(self._drag[0], self._drag[1]).normalized())

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and not self.image.isNull():
            self._drag = (event.position(), event.position())

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._drag:
            self._drag = (self._drag[0], event.position())
            self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if not self._drag:
            return
        start, end = self._drag[0], event.position()
        self._drag = None
        self.update()
        if abs(end.x() - start.x()) < MIN_DRAG or abs(end.y() - start.y()) < MIN_DRAG:
            return
        (ax, ay), (bx, by) = self.to_points(start), self.to_points(end)
        self.box_drawn.emit(
            (round(min(ax, bx), 1), round(min(ay, by), 1), round(max(ax, bx), 1), round(max(ay, by), 1))
        )
