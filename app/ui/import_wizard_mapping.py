"""The wizard's mapping page: the first rows of a log or output file, and which field is which.

One combo per mapping target (timestamp, account, prompt, ...) lists the file's
fields; the preview below shows each row as the import will read it, the timestamp
converted to UTC with the chosen zone and day-first choice, so a wrong guess is
visible before anything is imported. Until the user changes something, each file
gets the mapping Casefile suggests for it. A mapping the user chooses applies to the
file shown and every other file with the same fields (rotated logs of one gateway);
a file with other fields keeps its own, chosen when it is shown.
"""

from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from app.core.records import ImportSettings
from app.importers.preview import Preview, mapped_rows, mapping_targets, preview, saved_mappings
from app.store.saved_mappings import save_mapping
from app.ui.exhibits_panel import WriteRefused, gui_write

NOT_MAPPED = "(not mapped)"
SUGGESTED = "Suggested for this file"
TARGET_COLUMNS = 3


class MappingPage(QWizardPage):
    """Editable mapping with a live preview of the first rows."""

    def __init__(self, case, parent=None):
        """`case`: an open CaseFile (GUI thread) for the saved mappings and saving one."""
        super().__init__(parent)
        self.case = case
        self.setTitle("Fields and times")
        self.setSubTitle(
            "Check which field holds the time, the account, the prompt and the response. "
            "Files with the same fields share a mapping; pick a file above to map another."
        )
        self.preview_data = Preview()
        self.fields_of: dict[str, tuple] = {}  # file path -> its fields: files with the same share a mapping
        self.family_of: dict[str, str] = {}  # file path -> logs or outputs (as detected or chosen)
        self.chosen: dict[tuple, tuple[dict, str | None]] = {}  # fields -> (mapping, saved name) the user chose
        self._filling = False
        self.file_box = QComboBox()
        self.file_box.currentIndexChanged.connect(self._load_file)
        self.preset_box = QComboBox()
        self.preset_box.setMinimumContentsLength(24)
        self._fill_presets()
        self.preset_box.currentIndexChanged.connect(self._apply_preset)
        self.save_button = QPushButton("Save mapping as…")
        self.save_button.clicked.connect(self._ask_mapping_name)
        self.zone_box = _zone_box(case.timezone)
        self.zone_box.currentTextChanged.connect(self._refresh_preview)
        self.dayfirst = QCheckBox("Day first (01/02 is 1 February)")
        self.dayfirst.toggled.connect(self._refresh_preview)
        self.custodian = QLineEdit()
        self.custodian.setPlaceholderText("whose data this is, e.g. Platform API gateway")
        self.target_boxes: dict[str, QComboBox] = {}
        self.applies_to = QLabel()
        self.applies_to.setWordWrap(True)
        self._lay_out()

    def _lay_out(self) -> None:
        self.preview_table = QTableWidget()
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._choices_layout())
        layout.addWidget(self._targets_group())
        layout.addWidget(QLabel("The first rows as they will be imported:"))
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.status)

    def _choices_layout(self) -> QHBoxLayout:
        left, right = QFormLayout(), QFormLayout()
        left.addRow("Preview of:", self.file_box)
        left.addRow("", self.applies_to)
        presets = QHBoxLayout()
        presets.addWidget(self.preset_box, 1)
        presets.addWidget(self.save_button)
        left.addRow("Saved mapping:", presets)
        right.addRow("Times without a zone are in:", self.zone_box)
        right.addRow("", self.dayfirst)
        right.addRow("Custodian:", self.custodian)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        return row

    def _targets_group(self) -> QGroupBox:
        group = QGroupBox("Mapping: which field of the file is…")
        grid = QGridLayout(group)
        for index, target in enumerate(mapping_targets()):
            box = QComboBox()
            box.setMinimumContentsLength(14)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.currentTextChanged.connect(self._target_changed)
            self.target_boxes[target] = box
            row, column = divmod(index, TARGET_COLUMNS)
            grid.addWidget(QLabel(target.replace("_", " ") + ":"), row, column * 2)
            grid.addWidget(box, row, column * 2 + 1)
        return group

    # -- state ---------------------------------------------------------------------------

    def initializePage(self) -> None:
        mapped = [d for d in self.wizard().files_page.importable() if d.needs_mapping]
        files = [d.path for d in mapped]
        self.family_of = {str(d.path): d.family for d in mapped}
        self.fields_of = {str(path): tuple(preview(path, family=self.family_of[str(path)]).paths) for path in files}
        self.chosen = {}
        self.file_box.blockSignals(True)
        self.file_box.clear()
        for path in files:
            self.file_box.addItem(path.name, str(path))
        self.file_box.blockSignals(False)
        self._load_file()

    def validatePage(self) -> bool:
        """Each chosen mapping must name fields its files have; else say which file and field."""
        for index in range(self.file_box.count()):
            fields = self.fields_of.get(self.file_box.itemData(index), ())
            if fields not in self.chosen:
                continue
            missing = sorted(set(self.chosen[fields][0].values()) - set(fields))
            if fields and missing:
                self.file_box.setCurrentIndex(index)
                self.status.setText(
                    f"{self.file_box.itemText(index)} has no field {', '.join(missing)}: "
                    "map it to one of the file's own fields, or choose another saved mapping."
                )
                return False
        return True

    def mapping(self) -> dict[str, str]:
        """The mapping shown in the combos: {target: field path}."""
        return {t: box.currentText() for t, box in self.target_boxes.items() if box.currentText() != NOT_MAPPED}

    def import_settings(self, operator: str | None, use_page: bool = True) -> ImportSettings:
        """The settings of this import; a file's mapping only when the user changed its suggestion."""
        settings = ImportSettings(
            timezone=self.zone_box.currentText(),
            dayfirst=self.dayfirst.isChecked(),
            custodian=self.custodian.text().strip() or None,
            operator=operator,
        )
        if use_page:
            settings.file_mappings = {
                path: self.chosen[fields] for path, fields in self.fields_of.items() if fields in self.chosen
            }
        return settings

    def _fields(self) -> tuple | None:
        return self.fields_of.get(self.file_box.currentData())

    def _choose(self) -> None:
        """The combos' mapping is the user's choice for the files with the shown file's fields."""
        name = self.preset_box.currentText()
        self.chosen[self._fields()] = (
            self.mapping(),
            None if name == SUGGESTED else name.removesuffix(" (saved in this case)"),
        )

    def _load_file(self) -> None:
        path = self.file_box.currentData()
        if not path:
            return
        self.preview_data = preview(Path(path), family=self.family_of.get(path))
        fields = self._fields()
        sharing = [
            self.file_box.itemText(i)
            for i in range(self.file_box.count())
            if self.fields_of.get(self.file_box.itemData(i)) == fields
        ]
        self.applies_to.setText(
            f"This mapping applies to {len(sharing)} files with the same fields: {', '.join(sharing)}."
            if len(sharing) > 1
            else ""
        )
        chosen = self.chosen.get(fields)
        self._show_preset(chosen[1] if chosen else None)
        self._fill_targets(chosen[0] if chosen else self.preview_data.suggested)

    def _show_preset(self, name: str | None) -> None:
        """Show the saved mapping a file's mapping came from (or the suggestion), without applying it."""
        self.preset_box.blockSignals(True)
        index = -1
        if name:
            index = max(self.preset_box.findText(name), self.preset_box.findText(f"{name} (saved in this case)"))
        self.preset_box.setCurrentIndex(max(index, 0))
        self.preset_box.blockSignals(False)

    def _fill_targets(self, mapping: dict[str, str]) -> None:
        self._filling = True
        fields = list(self.preview_data.paths)
        extra = [p for p in mapping.values() if p not in fields]  # a preset may name absent fields
        for target, box in self.target_boxes.items():
            box.clear()
            box.addItems([NOT_MAPPED, *fields, *extra])
            box.setCurrentText(mapping.get(target, NOT_MAPPED))
        self._filling = False
        self._refresh_preview()

    def _fill_presets(self, current: str | None = None) -> None:
        self.preset_box.blockSignals(True)
        self.preset_box.clear()
        self.preset_box.addItem(SUGGESTED, None)
        for label, mapping in saved_mappings(self.case.conn).items():
            self.preset_box.addItem(label, mapping)
        if current:
            self.preset_box.setCurrentIndex(max(0, self.preset_box.findText(current)))
        self.preset_box.blockSignals(False)

    def _apply_preset(self, _index: int) -> None:
        mapping = self.preset_box.currentData()
        self._fill_targets(mapping if mapping is not None else self.preview_data.suggested)
        if mapping is None:
            self.chosen.pop(self._fields(), None)  # back to what Casefile suggests for each file
        else:
            self._choose()

    def _ask_mapping_name(self) -> None:
        name, ok = QInputDialog.getText(self, "Save mapping", "Save this mapping in the case as:")
        if ok and name.strip():
            self.save_mapping_as(name.strip())

    def save_mapping_as(self, name: str) -> bool:
        """Save the mapping shown in the case (audited), to offer it in later imports."""
        try:
            with gui_write(self):
                save_mapping(self.case, name, {"name": name, "mapping": self.mapping()})
        except (WriteRefused, ValueError) as exc:
            self.status.setText(str(exc))
            return False
        self._fill_presets(f"{name} (saved in this case)")
        self._choose()
        self.status.setText(f"Saved as {name!r} in this case.")
        return True

    def _target_changed(self, _text: str) -> None:
        if not self._filling:
            self._choose()
            self._refresh_preview()

    def _refresh_preview(self) -> None:
        if self._filling:
            return
        data = self.preview_data
        if data.problem:
            self.status.setText(data.problem)
            self.preview_table.clear()
            return
        mapping = self.mapping()
        rows = mapped_rows(data.records, mapping, self.zone_box.currentText(), self.dayfirst.isChecked())
        columns = [t for t in mapping_targets() if t in mapping]
        columns[1:1] = ["utc"] if "timestamp" in mapping else []
        self._fill_preview(columns, rows)
        self.status.setText(self._status_text(mapping, rows))

    def _fill_preview(self, columns: list[str], rows: list[dict]) -> None:
        table = self.preview_table
        table.clear()
        table.setColumnCount(len(columns))
        table.setRowCount(len(rows))
        table.setHorizontalHeaderLabels(["time (UTC)" if c == "utc" else c.replace("_", " ") for c in columns])
        for row, values in enumerate(rows):
            for column, target in enumerate(columns):
                table.setItem(row, column, QTableWidgetItem(values.get(target, "")))
        table.resizeColumnsToContents()
        for column in range(len(columns)):
            table.setColumnWidth(column, min(table.columnWidth(column), 260))

    def _status_text(self, mapping: dict, rows: list[dict]) -> str:
        if "timestamp" not in mapping and self.family_of.get(self.file_box.currentData()) == "outputs":
            return "No field is mapped as the time: the outputs are imported undated."
        if "timestamp" not in mapping:
            return "No field is mapped as the time: rows without a time are quarantined, never dropped."
        unreadable = sum(1 for r in rows if r.get("utc", "").startswith("unreadable"))
        assumed = sum(1 for r in rows if "(zone assumed)" in r.get("utc", ""))
        parts = [f"{len(rows)} rows previewed"]
        if unreadable:
            parts.append(f"{unreadable} with a time that cannot be read (they would be quarantined)")
        if assumed:
            parts.append(f"{assumed} without a stated zone (read as {self.zone_box.currentText()}, marked assumed)")
        return "; ".join(parts) + "."


def _zone_box(default: str) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    zones = sorted(available_timezones())
    box.addItems(["UTC", *[z for z in zones if z != "UTC"]])
    box.setCurrentText(default or "UTC")
    return box
