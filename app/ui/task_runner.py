"""The one bridge between Qt and the Qt-free core operations.

A core operation is a generator that yields `Progress`, checks a `CancelToken` and
returns its result (app/core/cancel.py). `TaskRunner` runs one on a worker `QThread`
that opens its OWN `CaseFile` (SQLite connections belong to one thread), and reports
back with queued signals:

    runner = TaskRunner(case_path, lambda case, token: import_files(case, files, settings, token),
                        title="Importing", parent=window, operator=settings.operator, writes=True)
    runner.finished.connect(on_result)        # the generator's return value
    runner.failed.connect(on_error)           # (plain message, technical details)
    runner.cancelled.connect(on_cancel)       # the operation raised Cancelled: rolled back
    runner.progressed.connect(on_progress)    # Progress, at most ~10 per second
    runner.start()

A progress dialog with Cancel appears only when the work lasts longer than about half
a second. Writing operations take `WRITE_LOCK` first, so one writer runs at a time;
GUI-thread writes (a tag) use `try_write_lock()` and never wait on a long import.
"""

import ctypes
import sys
import threading
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.core.cancel import Cancelled, CancelToken, Progress
from app.store.case_file import CaseFile
from app.store.errors import CaseFileError
from app.core.wording import plural

WRITE_LOCK = threading.Lock()  # one writer at a time across every worker and the GUI
DIALOG_DELAY_MS = 500
PROGRESS_INTERVAL_S = 0.1  # at most ~10 progress signals a second reach the GUI
USER_ERRORS = (CaseFileError, FileNotFoundError, ValueError, OSError)
_RUNNING: set = set()  # runners started and not yet done (and kept alive until then)


