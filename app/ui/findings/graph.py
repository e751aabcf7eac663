"""The attribution graph of one cluster: accounts as nodes on a circle, one line per link
coloured by what links them (a shared key, address, block, template, synchronised timing),
flagged accounts drawn red. Painted with QPainter."""

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

LINK_COLOURS = {
    "key": QColor(150, 60, 170),
    "template": QColor(40, 97, 163),
    "timing": QColor(210, 120, 20),
    "ip": QColor(130, 130, 130),
    "block": QColor(175, 175, 175),
}
LINK_WORDS = {
    "key": "shared key",
    "template": "same template",
    "timing": "synchronised",
    "ip": "shared address",
    "block": "address block",
}
FLAGGED = QColor(190, 30, 25)
PLAIN = QColor(90, 150, 90)
MAX_NODES = 40  # accounts drawn; the view reads only the links between them (findings.run_outline)


class ClusterGraph(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.cluster: dict | None = None
        self.flagged: set[str] = set()
        self.selected = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 200)

    def sizeHint(self) -> QSize:
        return QSize(520, 420)

    def show_cluster(self, cluster: dict | None, flagged: set[str], selected: str = "") -> None:
        self.cluster, self.flagged, self.selected = cluster, flagged, selected
        self.update()

    def positions(self, box: QRectF) -> dict[str, QPointF]:
        accounts = self.cluster["accounts"][:MAX_NODES]
        centre = box.center()
        radius = min(box.width(), box.height()) / 2
        count = len(accounts)
        return {
            account: QPointF(
                centre.x() + radius * math.cos(2 * math.pi * k / count - math.pi / 2),
                centre.y() + radius * math.sin(2 * math.pi * k / count - math.pi / 2),
            )
            for k, account in enumerate(accounts)
        }

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(painter.font())
        line = metrics.height()
        if not self.cluster:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "The account is linked to no other account.")
            return
        legend_h = line * 1.6
        title = self.cluster["reason"]
        painter.drawText(
            QRectF(line / 2, 2, self.width() - line, line * 2.2),
            Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
            title,
        )
        margin = metrics.horizontalAdvance("acct-0000-xx") * 0.6 + line
        box = QRectF(
            margin,
            line * 2.5 + margin * 0.4,
            self.width() - 2 * margin,
            self.height() - legend_h - line * 3 - margin * 0.8,
        )
        places = self.positions(box)
        between: dict[tuple, list[dict]] = {}
        for link in self.cluster["links"]:
            if link["a"] in places and link["b"] in places:
                between.setdefault(tuple(sorted((link["a"], link["b"]))), []).append(link)
        for (a, b), links in between.items():
            self._edges(painter, places[a], places[b], links)
        radius = max(line * 0.45, 5)
        for account, point in places.items():
            painter.setPen(QPen(QColor("black"), 2.5 if account == self.selected else 1))
            painter.setBrush(FLAGGED if account in self.flagged else PLAIN)
            painter.drawEllipse(point, radius, radius)
            painter.setPen(self.palette().text().color())
            width = metrics.horizontalAdvance(account)
            painter.drawText(QPointF(point.x() - width / 2, point.y() - radius - 3), account)
        self._legend(painter, line, legend_h)

    def _edges(self, painter: QPainter, start: QPointF, end: QPointF, links: list[dict]) -> None:
        """One line per link between two accounts, side by side (a key and a template both show)."""
        dx, dy = end.x() - start.x(), end.y() - start.y()
        length = math.hypot(dx, dy) or 1.0
        normal = QPointF(-dy / length, dx / length)
        for k, link in enumerate(links):
            shift = normal * ((k - (len(links) - 1) / 2) * 4.0)
            strong = link["by"] in ("key", "timing", "template")
            pen = QPen(LINK_COLOURS.get(link["by"], QColor("black")), 2.2 if strong else 1.2)
            if not strong:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(start + shift, end + shift)

    def _legend(self, painter: QPainter, line: int, height: float) -> None:
        used = [by for by in LINK_COLOURS if by in self.cluster["link_kinds"]]  # of every link, drawn or not
        x, y = line / 2, self.height() - height + line * 0.3
        metrics = QFontMetrics(painter.font())
        for by in used:
            painter.setPen(QPen(LINK_COLOURS[by], 3))
            painter.drawLine(QPointF(x, y + line / 2), QPointF(x + line * 1.2, y + line / 2))
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x + line * 1.5, y + line * 0.85), LINK_WORDS[by])
            x += line * 2 + metrics.horizontalAdvance(LINK_WORDS[by])
        painter.setBrush(FLAGGED)
        painter.setPen(QPen(QColor("black"), 1))
        painter.drawEllipse(QPointF(x + line / 2, y + line / 2), line * 0.35, line * 0.35)
        painter.setPen(self.palette().text().color())
        painter.drawText(QPointF(x + line * 1.1, y + line * 0.85), "flagged")
