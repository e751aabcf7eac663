"""The export dialog: choose what and how, produce the bundle on a worker, then open it.

The left half is the selection (export_dialog_selection); the right half the bundle's
settings: exhibit ids, Bates prefix / start / digits (the next free number proposed
from past productions), page size, load files. Past productions are listed with their
Bates ranges. The export runs through `TaskRunner` with progress and Cancel; a cancel
leaves no file and no production record (app/export/bundle.py).
"""

from pathlib import Path

from PySide6.QtCore import QRegularExpression, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.export.layout import PAGE_SIZES
from app.export.productions import list_productions, next_bates_start
from app.store.case_file import CaseFile
from app.ui import settings as S
from app.ui.export_dialog_selection import SelectionForm
from app.ui.export_preview import BundlePreviewLabel
from app.ui.task_runner import TaskRunner
from app.ui.window_layout import available_screen
from app.core.wording import plural

SCHEMES = ("PX-0001", "DX-0001", "JX-001", "PX-1", "1", "A")
LOG_GROUPS = ("source", "day", "account")
PRODUCTION_COLUMNS = ("#", "Produced (UTC)", "Title", "Bates range", "Pages", "Exhibits", "PDF")


def bates(prefix: str, number: int, digits: int) -> str:
    return f"{prefix}{number:0{digits}d}"


