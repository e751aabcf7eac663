"""The export dialog's line saying what the selection gives, before anything is exported.

"This selection gives 1,484 items in 12 exhibits; 3 privileged items are withheld."
Counted on a worker thread (app/export/preview.py) a moment after the user stops
changing the selection; a newer count cancels the one under way.
"""

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QLineEdit, QListWidget, QRadioButton

from app.core.wording import plural
from app.export.preview import BundlePreview, preview_steps
from app.ui.task_runner import TaskRunner

DEBOUNCE_MS = 300


def describe(preview: BundlePreview) -> str:
    text = f"This selection gives {plural(preview.items, 'item')} in {plural(preview.exhibits, 'exhibit')}"
    if preview.withheld:
        verb = "is" if preview.withheld == 1 else "are"
        text += f"; {plural(preview.withheld, 'privileged item')} {verb} withheld (privilege log)"
    return text + "."


class BundlePreviewLabel(QObject):
    """Keeps `dialog.preview_label` saying what `dialog.selection_form` gives."""

    def __init__(self, dialog, case_path):
        super().__init__(dialog)
        self.dialog, self.case_path = dialog, case_path
        self.runner: TaskRunner | None = None
        self.latest: BundlePreview | None = None
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.count)

    def watch(self, form, more_boxes=()) -> None:
        """Count again whenever a widget of the selection (or a log grouping box) changes."""
        for widget in [*form.findChildren(QCheckBox), *form.findChildren(QRadioButton), *more_boxes]:
            widget.toggled.connect(self.changed)
        for widget in form.findChildren(QListWidget):
            widget.itemChanged.connect(self.changed)
        for widget in form.findChildren(QLineEdit):
            if not isinstance(widget.parent(), QDateTimeEdit):
                widget.textChanged.connect(self.changed)
        for widget in form.findChildren(QDateTimeEdit):
            widget.dateTimeChanged.connect(self.changed)
        self.count()

    def changed(self, *_args) -> None:
        self.dialog.preview_label.setText("Counting what this selection gives…")
        self._debounce.start()

    def count(self) -> None:
        if self.runner is not None:
            self.runner.cancel()
        selection = self.dialog.selection_form.selection()
        log_group = [k for k, box in self.dialog.log_group.items() if box.isChecked()] or ["source"]
        runner = TaskRunner(
            self.case_path,
            lambda case, token: preview_steps(case, selection, log_group, token),
            title="Counting",
            parent=None,  # outlives the dialog if closed mid-count: it ends (and is let go) on its own
            show_dialog=False,
        )
        runner.finished.connect(self._counted)
        runner.failed.connect(self._failed)
        self.runner = runner
        runner.start()

    def _counted(self, preview: BundlePreview) -> None:
        if self.sender() is self.runner:
            self.latest = preview
            self.dialog.preview_label.setText(describe(preview))

    def _failed(self, message: str, _details: str) -> None:
        if self.sender() is self.runner:
            self.dialog.preview_label.setText(f"What this selection gives could not be counted: {message}")
