"""The timeline: evidence over time as stacked bars, tagged items marked.

Click a bar, or drag across several, and `period_selected(from_us, to_us)` tells the
main window to filter its table to that period (from inclusive, to exclusive, UTC
microseconds). The counts come from `app/store/timeline_counts.py`; days and weeks are those of the
zone the window shows times in.
"""

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.ui.latest_read import LatestRead
from app.core.wording import plural
from app.store.item_query import ItemFilter
from app.store.timeline_counts import (
    EPOCH,
    Timeline,
    count_tagged,
    count_tagged_steps,
    count_timeline_steps,
    timeline_for,
)

PALETTE = [
    "#1f77b4",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#17becf",
    "#7f7f7f",
    "#ff7f0e",
    "#bcbd22",
    "#e377c2",
    "#aec7e8",
    "#98df8a",
]
TAG_COLOUR = QColor("#d62728")
LABEL_FORMATS = {"hour": "%d %b %H:%M", "day": "%d %b %Y", "week": "%d %b %Y"}
HEADROOM = 1.1  # room above the tallest bar for its tagged marker
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, LEGEND_ROW = 56, 16, 12, 18


def format_bucket(timeline: Timeline, bucket: int) -> str:
    """The bucket's start as a label, in the timeline's zone."""
    start = (EPOCH + timedelta(microseconds=timeline.start_us(bucket))).astimezone(timeline.tz)
    return start.strftime(LABEL_FORMATS[timeline.unit])


