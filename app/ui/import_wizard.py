"""The import wizard: which files, how their fields map, then the import and its reconciliation.

    wizard = ImportWizard(case_path, [dropped paths], parent=window, operator=name)
    wizard.import_finished.connect(window.reload)   # ImportReport
    wizard.open()

Pages: the files and their detected kinds; the mapping of log and output fields
(skipped when no file needs one); the import itself, on a worker thread through
`TaskRunner`, ending with the counts that reconcile (read = imported + duplicates +
quarantined + blank/comment).
"""

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from app.importers.folder_walk import ChosenFiles, expand_inputs
from app.importers.preview import DetectedFile, detect
from app.store.case_file import CaseFile
from app.ui.import_wizard_kinds import chosen_kinds, kind_combo
from app.ui.import_wizard_mapping import MappingPage
from app.ui.import_wizard_run import RunPage

FILES_PAGE, MAPPING_PAGE, RUN_PAGE = range(3)


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return str(size)


class FilesPage(QWizardPage):
    """The chosen files, each with the importer Casefile detected for it."""

    def __init__(self, paths, parent=None):
        super().__init__(parent)
        self.setTitle("Files to import")
        self.setSubTitle("Originals are stored byte for byte with their SHA-256; they are never changed.")
        self.detected: list[DetectedFile] = []
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["File", "Size", "Detected as", "Note"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Add files…", self._add_files),
            ("Add folder…", self._add_folder),
            ("Remove", self._remove_selected),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        # Offered only when a compressed file is chosen: the same choice as --allow-large-expansion.
        self.allow_expansion = QCheckBox(
            "Allow large expansion (compressed files that expand more than 100 times "
            "their size and past 1 GB are otherwise not imported)"
        )
        self.allow_expansion.setVisible(False)
        self.hidden_note = QLabel()  # hidden files skipped in a chosen folder: said, not silently left out
        self.hidden_note.setWordWrap(True)
        self.hidden_note.setVisible(False)
        self.skipped = ChosenFiles()  # what was left aside in the folders chosen so far
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.hidden_note)
        layout.addLayout(buttons)
        layout.addWidget(self.allow_expansion)
        self.add_paths(paths)

    def add_paths(self, paths) -> None:
        known = {d.path for d in self.detected}
        chosen = expand_inputs(paths)
        for found in chosen.files:
            if found.path not in known:
                detected = detect(found.path)
                detected.folder = found.folder
                self.detected.append(detected)
                known.add(found.path)
        self.skipped.hidden.update(chosen.hidden)
        if self.skipped.hidden_note():
            self.hidden_note.setText(self.skipped.hidden_note())
            self.hidden_note.setVisible(True)
        self._fill()

    def importable(self) -> list[DetectedFile]:
        return [d for d in self.detected if d.problem is None]

    def _fill(self) -> None:
        self.table.setRowCount(len(self.detected))
        for row, found in enumerate(self.detected):
            kind = f"{found.family} ({found.importer})" if found.importer else "—"
            note = found.problem or ("fields mapped on the next page" if found.needs_mapping else "")
            if found.quarantine_whole:
                note = (
                    f"{found.quarantine_whole[:1].upper()}{found.quarantine_whole[1:]}: it will be stored and "
                    f"quarantined whole."
                )
            for column, text in enumerate((str(found.path), human_size(found.path.stat().st_size), kind, note)):
                cell = QTableWidgetItem(text)
                if found.problem:
                    cell.setForeground(Qt.GlobalColor.darkRed)
                elif found.quarantine_whole:
                    cell.setForeground(Qt.GlobalColor.darkYellow)
                self.table.setItem(row, column, cell)
            self.table.setCellWidget(row, 2, kind_combo(found, self._kind_changed))
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(2)
        self.allow_expansion.setVisible(any(d.compressed for d in self.importable()))
        self._name_the_next_step()
        self.completeChanged.emit()

    def _kind_changed(self, _found: DetectedFile) -> None:
        """The user chose another format for a file: its note and the next page follow."""
        QTimer.singleShot(0, self._fill)  # not inside the combo's own signal: _fill replaces it

    def _name_the_next_step(self) -> None:
        """ "Import" only when the next click imports; else the button says fields are mapped next.

        Re-decided whenever the files change (a log added after the page was shown needs mapping)."""
        importing = self.nextId() == RUN_PAGE
        self.setCommitPage(importing)
        self.setButtonText(QWizard.WizardButton.NextButton, "Next: map the fields >")

    def _add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add files to import")
        self.add_paths(files)

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder to import")
        if folder:
            self.add_paths([folder])

    def _remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            del self.detected[row]
        self._fill()

    def isComplete(self) -> bool:
        return bool(self.importable())

    def nextId(self) -> int:
        return MAPPING_PAGE if any(d.needs_mapping for d in self.importable()) else RUN_PAGE

    def validatePage(self) -> bool:
        self.setCommitPage(self.nextId() == RUN_PAGE)
        return True

    def initializePage(self) -> None:
        self._name_the_next_step()


class ImportWizard(QWizard):
    """Files -> mapping -> import with progress and Cancel -> reconciliation."""

    import_starting = Signal(int)  # bytes of the files about to be imported (the wizard's case is closed)
    import_finished = Signal(object)  # ImportReport
    import_cancelled = Signal(str)
    import_failed = Signal(str, str)

    def __init__(self, case_path, paths=(), parent=None, operator: str | None = None):
        super().__init__(parent)
        self.case_path = Path(case_path)
        self.operator = operator
        self.case: CaseFile | None = CaseFile.open(case_path, operator=operator)  # the import opens its own
        self.setWindowTitle("Import evidence")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # the page's "Cancel import" is the one
        self.files_page = FilesPage(paths)
        self.mapping_page = MappingPage(self.case)
        self.run_page = RunPage()
        self.setPage(FILES_PAGE, self.files_page)
        self.setPage(MAPPING_PAGE, self.mapping_page)
        self.setPage(RUN_PAGE, self.run_page)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.mapping_page.setCommitPage(True)
        self.resize(980, 680)

    def files(self) -> list[Path]:
        return [d.path for d in self.files_page.importable()]

    def import_paths(self) -> list[tuple[Path, str | None]]:
        """(path, folder) of each file to import: the folder recorded as the CLI records it."""
        return [(d.path, d.folder) for d in self.files_page.importable()]

    def settings(self):
        """The ImportSettings the user chose (mapping, zone, day-first, custodian, operator)."""
        mapped = any(d.needs_mapping for d in self.files_page.importable())
        settings = self.mapping_page.import_settings(self.operator, use_page=mapped)
        settings.allow_large_expansion = self.files_page.allow_expansion.isChecked()
        settings.file_kinds = chosen_kinds(self.files_page.importable())
        return settings

    def reject(self) -> None:
        """Closing while importing cancels the import (the case stays as it was) first."""
        if self.run_page.running():
            self.run_page.cancel_import()
            return
        super().reject()

    def release_case(self) -> None:
        """Close the wizard's own connection once the mapping is chosen: with nobody else
        holding the case, a large import writes straight into it (app.store.direct_writes)."""
        if self.case is not None:
            self.case.close()
            self.case = None

    def done(self, result: int) -> None:
        self.release_case()
        super().done(result)
