"""`casefile gui --quit-after-show`: start the application, exit 0 once the main window is shown.

For smoke tests and CI: proves the application starts and shows its main window
(printing the window's title) without anyone closing it. Exits 1 if no window
appears within the time limit.
"""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

TIME_LIMIT_MS = 120_000
SETTLE_MS = 500  # let the window finish its first layout and paint


class _FirstWindowWatcher(QObject):
    def __init__(self, app: QApplication):
        super().__init__(app)
        self._app = app
        self._seen = False

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if (not self._seen and event.type() == QEvent.Type.Show and isinstance(obj, QMainWindow)
                and obj.isWindow() and obj.parent() is None):
            self._seen = True
            QTimer.singleShot(SETTLE_MS, lambda: self._report(obj))
        return False

    def _report(self, window: QMainWindow) -> None:
        print(f"Window shown: {window.windowTitle()}", flush=True)
        window.close()  # its closeEvent stops background work before the event loop ends
        self._app.quit()


def run_quitting_after_show(run, argv: list[str]) -> int:
    """Run the application's `run(argv)`, quitting once its first top-level window is visible."""
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.installEventFilter(_FirstWindowWatcher(app))
    QTimer.singleShot(TIME_LIMIT_MS, lambda: (print("No window was shown.", file=sys.stderr), app.exit(1)))
    return run(argv)
