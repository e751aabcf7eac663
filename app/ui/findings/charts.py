"""An account's charts, painted with QPainter (no plotting library): requests by UTC hour and
day (the heat strip), requests per day, the share of its top templates, and when each API
key was first and last used. The numbers come from app/analysis/extraction/charts.py, the
same the exhibit draws."""

from datetime import timedelta

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.core.timestamps import EPOCH

HEAT = QColor(190, 30, 25)
BAR = QColor(40, 97, 163)
TRACK = QColor(225, 225, 225)
DAY_US = 86_400_000_000
MAX_KEYS = 30


def day_text(day_us: int) -> str:
    return (EPOCH + timedelta(microseconds=day_us)).strftime("%Y-%m-%d")


def heat_colour(share: float) -> QColor:
    """White to dark red by share of the busiest hour (a faint tint for any request at all)."""
    t = 0.15 + 0.85 * share
    return QColor(*(round(255 - (255 - c) * t) for c in (HEAT.red(), HEAT.green(), HEAT.blue())))


class AccountCharts(QWidget):
    """The four charts stacked, each with its caption; empty until an account is shown."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.data: dict | None = None
        self.account = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 200)

    def sizeHint(self) -> QSize:
        return QSize(560, 480)

    def show_account(self, account: str, data: dict | None) -> None:
        self.account, self.data = account, data
        self.setToolTip(f"Charts of {account}" if data else "")
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(painter.font())
        line = metrics.height()
        if not self.data:
            waiting = (
                f"Reading the charts of {self.account}…" if self.account else "Choose an account to see its charts."
            )
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, waiting)
            return
        width = self.width() - 2 * line
        height = self.height() - line
        parts = [0.34, 0.2, 0.16, 0.3] if self.data["keys"] else [0.45, 0.3, 0.25, 0.0]
        top = line // 2
        sections = (self._heat, self._daily, self._templates, self._keys)
        for share, draw in zip(parts, sections):
            box = QRectF(line, top, width, height * share - line * 0.4)
            if share:
                draw(painter, box, line)
            top += height * share

    def _caption(self, painter: QPainter, box: QRectF, line: int, text: str) -> QRectF:
        painter.setPen(self.palette().text().color())
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(box.left(), box.top(), box.width(), line), Qt.AlignmentFlag.AlignLeft, text)
        font.setBold(False)
        painter.setFont(font)
        return QRectF(box.left(), box.top() + line * 1.1, box.width(), box.height() - line * 1.1)

    def _heat(self, painter: QPainter, box: QRectF, line: int) -> None:
        heat = self.data["heat"]
        area = self._caption(painter, box, line, "Requests by hour of day (UTC, down) and day (across)")
        if not heat:
            return
        label = QFontMetrics(painter.font()).horizontalAdvance("00:00 ")
        plot = QRectF(area.left() + label, area.top(), area.width() - label, area.height() - line)
        peak = max((max(hours) for hours in heat), default=1) or 1
        cell_w, cell_h = plot.width() / len(heat), plot.height() / 24
        for column, hours in enumerate(heat):
            for hour, count in enumerate(hours):
                if count:
                    cell = QRectF(plot.left() + column * cell_w, plot.top() + hour * cell_h, cell_w + 0.5, cell_h + 0.5)
                    painter.fillRect(cell, heat_colour(count / peak))
        painter.setPen(self.palette().mid().color())
        painter.drawRect(plot)
        painter.setPen(self.palette().text().color())
        for hour in (0, 6, 12, 18) if cell_h * 6 >= line else (0, 12):
            y = plot.top() + hour * cell_h
            painter.drawText(QRectF(area.left(), y, label, line), Qt.AlignmentFlag.AlignLeft, f"{hour:02d}:00")
        self._day_axis(painter, plot, line, len(heat))

    def _day_axis(self, painter: QPainter, plot: QRectF, line: int, days: int) -> None:
        first = self.data["first_day_us"]
        bottom = QRectF(plot.left(), plot.bottom() + 1, plot.width(), line)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft, day_text(first))
        painter.drawText(bottom, Qt.AlignmentFlag.AlignRight, day_text(first + (days - 1) * DAY_US))

    def _daily(self, painter: QPainter, box: QRectF, line: int) -> None:
        daily = self.data["daily"]
        peak = max(daily, default=0)
        area = self._caption(painter, box, line, f"Requests per day (UTC); busiest day {peak:,}")
        if not daily or not peak:
            return
        width = area.width() / len(daily)
        for column, count in enumerate(daily):
            if count:
                height = area.height() * count / peak
                painter.fillRect(
                    QRectF(area.left() + column * width, area.bottom() - height, max(width * 0.85, 1), height), BAR
                )

    def _templates(self, painter: QPainter, box: QRectF, line: int) -> None:
        templates = self.data["templates"]
        area = self._caption(painter, box, line, "Share of its prompts in its top templates")
        if not templates:
            painter.drawText(area, Qt.AlignmentFlag.AlignLeft, "No template repeats.")
            return
        row = min(line * 1.2, area.height() / len(templates))
        bar = area.width() * 0.3
        metrics = QFontMetrics(painter.font())
        for index, (text, share) in enumerate(templates):
            y = area.top() + index * row
            painter.fillRect(QRectF(area.left(), y + 2, bar, row - 4), TRACK)
            painter.fillRect(QRectF(area.left(), y + 2, bar * min(share, 1.0), row - 4), BAR)
            label = metrics.elidedText(
                f"{share * 100:.0f}%  {text}", Qt.TextElideMode.ElideRight, int(area.width() - bar - 8)
            )
            painter.drawText(
                QRectF(area.left() + bar + 6, y, area.width() - bar - 6, row), Qt.AlignmentFlag.AlignVCenter, label
            )

    def _keys(self, painter: QPainter, box: QRectF, line: int) -> None:
        keys = self.data["keys"]
        spans = [(first, last) for _name, first, last, _count in keys if first is not None]
        more = f" (first {MAX_KEYS} of {len(keys)})" if len(keys) > MAX_KEYS else ""
        area = self._caption(painter, box, line, f"API keys, first to last use{more}")
        if not spans:
            return
        keys = keys[:MAX_KEYS]
        start, end = min(f for f, _ in spans), max(last for _, last in spans)
        span = max(end - start, 1)
        metrics = QFontMetrics(painter.font())
        label = min(area.width() * 0.35, metrics.horizontalAdvance("key_0123456789ab (9,999)") + 6)
        row = area.height() / max(len(keys), 1)
        plot_w = area.width() - label
        for index, (name, first, last, count) in enumerate(keys):
            y = area.top() + index * row
            if row >= metrics.height() * 0.8:
                text = metrics.elidedText(f"{name} ({count:,})", Qt.TextElideMode.ElideMiddle, int(label - 6))
                painter.drawText(QRectF(area.left(), y, label, row), Qt.AlignmentFlag.AlignVCenter, text)
            if first is not None:
                x0 = area.left() + label + plot_w * (first - start) / span
                x1 = area.left() + label + plot_w * (last - start) / span
                painter.fillRect(QRectF(x0, y + row * 0.2, max(x1 - x0, 2), max(row * 0.6, 1)), BAR)