class TimelineChart(QWidget):
    """Stacked bars painted with QPainter; emits the period under a click or a drag."""

    period_selected = Signal(object, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.timeline: Timeline | None = None
        self.counting = False  # the first count is under way: nothing to say about dates yet
        self._press_bucket: int | None = None
        self._drag: tuple[int, int] | None = None
        self.setMouseTracking(True)
        self.setMinimumHeight(120)  # the dock must leave room for the table at 1366x768 and 200%
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(800, 320)

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        self.counting = False
        self._drag = None
        self.update()

    # -- geometry -------------------------------------------------------------------

    def _legend_height(self) -> int:
        rows = -(-(len(self.timeline.series) + 1) // 3) if self.timeline else 1  # + 'tagged'
        return rows * LEGEND_ROW + 30  # the legend rows and the date labels

    def plot_rect(self) -> QRectF:
        return QRectF(
            MARGIN_LEFT,
            MARGIN_TOP,
            max(10, self.width() - MARGIN_LEFT - MARGIN_RIGHT),
            max(10, self.height() - MARGIN_TOP - self._legend_height()),
        )

    def bar_rect(self, bucket: int) -> QRectF:
        """The full-height column of a bucket (where a click selects it)."""
        buckets = self.timeline.buckets
        plot = self.plot_rect()
        width = plot.width() / max(1, len(buckets))
        return QRectF(plot.left() + (bucket - buckets.start) * width, plot.top(), width, plot.height())

    def bucket_at(self, x: float) -> int | None:
        if not self.timeline or not self.timeline.buckets:
            return None
        buckets = self.timeline.buckets
        plot = self.plot_rect()
        index = int((x - plot.left()) / (plot.width() / len(buckets)))
        return buckets.start + index if 0 <= index < len(buckets) else None

    # -- mouse ----------------------------------------------------------------------

    def mousePressEvent(self, event) -> None:
        self._press_bucket = self.bucket_at(event.position().x())
        if self._press_bucket is not None:
            self._drag = (self._press_bucket, self._press_bucket)
            self.update()

    def mouseMoveEvent(self, event) -> None:
        bucket = self.bucket_at(event.position().x())
        if bucket is not None and self.timeline:
            self.setToolTip(self._tooltip(bucket))
        if self._press_bucket is not None and bucket is not None:
            self._drag = (self._press_bucket, bucket)
            self.update()

    def mouseReleaseEvent(self, event) -> None:
        if self._drag is None:
            return
        first, last = sorted(self._drag)
        self._press_bucket = None
        self.period_selected.emit(self.timeline.start_us(first), self.timeline.start_us(last + 1))

    def _tooltip(self, bucket: int) -> str:
        total = plural(self.timeline.total(bucket), "item")
        lines = [f"{format_bucket(self.timeline, bucket)} ({self.timeline.zone}): {total}"]
        lines += [
            f"  {name}: {counts[bucket]:,}" for name, counts in self.timeline.series.items() if counts.get(bucket)
        ]
        if self.timeline.tagged.get(bucket):
            lines.append(f"  tagged: {self.timeline.tagged[bucket]:,}")
        return "\n".join(lines)

    # -- painting -------------------------------------------------------------------

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.timeline or not self.timeline.buckets:
            empty = "Counting the items over time…" if self.counting else "No dated items in this case yet."
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, empty)
            return
        peak = max(self.timeline.total(b) for b in self.timeline.buckets) * HEADROOM or 1
        self._paint_axis(painter, peak)
        self._paint_selection(painter)
        for bucket in self.timeline.buckets:
            self._paint_bar(painter, bucket, peak)
        self._paint_dates(painter)
        self._paint_legend(painter)

    def _paint_axis(self, painter: QPainter, peak: int) -> None:
        plot = self.plot_rect()
        painter.setPen(QPen(self.palette().mid().color()))
        for fraction in (0, 0.5, 1):
            y = plot.bottom() - fraction * plot.height()
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(
                QRectF(0, y - 8, MARGIN_LEFT - 6, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{round(peak * fraction):,}",
            )

    def _paint_selection(self, painter: QPainter) -> None:
        if self._drag is None:
            return
        first, last = sorted(self._drag)
        area = self.bar_rect(first).united(self.bar_rect(last))
        painter.fillRect(area, QColor(255, 200, 0, 70))

    def _paint_bar(self, painter: QPainter, bucket: int, peak: int) -> None:
        column = self.bar_rect(bucket)
        gap = 1 if column.width() > 3 else 0
        bottom = column.bottom()
        for index, counts in enumerate(self.timeline.series.values()):
            count = counts.get(bucket, 0)
            height = max(2.0, count / peak * column.height()) if count else 0  # one email stays visible
            if height:
                painter.fillRect(
                    QRectF(column.left() + gap, bottom - height, column.width() - 2 * gap, height),
                    QColor(PALETTE[index % len(PALETTE)]),
                )
                bottom -= height
        if self.timeline.tagged.get(bucket):
            marker = QRectF(column.left() + gap, bottom - 5, column.width() - 2 * gap, 4)
            painter.fillRect(marker, TAG_COLOUR)

    def _paint_dates(self, painter: QPainter) -> None:
        plot = self.plot_rect()
        metrics = QFontMetrics(painter.font())
        label_width = metrics.horizontalAdvance("00 May 0000 00:00") + 12
        buckets = self.timeline.buckets
        step = max(1, int(label_width / (plot.width() / len(buckets))) + 1)
        painter.setPen(QPen(self.palette().text().color()))
        for bucket in range(buckets.start, buckets.stop, step):
            x = self.bar_rect(bucket).left()
            if x + label_width - 12 > self.width():
                break  # the label would be cut at the right edge
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            painter.drawText(QPointF(x + 2, plot.bottom() + 4 + metrics.ascent()), format_bucket(self.timeline, bucket))

    def _paint_legend(self, painter: QPainter) -> None:
        top = self.plot_rect().bottom() + 26
        names = [*self.timeline.series, "tagged"]
        column_width = (self.width() - MARGIN_LEFT) / 3
        for index, name in enumerate(names):
            x = MARGIN_LEFT + (index % 3) * column_width
            y = top + (index // 3) * LEGEND_ROW
            colour = TAG_COLOUR if name == "tagged" else QColor(PALETTE[index % len(PALETTE)])
            painter.fillRect(QRectF(x, y + 3, 12, 10), colour)
            painter.drawText(
                QRectF(x + 16, y, column_width - 20, LEGEND_ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                name,
            )


class TimelineView(QWidget):
    """The chart with its controls: bucket size and the count of undated items.

    With `background=True` the counting runs on a worker thread (its own connection to
    the case file), so a million-row case never stalls the window; `refreshed` follows.
    """

    period_selected = Signal(object, object)
    refreshed = Signal()

    def __init__(self, case, parent=None, background: bool = False, zone: str = "UTC"):
        super().__init__(parent)
        self.case = case
        self.zone = zone  # days and weeks are this zone's; set it before refresh()
        self.item_filter: ItemFilter | None = None  # the table's filters (None: every item)
        self.background = background
        self.counting = LatestRead("Counting items over time", self)  # only the latest count is shown
        self.unit_box = QComboBox()
        self.unit_box.addItems(["automatic", "hour", "day", "week"])
        self.unit_box.currentTextChanged.connect(self.refresh)
        self.all_dates = QCheckBox("Include outlying dates")
        self.all_dates.setToolTip(
            "A few items dated far from the rest (e.g. a 2000 or 1970 date) are left out "
            "of the chart unless this is ticked."
        )
        self.all_dates.toggled.connect(self.refresh)
        self.summary = QLabel(wordWrap=True, objectName="timelineSummary")
        self.chart = TimelineChart()
        self.chart.period_selected.connect(self.period_selected)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Bars per:"))
        controls.addWidget(self.unit_box)
        controls.addWidget(self.all_dates)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 1)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.refresh()

    def set_case(self, case) -> None:
        self.case = case
        self.refresh()

    def set_filter(self, item_filter: ItemFilter | None) -> bool:
        """Count only what the table lists (its dates aside: the bars show the periods to choose from).

        Returns whether that changes what is counted (the caller then refreshes when shown)."""
        narrowed = replace(item_filter, from_us=None, to_us=None) if item_filter is not None else None
        if narrowed == ItemFilter():
            narrowed = None
        changed = narrowed != self.item_filter
        self.item_filter = narrowed
        return changed

    def refresh(self) -> None:
        """Count again (after an import, a tag, or a change of bar size)."""
        if self.case is None:
            self.chart.set_timeline(None)
            self.summary.clear()
            return
        unit = self.unit_box.currentText().replace("automatic", "auto")
        focus, zone, item_filter = not self.all_dates.isChecked(), self.zone, self.item_filter
        self.hint.setText(
            f"Click a bar, or drag across several, to show that period in the table. Days and times are in {zone}."
        )
        if not self.background:
            self._show(timeline_for(self.case.conn, unit, focus, zone, item_filter))
            return
        self.chart.counting = self.chart.timeline is None
        self.counting.start(
            self.case.path,
            lambda case, token: count_timeline_steps(case, unit, focus, token, zone, item_filter),
            self._counted,
            self._count_failed,
        )

    def refresh_tagged(self) -> None:
        """Recount only the tagged markers (after a tag change): the bars stay as counted."""
        shown = self.chart.timeline
        if self.case is None or shown is None or self.counting.reading:
            self.refresh()  # nothing counted yet, or a count under way that may predate the change
            return
        if not self.background:
            self._show(replace(shown, tagged=count_tagged(self.case.conn, shown)))
            return
        self.counting.start(self.case.path, lambda case, token: count_tagged_steps(case, shown), self._tags_counted)

    def _counted(self, timeline: Timeline) -> None:
        self._show(timeline)

    def _count_failed(self, message: str) -> None:
        self.chart.counting = False
        self.chart.update()
        self.summary.setText(f"The timeline could not be counted: {message}")

    def _tags_counted(self, shown_and_tagged) -> None:
        shown, tagged = shown_and_tagged
        self._show(replace(shown, tagged=tagged))

    def _show(self, timeline: Timeline) -> None:
        self.chart.set_timeline(timeline)
        unit = timeline.unit
        dated = sum(sum(c.values()) for c in timeline.series.values())
        outside = f"; {timeline.outside:,} with outlying dates left out" if timeline.outside else ""
        counted = (
            f"{dated:,} of {plural(timeline.all_dated, 'dated item')} (the table's filters)"
            if timeline.all_dated is not None
            else plural(dated, "dated item")
        )
        self.summary.setText(f"{counted}, one bar per {unit}{outside}; {timeline.undated:,} undated (not shown)")
        self.refreshed.emit()
