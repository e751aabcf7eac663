"""The wizard's last page: the import on a worker thread, then the reconciliation.

Progress shows rows, rate and time left; Cancel rolls the whole import back (the
pipeline writes in one transaction). The result lists, per file, read = imported +
duplicates + quarantined + blank/comment, and opens the quarantine list.
"""

import time

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from app.core.cancel import Progress
from app.importers.pipeline import import_files
from app.ui.error_dialog import show_error
from app.ui.quarantine_view import QuarantineView
from app.ui.task_runner import TaskRunner
from app.core.wording import plural

RESULT_COLUMNS = ("File", "Read", "Imported", "Duplicates", "Quarantined", "Blank / comment", "Reconciles", "Note")


class ProgressRate:
    """Rows per second and time left, from successive Progress reports of one stage."""

    def __init__(self):
        self.stage, self.started = None, time.monotonic()

    def describe(self, report: Progress) -> str:
        if report.stage != self.stage:
            self.stage, self.started = report.stage, time.monotonic()
        elapsed = max(time.monotonic() - self.started, 1e-3)
        parts = [report.stage]
        if report.records:
            parts.append(f"{report.records:,} rows, {report.records / elapsed:,.0f} rows/s")
        if report.total and report.done:
            left = elapsed * (report.total - report.done) / report.done
            parts.append(f"{report.done * 100 // report.total}%, about {_duration(left)} left")
        return " — ".join(parts)


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds} s" if seconds < 60 else f"{seconds // 60} min {seconds % 60:02d} s"


class RunPage(QWizardPage):
    """Runs the import when shown; complete when it has finished, failed or been cancelled."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTitle("Importing")
        self.runner: TaskRunner | None = None
        self.report = None
        self.rate = ProgressRate()
        self.progress_label = QLabel("Preparing…")
        self.progress_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.cancel_button = QPushButton("Cancel import")
        self.cancel_button.clicked.connect(self.cancel_import)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.table = QTableWidget(0, len(RESULT_COLUMNS))
        self.table.setHorizontalHeaderLabels(RESULT_COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.hide()
        self.quarantine_button = QPushButton("Show quarantined records…")
        self.quarantine_button.clicked.connect(self.show_quarantine)
        self.quarantine_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.quarantine_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for widget in (self.progress_label, self.bar, self.result_label, self.table):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.wizard()
        files, settings = wizard.import_paths(), wizard.settings()
        self.runner = TaskRunner(
            wizard.case_path,
            lambda case, token: import_files(case, files, settings, token),
            title="Importing evidence",
            parent=wizard,
            operator=wizard.operator,
            writes=True,
            show_dialog=False,  # this page is the progress: one bar, one Cancel
        )
        self.runner.progressed.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.failed.connect(self._on_failed)
        wizard.release_case()
        wizard.import_starting.emit(sum(path.stat().st_size for path, _folder in files if path.exists()))
        self.runner.start()

    def running(self) -> bool:
        return self.runner is not None and self.runner.running

    def cancel_import(self) -> None:
        if self.running():
            self.runner.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("Cancelling; the case is being put back as it was…")

    def isComplete(self) -> bool:
        return self.runner is not None and not self.runner.running

    # -- worker signals ------------------------------------------------------------------

    def _on_progress(self, report: Progress) -> None:
        text = self.rate.describe(report)
        if self.runner.token.cancelled:
            return
        self.progress_label.setText(text)
        if report.total:
            self.bar.setRange(0, 1000)
            self.bar.setValue(min(1000, report.done * 1000 // report.total))
        else:
            self.bar.setRange(0, 0)

    def _on_finished(self, report) -> None:
        self.report = report
        self._end("Import finished")
        self._show_report(report)
        self.wizard().import_finished.emit(report)

    def _on_cancelled(self, message: str) -> None:
        self._end("Import cancelled")
        self.result_label.setText(f"The import was cancelled. {message}")
        self.wizard().import_cancelled.emit(message)

    def _on_failed(self, message: str, details: str) -> None:
        self._end("Import failed")
        self.result_label.setText(f"The import failed and nothing was changed: {message}")
        show_error(self, message, details, "Import failed")
        self.wizard().import_failed.emit(message, details)

    def _end(self, title: str) -> None:
        self.setTitle(title)
        self.progress_label.hide()
        self.bar.hide()
        self.cancel_button.hide()
        self.completeChanged.emit()

    # -- the reconciliation --------------------------------------------------------------

    def _show_report(self, report) -> None:
        totals = report.totals
        self.result_label.setText(
            f"Read {plural(totals['read'], 'record')}: imported {totals['imported']:,}, duplicates "
            f"{totals['duplicates']:,}, quarantined {totals['quarantined']:,}, blank or comment "
            f"{totals['blank'] + totals['comment']:,}. Nothing was dropped."
        )
        self.table.setRowCount(len(report.files))
        for row, file_report in enumerate(report.files):
            for column, value in enumerate(_report_row(file_report)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.show()
        whole = sum(1 for f in report.files if f.quarantined_whole)
        if whole:
            self.result_label.setText(
                f"{self.result_label.text()} {plural(whole, 'file')} could not be read and "
                f"{'was' if whole == 1 else 'were'} stored and quarantined whole; the Note column says why."
            )
        self.quarantine_button.setVisible(totals["quarantined"] > 0)

    def quarantine_sources(self) -> list[int]:
        return [f.source_id for f in self.report.files if f.source_id is not None] if self.report else []

    def show_quarantine(self) -> QuarantineView:
        view = QuarantineView(self.wizard().case_path, self.quarantine_sources(), parent=self)
        view.open()
        return view


def _report_row(file_report) -> list[str]:
    if file_report.already_imported_as is not None:
        note = f"already imported as source {file_report.already_imported_as}; nothing added"
        return [file_report.path, "", "", "", "", "", "", note]
    if file_report.not_imported:
        return [file_report.path, "", "", "", "", "", "", file_report.not_imported]
    counts = (
        file_report.read,
        file_report.imported,
        file_report.duplicates,
        file_report.quarantined,
        file_report.blank + file_report.comment,
    )
    note = ""
    if file_report.unpacked:
        note = f"zip archive: {file_report.unpacked:,} files unpacked and listed below"
    if file_report.quarantined_whole:
        # The CLI's reason ends with how to name the format with --as: not a wizard's step.
        reason = file_report.quarantined_whole.split("; to import it")[0]
        note = f"stored and quarantined whole: {reason}"
    return [file_report.path, *[f"{c:,}" for c in counts], "yes" if file_report.reconciles else "NO", note]