class _Worker(QThread):
    """Runs the operation on its own thread with its own case connection."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str, str)
    was_cancelled = Signal(str)

    def __init__(self, case_path, operation, token: CancelToken, operator, writes: bool):
        super().__init__()
        self.case_path, self.operation, self.token = case_path, operation, token
        self.operator, self.writes = operator, writes

    def run(self) -> None:
        try:
            if self.writes:
                with WRITE_LOCK:
                    result = self._run_operation()
            else:
                result = self._run_operation()
        except Cancelled as exc:
            self.was_cancelled.emit(str(exc))
        except USER_ERRORS as exc:
            self.failed.emit(str(exc), traceback.format_exc())
        except Exception as exc:  # a bug: still a dialog, never a dead window
            self.failed.emit(f"The operation could not be completed: {exc}", traceback.format_exc())
        else:
            self.succeeded.emit(result)

    def _run_operation(self):
        self.token.raise_if_cancelled()
        case = CaseFile.open(self.case_path, operator=self.operator) if self.case_path else None
        try:
            operation = self.operation(case, self.token)
            return self._drive(operation)
        finally:
            if case is not None:
                case.close()
            return_memory_to_os()

    def _drive(self, operation):
        last_emit = 0.0
        while True:
            try:
                report = next(operation)
            except StopIteration as finished:
                return finished.value
            now = time.monotonic()
            if isinstance(report, Progress) and now - last_emit >= PROGRESS_INTERVAL_S:
                last_emit = now
                self.progressed.emit(report)


class TaskRunner(QObject):
    """Runs one core operation off the GUI thread; signals in past tense."""

    progressed = Signal(object)  # Progress (throttled)
    finished = Signal(object)  # the operation's return value
    failed = Signal(str, str)  # plain message, details (traceback) for the curious
    cancelled = Signal(str)  # plain message: nothing was changed
    done = Signal()  # after any of finished / failed / cancelled

    def __init__(
        self,
        case_path: Path | None,
        operation,
        title: str = "Working",
        parent: QWidget | None = None,
        operator: str | None = None,
        writes: bool = False,
        show_dialog: bool = True,
        dialog_delay_ms: int = DIALOG_DELAY_MS,
    ):
        """`operation(case, token)` returns a Progress generator; `case` is None without a case path.

        `dialog_delay_ms=0` shows the (window-modal) progress dialog at once: nothing else
        can be done in the window meanwhile (an undo that must finish before the next).
        """
        super().__init__(parent)
        self.title = title
        self.token = CancelToken()
        self.running = False
        self._dialog: QProgressDialog | None = None
        self._show_dialog = show_dialog
        self._last_progress: Progress | None = None
        self._worker = _Worker(case_path, operation, self.token, operator, writes)
        self._worker.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._worker.succeeded.connect(self._on_succeeded, Qt.ConnectionType.QueuedConnection)
        self._worker.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._worker.was_cancelled.connect(self._on_cancelled, Qt.ConnectionType.QueuedConnection)
        self._dialog_timer = QTimer(self, singleShot=True, interval=dialog_delay_ms)
        self._dialog_timer.timeout.connect(self._show_progress_dialog)

    def start(self) -> None:
        self.running = True
        _RUNNING.add(self)
        self._worker.start()
        if self._show_dialog:
            self._dialog_timer.start()

    def cancel(self) -> None:
        """Ask the operation to stop; it raises Cancelled at its next check and rolls back."""
        self.token.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        return self._worker.wait(msecs)

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    # -- progress dialog -----------------------------------------------------------------

    def _show_progress_dialog(self) -> None:
        if not self.running:
            return
        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        dialog = QProgressDialog(self.title, "Cancel", 0, 0, parent)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        dialog.canceled.connect(self._on_cancel_clicked)
        self._dialog = dialog
        if self._last_progress is not None:
            self._update_dialog(self._last_progress)
        dialog.show()

    def _on_cancel_clicked(self) -> None:
        self.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText("Cancelling; the case is being put back as it was...")

    def _update_dialog(self, report: Progress) -> None:
        dialog = self._dialog
        if dialog is None or self.token.cancelled:
            return
        if report.total:
            dialog.setRange(0, 1000)  # per mille: byte totals overflow a Qt int
            dialog.setValue(min(1000, int(report.done * 1000 / report.total)))
        else:
            dialog.setRange(0, 0)
        dialog.setLabelText(progress_text(report))

    # -- results (GUI thread) ------------------------------------------------------------

    def _on_progress(self, report: Progress) -> None:
        self._last_progress = report
        self._update_dialog(report)
        self.progressed.emit(report)

    def _on_succeeded(self, result) -> None:
        self._finish()
        self.finished.emit(result)
        self.done.emit()

    def _on_failed(self, message: str, details: str) -> None:
        self._finish()
        self.failed.emit(message, details)
        self.done.emit()

    def _on_cancelled(self, message: str) -> None:
        self._finish()
        self.cancelled.emit(message)
        self.done.emit()

    def _finish(self) -> None:
        self.running = False
        _RUNNING.discard(self)
        self._dialog_timer.stop()
        self._worker.wait()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


def progress_text(report: Progress) -> str:
    """'Importing logs.jsonl: 41% (120,000 records)' -- the dialog's label."""
    parts = [report.stage]
    if report.total:
        parts.append(f"{report.done * 100 // report.total}%")
    elif report.done:
        parts.append(f"{report.done:,} {report.unit}")
    text = ": ".join(parts[:1]) + (f": {parts[1]}" if len(parts) > 1 else "")
    if report.records:
        text += f" ({plural(report.records, 'record')})"
    return text


def return_memory_to_os() -> None:
    """Give back what a finished worker freed (glibc keeps a thread's arena otherwise).

    A worker's connection fills its own page cache (64 MiB over a million rows); once
    closed, glibc keeps that memory in the thread's arena and the process stays ~70 MB
    larger. malloc_trim returns it. Elsewhere (macOS, Windows) this does nothing.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (musl): nothing to trim
        return None


_LIBC = _load_libc()


def stop_all_tasks() -> None:
    """Cancel every running operation and wait for its thread (closing the window, quitting)."""
    for runner in list(_RUNNING):
        runner.cancel()
        runner.wait()


def running_tasks() -> int:
    """How many operations are still running (tests wait for background work with it)."""
    return len(_RUNNING)


def try_write_lock() -> bool:
    """Take the writer lock without waiting (GUI thread); release with WRITE_LOCK.release()."""
    return WRITE_LOCK.acquire(blocking=False)
