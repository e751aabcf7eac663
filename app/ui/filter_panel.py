"""The filters beside the table: search, kind, source, custodian, account, tags, dates.

Builds one ItemFilter (app/store/item_query.py) and emits `filter_changed`; all the
filtering happens in SQL. A search the full-text engine cannot read is reported in
plain words under the search box (`show_search_error`). Saved searches are per case.
"""

from datetime import timedelta
from functools import partial

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.timestamps import EPOCH, resolve_zone, to_utc_us
from app.store.item_query import ItemFilter
from app.store.item_lookups import distinct_values
from app.store.source_lookups import custodians, source_names
from app.store.timeline_counts import dated_ends
from app.ui.evidence_model import KIND_LABELS

TAG_MODES = (("any", "has any of"), ("all", "has all of"), ("none", "has none of"))
ANY = "(any)"


class FilterPanel(QWidget):
    filter_changed = Signal(object)  # ItemFilter
    save_requested = Signal(str, object)  # name, ItemFilter
    delete_requested = Signal(str)
    clear_requested = Signal()  # the Clear button: the window clears and scrolls its table back

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("filterPanel")
        self.zone = resolve_zone("UTC")
        self._saved: dict[str, ItemFilter] = {}
        self._quiet = False
        self._exact: dict = {}
        self._debounce = QTimer(self, singleShot=True, interval=300)
        self._debounce.timeout.connect(self.emit_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self._build_search())
        layout.addWidget(self._build_fields())
        layout.addWidget(self._build_tags(), 1)
        layout.addLayout(self._build_saved())

    # -- building --------------------------------------------------------------------------

    def _build_search(self):
        box = QVBoxLayout()
        self.search_edit = QLineEdit(placeholderText='Search text, e.g. "rate limit" OR keys')
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.search_edit.returnPressed.connect(self.emit_filter)
        self.search_error = QLabel(wordWrap=True, objectName="searchError")
        self.search_error.setStyleSheet("color: #b00020;")
        self.search_error.hide()
        box.addWidget(self.search_edit)
        box.addWidget(self.search_error)
        return box

    def _build_fields(self) -> QGroupBox:
        group = QGroupBox("Show only")
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind_combo = self._combo(form, "Kind")
        self.source_combo = self._combo(form, "Source")
        self.custodian_combo = self._combo(form, "Custodian")
        self.account_edit = QLineEdit(placeholderText="account or sender, exact")
        self.account_edit.textChanged.connect(lambda _t: self._debounce.start())
        form.addRow("Account", self.account_edit)
        self.from_check, self.from_edit = self._date_row(form, "From")
        self.to_check, self.to_edit = self._date_row(form, "Before")
        return group

    def _combo(self, form: QFormLayout, label: str) -> QComboBox:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        combo.currentIndexChanged.connect(lambda _i: self.emit_filter())
        form.addRow(label, combo)
        return combo

    def _date_row(self, form: QFormLayout, label: str):
        check = QCheckBox(label)
        edit = QDateTimeEdit(calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        edit.setEnabled(False)
        check.toggled.connect(edit.setEnabled)
        check.toggled.connect(lambda _on: self.emit_filter())
        edit.dateTimeChanged.connect(partial(self._date_edited, check))
        form.addRow(check, edit)
        return check, edit

    def _build_tags(self) -> QGroupBox:
        group = QGroupBox("Tags")
        box = QVBoxLayout(group)
        self.tag_mode = QComboBox()
        for code, label in TAG_MODES:
            self.tag_mode.addItem(label, code)
        self.tag_mode.currentIndexChanged.connect(lambda _i: self.emit_filter())
        self.tag_list = QListWidget(objectName="tagFilterList")
        self.tag_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tag_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tag_list.itemChanged.connect(lambda _item: self.emit_filter())
        box.addWidget(self.tag_mode)
        box.addWidget(self.tag_list)
        return group

    def _date_edited(self, check: QCheckBox, _when=None) -> None:
        if check.isChecked():  # an unticked date is not part of the filter
            self._debounce.start()

    def _delete_saved(self) -> None:
        if self.saved_combo.currentIndex() > 0:  # entry 0 is the placeholder, not a saved search
            self.delete_requested.emit(self.saved_combo.currentText())

    def _build_saved(self):
        box = QVBoxLayout()
        row = QHBoxLayout()
        self.saved_combo = QComboBox(objectName="savedSearches")
        self.saved_combo.activated.connect(self._apply_saved)
        save = QPushButton("Save...")
        save.setToolTip("Save the current filters and search under a name (in this case)")
        save.clicked.connect(self._ask_save)
        delete = QPushButton("Delete")
        delete.clicked.connect(self._delete_saved)
        clear = QPushButton("Clear")
        clear.setToolTip("Show every item")
        clear.clicked.connect(self.clear_requested)
        box.addWidget(self.saved_combo)
        for widget in (save, delete, clear):
            widget.setMinimumWidth(48)  # the panel stays narrow beside the table at 1366x768 and 200%
            row.addWidget(widget)
        box.addLayout(row)
        return box

    # -- filling -----------------------------------------------------------------------------

    def set_case(self, case, zone_name: str) -> None:
        """Fill the choices from the case (None: empty)."""
        self.zone = resolve_zone(zone_name)
        self._fill_choices(case)
        self._quiet = True
        self.apply_filter(ItemFilter(), emit=False)
        self._quiet = False

    def refresh_choices(self, case) -> None:
        """Fill the choices again (new sources or custodians after an import), keeping what is chosen."""
        shown = self.current_filter()
        self._fill_choices(case)
        self.apply_filter(shown, emit=False)

    def _fill_choices(self, case) -> None:
        self._quiet = True
        conn = case.conn if case else None
        kinds = distinct_values(conn, "kind", 100) if conn else []
        self._fill(self.kind_combo, [(KIND_LABELS.get(k, k), k) for k in kinds])
        sources = source_names(conn).items() if conn else []
        self._fill(self.source_combo, [(f"{name} (#{sid})", sid) for sid, name in sources])
        self._fill(self.custodian_combo, [(c, c) for c in (custodians(conn) if conn else [])])
        self._set_date_defaults(conn)
        accounts = distinct_values(conn, "account", 2000) if conn else []
        self.account_edit.setCompleter(QCompleter(accounts, self.account_edit))
        self.tag_list.clear()
        for category in case.taxonomy() if case else []:
            item = QListWidgetItem(f"{category.code}  {category.name}")
            item.setData(Qt.ItemDataRole.UserRole, category.code)
            item.setToolTip(category.description)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.tag_list.addItem(item)
        self._quiet = False

    def set_saved_searches(self, saved: list) -> None:
        self._saved = dict(saved)
        current = self.saved_combo.currentText()
        self.saved_combo.clear()
        self.saved_combo.addItem("Saved searches")
        self.saved_combo.addItems(list(self._saved))
        index = self.saved_combo.findText(current)
        self.saved_combo.setCurrentIndex(max(0, index))

    @staticmethod
    def _fill(combo: QComboBox, entries) -> None:
        combo.clear()
        combo.addItem(ANY, None)
        for label, value in entries:
            combo.addItem(label, value)

    # -- reading and writing the filter --------------------------------------------------------

    def current_filter(self) -> ItemFilter:
        codes = [
            self.tag_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.tag_list.count())
            if self.tag_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        mode = self.tag_mode.currentData()
        one = lambda combo: [combo.currentData()] if combo.currentData() is not None else []  # noqa: E731
        return ItemFilter(
            kinds=one(self.kind_combo),
            source_ids=one(self.source_combo),
            custodians=one(self.custodian_combo),
            accounts=[self.account_edit.text().strip()] if self.account_edit.text().strip() else [],
            tags_any=codes if mode == "any" else [],
            tags_all=codes if mode == "all" else [],
            tags_none=codes if mode == "none" else [],
            from_us=self._edit_us(self.from_edit) if self.from_check.isChecked() else None,
            to_us=self._edit_us(self.to_edit) if self.to_check.isChecked() else None,
            search=self.search_edit.text().strip() or None,
        )

    def apply_filter(self, item_filter: ItemFilter, emit: bool = True) -> None:
        """Show `item_filter` in the widgets (a saved search, the timeline) and emit it."""
        self._quiet = True
        self.search_edit.setText(item_filter.search or "")
        self._select(self.kind_combo, item_filter.kinds)
        self._select(self.source_combo, item_filter.source_ids)
        self._select(self.custodian_combo, item_filter.custodians)
        self.account_edit.setText(item_filter.accounts[0] if item_filter.accounts else "")
        mode, codes = next(
            (
                (m, c)
                for m, c in (
                    ("all", item_filter.tags_all),
                    ("none", item_filter.tags_none),
                    ("any", item_filter.tags_any),
                )
                if c
            ),
            ("any", []),
        )
        self.tag_mode.setCurrentIndex([m for m, _ in TAG_MODES].index(mode))
        for i in range(self.tag_list.count()):
            item = self.tag_list.item(i)
            item.setCheckState(
                Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in codes else Qt.CheckState.Unchecked
            )
        self._set_date(self.from_check, self.from_edit, item_filter.from_us)
        self._set_date(self.to_check, self.to_edit, item_filter.to_us)
        self._quiet = False
        if emit:
            self.emit_filter()

    def set_dates(self, from_us: int | None, to_us: int | None) -> None:
        current = self.current_filter()
        current.from_us, current.to_us = from_us, to_us
        self.apply_filter(current)

    def clear(self) -> None:
        self.apply_filter(ItemFilter())

    def emit_filter(self) -> None:
        if not self._quiet:
            self._debounce.stop()
            self.filter_changed.emit(self.current_filter())

    def show_search_error(self, message: str | None) -> None:
        self.search_error.setText(message or "")
        self.search_error.setVisible(bool(message))

    @staticmethod
    def _select(combo: QComboBox, values: list) -> None:
        index = combo.findData(values[0]) if values else 0
        combo.setCurrentIndex(max(0, index))

    def _set_date(self, check: QCheckBox, edit: QDateTimeEdit, utc_us: int | None) -> None:
        check.setChecked(utc_us is not None)
        if utc_us is not None:
            local = (EPOCH + timedelta(microseconds=utc_us)).astimezone(self.zone)
            edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)))
            self._exact[edit] = (edit.dateTime(), utc_us)  # the timeline's bound, to the microsecond

    def _set_date_defaults(self, conn) -> None:
        """Unticked date boxes show the case's first and last dates, ready to narrow."""
        low, high = dated_ends(conn) if conn is not None else (None, None)
        for edit, value in ((self.from_edit, low), (self.to_edit, high)):
            if value is not None:
                local = (EPOCH + timedelta(microseconds=value)).astimezone(self.zone)
                edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)))

    def _edit_us(self, edit: QDateTimeEdit) -> int:
        shown, exact = self._exact.get(edit, (None, None))
        if shown is not None and edit.dateTime() == shown:
            return exact
        naive = edit.dateTime().toPython().replace(second=0, microsecond=0)
        return to_utc_us(naive.replace(tzinfo=self.zone))

    def _apply_saved(self, index: int) -> None:
        if index > 0:
            self.apply_filter(self._saved[self.saved_combo.itemText(index)])

    def _ask_save(self) -> None:
        name, ok = QInputDialog.getText(self, "Save search", "Name of this search:")
        if ok and name.strip():
            self.save_requested.emit(name.strip(), self.current_filter())
