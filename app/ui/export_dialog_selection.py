"""The 'what to export' half of the export dialog: tags, kinds, dates, search, exhibits.

Builds an `app.export.selection.Selection`. Privileged items are withheld (to the
privilege log) unless the user ticks the box; nothing else is filtered unless asked.
"""

from datetime import datetime, timezone

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QWidget,
)

from app.core.records import ITEM_KINDS
from app.core.timestamps import to_utc_us
from app.export.selection import Selection
from app.store import annotations
from app.store.timeline_counts import full_span
from app.core.wording import plural


def checkable_list(entries) -> QListWidget:
    """A list of (label, data) entries, each with a check box, unchecked."""
    widget = QListWidget()
    for label, data in entries:
        entry = QListWidgetItem(label)
        entry.setData(Qt.ItemDataRole.UserRole, data)
        entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        entry.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(entry)
    return widget


def checked(widget: QListWidget) -> list:
    return [
        widget.item(r).data(Qt.ItemDataRole.UserRole)
        for r in range(widget.count())
        if widget.item(r).checkState() == Qt.CheckState.Checked
    ]


def check(widget: QListWidget, values) -> None:
    """Tick the entries whose data is in `values` (tests and saved selections use it)."""
    for row in range(widget.count()):
        if widget.item(row).data(Qt.ItemDataRole.UserRole) in values:
            widget.item(row).setCheckState(Qt.CheckState.Checked)


def _date_edit() -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setTimeZone(QTimeZone.utc())
    edit.setDisplayFormat("yyyy-MM-dd HH:mm 'UTC'")
    edit.setCalendarPopup(True)
    edit.setEnabled(False)
    return edit


class SelectionForm(QGroupBox):
    """Tags (any / all), kinds, a date range in UTC, a search, hand-made exhibits."""

    def __init__(self, case, item_ids=(), parent=None):
        super().__init__("What to export", parent)
        self.item_ids = list(item_ids)
        self.tags = checkable_list((f"{c.code}  {c.name}", c.code) for c in case.taxonomy())
        self.tags_all = QRadioButton("all ticked tags")
        tags_any = QRadioButton("any ticked tag")
        tags_any.setChecked(True)
        self.kinds = {kind: QCheckBox(kind.replace("_", " ")) for kind in ITEM_KINDS}
        self.use_dates = QCheckBox("Only items dated from ... to")
        self.date_from, self.date_to = _date_edit(), _date_edit()
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self._initial_dates(case)
        self.search = QLineEdit()
        self.search.setPlaceholderText('full-text search, e.g. "chain of thought" OR distil*')
        self.exhibits = checkable_list(
            (f"{e['title']} ({plural(len(e['item_ids']), 'item')})", e["id"]) for e in annotations.exhibits(case)
        )
        self.only_selected = QCheckBox(f"Only the {plural(len(self.item_ids), 'item')} selected in the table")
        self.only_selected.setVisible(bool(self.item_ids))
        self.include_privileged = QCheckBox("Include privileged items")
        self.include_privileged.setToolTip("Privileged items are normally withheld and listed in the privilege log.")
        self._lay_out(tags_any)

    def _lay_out(self, tags_any) -> None:
        form = QFormLayout(self)
        tag_modes = QHBoxLayout()
        tag_modes.addWidget(tags_any)
        tag_modes.addWidget(self.tags_all)
        tag_modes.addStretch(1)
        self.tags.setMinimumHeight(130)
        form.addRow("Tags:", self.tags)
        form.addRow("", tag_modes)
        kinds = QGridLayout()
        for index, box in enumerate(self.kinds.values()):
            kinds.addWidget(box, index // 3, index % 3)
        form.addRow("Kinds:", _wrap(kinds))
        dates = QHBoxLayout()
        for widget in (self.date_from, self.date_to):
            dates.addWidget(widget)
        form.addRow("Dates:", self.use_dates)
        form.addRow("", _wrap(dates))
        form.addRow("Search:", self.search)
        self.exhibits.setMaximumHeight(90)
        form.addRow("Exhibits made by hand:", self.exhibits)
        form.addRow(self.only_selected)
        form.addRow(self.include_privileged)

    def _initial_dates(self, case) -> None:
        low, high = full_span(case.conn) or (None, None)
        for edit, value in ((self.date_from, low), (self.date_to, high)):
            moment = QDateTime.fromMSecsSinceEpoch((value or 0) // 1000, QTimeZone.utc())
            edit.setDateTime(moment)

    def selection(self) -> Selection:
        tags = checked(self.tags)
        from_us = to_us = None
        if self.use_dates.isChecked():
            from_us = _to_us(self.date_from)
            to_us = _to_us(self.date_to) + 60_000_000  # the minute shown is included
        return Selection(
            tags_any=[] if self.tags_all.isChecked() else tags,
            tags_all=tags if self.tags_all.isChecked() else [],
            kinds=[k for k, box in self.kinds.items() if box.isChecked()],
            from_us=from_us,
            to_us=to_us,
            search=self.search.text().strip() or None,
            exhibit_ids=checked(self.exhibits),
            item_ids=self.item_ids if self.only_selected.isChecked() else [],
            include_privileged=self.include_privileged.isChecked(),
        )


def _to_us(edit: QDateTimeEdit) -> int:
    return to_utc_us(datetime.fromtimestamp(edit.dateTime().toMSecsSinceEpoch() / 1000, timezone.utc))


def _wrap(layout) -> QWidget:
    widget = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    widget.setLayout(layout)
    return widget