class ExportDialog(QDialog):
    """Export a bundle from a case (its own read connection; the export opens another)."""

    exported = Signal(object)  # ExportResult
    export_cancelled = Signal(str)
    export_failed = Signal(str, str)

    def __init__(self, case_path, parent=None, settings: S.Settings | None = None, item_ids=()):
        super().__init__(parent)
        self.setWindowTitle("Export exhibit bundle")
        self.settings = settings or S.Settings()
        self.case = CaseFile.open(case_path)
        self.runner: TaskRunner | None = None
        self.result = None
        self.leftover_notes: list[str] = []  # what was done with what stopped exports left
        self.selection_form = SelectionForm(self.case, item_ids)
        self._build_settings_form()
        self.productions = QTableWidget(0, len(PRODUCTION_COLUMNS))
        self._build_layout()
        self.fill_productions()
        self.propose_bates_start()
        self.preview = BundlePreviewLabel(self, self.case.path)
        self.preview.watch(self.selection_form, self.log_group.values())
        self._fit_to_screen()

    # -- building ------------------------------------------------------------------------

    def _build_settings_form(self) -> None:
        self.title = QLineEdit(f"{self.case.name}: exhibit bundle")
        self.party = QLineEdit(self.settings.get(S.EXPORT_PARTY))  # the last one typed
        self.party.setPlaceholderText("the producing party, e.g. Plaintiff Northwind AI Ltd")
        self.scheme = QComboBox()
        self.scheme.setEditable(True)
        self.scheme.addItems(SCHEMES)
        self.exhibit_start = QSpinBox(minimum=1, maximum=999_999)
        self.bates_prefix = QLineEdit(self.settings.get(S.BATES_PREFIX))
        self.bates_prefix.textChanged.connect(self.propose_bates_start)
        self.bates_start = QLineEdit()
        self.bates_start.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{1,15}")))
        self.bates_digits = QSpinBox(minimum=6, maximum=15, value=7)
        self.bates_note = QLabel()
        self.page_size = QComboBox()
        self.page_size.addItems(list(PAGE_SIZES))
        self.log_group = {key: QCheckBox(f"per {key}") for key in LOG_GROUPS}
        for key in ("source", "day"):
            self.log_group[key].setChecked(True)
        self.loadfile = QCheckBox("Load files (DAT, OPT, page images)")
        self.loadfile.setToolTip("Load files: Concordance DAT, Opticon OPT and an image of every page")
        self.output = QLineEdit(str(self._default_output()))
        for widget in (self.bates_prefix, self.bates_start, self.bates_digits):
            signal = widget.valueChanged if isinstance(widget, QSpinBox) else widget.textChanged
            signal.connect(self._update_bates_note)

    def _default_output(self) -> Path:
        """In the folder of the last export (remembered), else beside the case file."""
        name = f"{Path(self.case.path).stem}-bundle.pdf"
        folder = self.settings.get(S.EXPORT_FOLDER)
        return Path(folder) / name if folder and Path(folder).is_dir() else Path(self.case.path).with_name(name)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Two columns when they fit side by side; else one above the other (the form scrolls)."""
        super().resizeEvent(event)
        beside = sum(self.halves.itemAt(i).widget().minimumSizeHint().width() for i in range(2)) + 40
        direction = QBoxLayout.Direction.LeftToRight if self.width() >= beside else QBoxLayout.Direction.TopToBottom
        if self.halves.direction() != direction:
            self.halves.setDirection(direction)

    def _fit_to_screen(self) -> None:
        """As large as it is useful, never beyond the screen (1366x768, 200%): the form scrolls."""
        room = available_screen(self)
        self.resize(min(1180, room.width() - 40), min(780, room.height() - 60))

    def _settings_group(self) -> QGroupBox:
        group = QGroupBox("How")
        form = QFormLayout(group)
        form.addRow("Bundle title:", self.title)
        form.addRow("Producing party:", self.party)
        self._add_numbering_rows(form)
        form.addRow("Page size:", self.page_size)
        groups = QHBoxLayout()
        for box in self.log_group.values():
            groups.addWidget(box)
        form.addRow("Log rows grouped:", groups)
        legend = QLabel("Exhibits with items tagged CONFIDENTIAL or AEO carry that legend on every page.")
        legend.setWordWrap(True)
        form.addRow("Legend:", legend)
        sidecars = QLabel("Always: exhibit list (CSV), privilege log (CSV), hash manifest.")
        sidecars.setWordWrap(True)
        form.addRow("Sidecars:", sidecars)
        form.addRow("", self.loadfile)
        out = QHBoxLayout()
        out.addWidget(self.output, 1)
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_output)
        out.addWidget(browse)
        form.addRow("Save as:", out)
        return group

    def _add_numbering_rows(self, form: QFormLayout) -> None:
        ids = QHBoxLayout()
        ids.addWidget(self.scheme, 1)
        ids.addWidget(QLabel("starting at"))
        ids.addWidget(self.exhibit_start)
        form.addRow("Exhibit ids like:", ids)
        numbers = QHBoxLayout()
        for label, widget in (("", self.bates_prefix), ("start", self.bates_start), ("digits", self.bates_digits)):
            if label:
                numbers.addWidget(QLabel(label))
            numbers.addWidget(widget)
        form.addRow("Bates prefix:", numbers)
        form.addRow("", self.bates_note)

    def _build_layout(self) -> None:
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.open_pdf_button = QPushButton("Open the PDF")
        self.open_pdf_button.clicked.connect(self.open_pdf)
        self.open_folder_button = QPushButton("Open its folder")
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.start_export)
        buttons.rejected.connect(self.reject)
        form = QWidget()
        self.halves = halves = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        halves.addWidget(self.selection_form, 1)
        halves.addWidget(self._settings_group(), 1)
        self.productions.setHorizontalHeaderLabels(PRODUCTION_COLUMNS)
        self.productions.verticalHeader().setVisible(False)
        self.productions.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.productions.setMinimumHeight(90)
        self.productions.setMaximumHeight(150)
        inner = QVBoxLayout(form)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(halves, 1)
        inner.addWidget(QLabel("Past productions (Bates numbers are never reused):"))
        inner.addWidget(self.productions)
        scroll = QScrollArea(objectName="exportForm")  # on a small screen the form scrolls; the buttons stay
        scroll.setWidget(form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        done = QHBoxLayout()
        done.addWidget(self.status, 1)
        for widget in (self.open_pdf_button, self.open_folder_button):
            widget.hide()
            done.addWidget(widget)
        self.preview_label = QLabel(objectName="bundlePreview", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.preview_label)
        layout.addLayout(done)
        layout.addWidget(buttons)

    # -- Bates and past productions --------------------------------------------------------

    def fill_productions(self) -> None:
        rows = list_productions(self.case.conn)
        self.productions.setRowCount(len(rows))
        for row, production in enumerate(rows):
            digits = production["settings"].get("bates_digits", 7)
            prefix = production["bates_prefix"]
            span = (
                f"{bates(prefix, production['bates_first'], digits)} – "
                f"{bates(prefix, production['bates_last'], digits)}"
            )
            values = (
                str(production["id"]),
                production["created_utc"][:19].replace("T", " "),
                production["title"],
                span,
                f"{production['page_count']:,}",
                f"{production['exhibit_count']:,}",
                production["pdf_name"],
            )
            for column, value in enumerate(values):
                self.productions.setItem(row, column, QTableWidgetItem(value))
        self.productions.resizeColumnsToContents()
        self.productions.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def propose_bates_start(self) -> None:
        """The first number not yet produced under the prefix typed."""
        prefix = self.bates_prefix.text().strip()
        self.bates_start.setText(str(next_bates_start(self.case.conn, prefix)) if prefix else "1")
        self._update_bates_note()

    def _update_bates_note(self) -> None:
        prefix, start = self.bates_prefix.text().strip(), self.bates_start.text()
        if not prefix or not start:
            self.bates_note.setText("A prefix and a start number are needed.")
            return
        free = next_bates_start(self.case.conn, prefix)
        note = f"First page: {bates(prefix, int(start), self.bates_digits.value())}"
        if int(start) < free:
            note += f" — numbers below {free:,} were already produced under {prefix}; they are never reused."
        self.bates_note.setText(note)

    def _choose_output(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the bundle as", self.output.text(), "PDF (*.pdf)")
        if path:
            self.output.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    # -- the export ----------------------------------------------------------------------------

    def export_settings(self):
        from app.export.bundle import ExportSettings

        return ExportSettings(
            title=self.title.text().strip() or "Exhibit bundle",
            party=self.party.text().strip(),
            exhibit_scheme=self.scheme.currentText().strip(),
            exhibit_start=self.exhibit_start.value(),
            bates_prefix=self.bates_prefix.text().strip(),
            bates_start=int(self.bates_start.text() or 0) or None,
            bates_digits=self.bates_digits.value(),
            page_size=self.page_size.currentText(),
            log_group=[k for k, box in self.log_group.items() if box.isChecked()] or ["source"],
            loadfile=self.loadfile.isChecked(),
        )

    def start_export(self) -> None:
        """Run the export on a worker; the dialog stays open to show the result."""
        from app.export.bundle import export_bundle
        from app.export.unfinished import clean_unfinished

        if self.runner is not None and self.runner.running:
            return
        out, selection, settings = Path(self.output.text()), self.selection_form.selection(), self.export_settings()
        self.export_button.setEnabled(False)
        self.settings.set(S.EXPORT_PARTY, settings.party)  # offered again next time
        self.settings.set(S.EXPORT_FOLDER, str(out.resolve().parent))
        # Said before the export starts and kept with its outcome: the export itself may fail.
        self.leftover_notes = clean_unfinished(self.case, out.resolve().parent)
        self.status.setText("\n".join([*self.leftover_notes, "Exporting…"]))
        self.runner = TaskRunner(
            self.case.path,
            lambda case, token: export_bundle(case, out, selection, settings, token),
            title="Exporting the bundle",
            parent=self,
            operator=self.settings.operator(),
            writes=True,
        )
        self.runner.finished.connect(self._on_exported)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.failed.connect(self._on_failed)
        self.runner.start()

    def _with_notes(self, text: str) -> str:
        return "\n".join([*self.leftover_notes, text])

    def _on_exported(self, result) -> None:
        self.result = result
        self.leftover_notes += result.notes
        self.export_button.setEnabled(True)
        self.status.setText(
            self._with_notes(
                f"Exported {plural(result.exhibits, 'exhibit')} on {plural(result.pages, 'page')}, Bates "
                f"{result.bates_first} to {result.bates_last}"
                + (f"; {plural(result.withheld, 'privileged item')} withheld" if result.withheld else "")
                + f". Saved {result.pdf.name} and {plural(len(result.files) - 1, 'sidecar file')} beside it."
            )
        )
        self.open_pdf_button.show()
        self.open_folder_button.show()
        self.fill_productions()
        self.propose_bates_start()
        self.exported.emit(result)

    def _on_cancelled(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(self._with_notes("The export was cancelled; no file was written and nothing was recorded."))
        self.export_cancelled.emit(message)

    def _on_failed(self, message: str, details: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(self._with_notes(f"The export did not complete: {message}"))
        self.export_failed.emit(message, details)

    def open_pdf(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.pdf))) if self.result else False

    def open_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.pdf.parent))) if self.result else False

    def reject(self) -> None:
        if self.runner is not None and self.runner.running:
            self.runner.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.preview.runner is not None:
            self.preview.runner.cancel()
        self.case.close()
        super().done(result)
