"""A read of the case on a worker whose result is shown only if no later read replaced it.

A view that reads something slow (a run's findings, an account's charts, the timeline's
counts) starts a read for what the user chose; choosing again cancels the earlier read,
and a result that arrives after it was replaced is dropped, so the view never shows what
was chosen before.
"""

from PySide6.QtCore import QObject

from app.ui.task_runner import TaskRunner


class LatestRead(QObject):
    def __init__(self, title: str, parent: QObject):
        super().__init__(parent)
        self.title = title
        self._runner: TaskRunner | None = None

    @property
    def reading(self) -> bool:
        return self._runner is not None

    def start(self, case_path, operation, on_result, on_failed=None) -> None:
        """Run `operation(case, token)` (a Progress generator, as TaskRunner's) on a worker;
        its result goes to `on_result`, the plain message of a failure to `on_failed`."""
        self.stop()
        runner = TaskRunner(case_path, operation, title=self.title, parent=self, show_dialog=False)
        runner.finished.connect(lambda result: self._deliver(runner, on_result, result))
        runner.failed.connect(lambda message, _details: self._deliver(runner, on_failed, message))
        runner.cancelled.connect(lambda _message: self._deliver(runner, None))
        self._runner = runner
        runner.start()

    def stop(self) -> None:
        """Cancel the read under way, if any; its result will not be shown."""
        if self._runner is not None:
            self._runner.cancel()
            self._runner = None

    def _deliver(self, runner: TaskRunner, handler, *args) -> None:
        """Hand on what `runner` ended with, unless a later read has replaced it."""
        if runner is not self._runner:
            return
        self._runner = None
        if handler is not None:
            handler(*args)
