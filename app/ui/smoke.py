"""`casefile gui --quit-after-show`: start the application, exit 0 once the main window is shown.

For smoke tests and CI: proves the application starts and shows its main window
(printing the window's title) without anyone closing it. It waits until the
window's start-up work (background tasks) is done before closing, so the exit does
not race a worker thread. Exits 1 if no window appears within the time limit.
"""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from app.ui.task_runner import running_tasks

TIME_LIMIT_MS = 120_000
SETTLE_MS = 500  # let the window finish its first layout and paint
POLL_MS = 100


class _FirstWindowWatcher(QObject):
    def __init__(self, app: QApplication):
        super().__init__(app)
        self._app = app
        self._window: QMainWindow | None = None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if self._window is None and event.type() == QEvent.Type.Show and isinstance(obj, QMainWindow):
            self._window = obj
            QTimer.singleShot(SETTLE_MS, self._report_when_idle)
        return False

    def _report_when_idle(self) -> None:
        if running_tasks():
            QTimer.singleShot(POLL_MS, self._report_when_idle)
            return
        print(f"Window shown: {self._window.windowTitle()}", flush=True)
        self._window.close()
        self._app.quit()


def run_quitting_after_show(run, argv: list[str]) -> int:
    """Run the application's `run(argv)`, quitting once its main window is visible and idle."""
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.installEventFilter(_FirstWindowWatcher(app))

    def give_up() -> None:
        print("No window was shown.", file=sys.stderr)
        app.exit(1)

    QTimer.singleShot(TIME_LIMIT_MS, give_up)
    return run(argv)
