"""'Verify case': re-hash the originals, replay the audit chain, and say the result plainly.

Runs `app.store.verify.verify_case` on a worker thread through `TaskRunner` (it also
records the verification in the audit log, so it is a writing operation).
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout

from app.store.verify import verify_case
from app.ui.task_runner import TaskRunner

CHECKED_WORDS = (
    ("sources", "original file", "original files"),
    ("items", "item", "items"),
    ("audit_entries", "audit entry", "audit entries"),
    ("tags", "tag", "tags"),
    ("notes", "note", "notes"),
    ("exhibits", "exhibit", "exhibits"),
)


def plain_result(result) -> str:
    """'Verified: 3 original files re-hashed, ... No discrepancy.' or the count of problems."""
    checked = []
    for key, one, many in CHECKED_WORDS:
        if key in result.checked:
            count = result.checked[key]
            checked.append(f"{count:,} {one if count == 1 else many}")
    scope = "Checked " + ", ".join(checked) + "." if checked else ""
    signed = " and its signatures match the registered keys" if result.checked.get("signed_entries") else ""
    if result.ok:
        unproven = (
            (" Some values are not covered by any hash, so they are not proven unchanged: they are listed below.")
            if result.not_covered
            else ""
        )
        return (
            f"The case is intact. {scope} Every original matches its SHA-256, the audit chain is "
            f"unbroken{signed}, and every item, tag, note and exhibit matches the audit log.{unproven}"
        )
    count = len(result.problems)
    return (
        f"The case does NOT verify: {count:,} {'discrepancy' if count == 1 else 'discrepancies'} found. "
        f"{scope} Each is listed below; keep this case file as it is and consult the audit log."
    )


class VerifyDialog(QDialog):
    """Starts the verification when opened; shows the result and each discrepancy."""

    verified = Signal(object)  # VerifyResult
    failed = Signal(str)

    def __init__(self, case_path, operator: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Verify case")
        self.result = None
        self.summary = QLabel("Verifying the case: re-hashing every original and replaying the audit log…")
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.hide()
        # What the check could not prove, and what it held the log against (see VerifyResult.notes).
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.problems, 1)
        layout.addStretch(0)  # takes the room while there is no list of problems
        layout.addWidget(buttons)
        self.resize(640, 240)
        self.runner = TaskRunner(
            case_path,
            lambda case, token: verify_case(case, token),
            title="Verifying the case",
            parent=self,
            operator=operator,
            writes=True,
        )
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_failed)

    def start(self) -> None:
        self.open()
        self.runner.start()

    def _on_finished(self, result) -> None:
        self.result = result
        self.summary.setText(plain_result(result))
        if result.notes:
            self.notes.setText("\n".join(f"\u2022 {note}" for note in result.notes))
            self.notes.show()
            self.resize(760, 300)
        not_covered = [f"Not covered: {note}" for note in result.not_covered]
        if result.problems or not_covered:
            self.problems.addItems([str(p) for p in result.problems] + not_covered)
            self.problems.show()
            self.resize(760, 560)
        self.verified.emit(result)

    def _on_failed(self, message: str, _details: str = "") -> None:
        self.summary.setText(f"The verification did not complete: {message}")
        self.failed.emit(message)

    def reject(self) -> None:
        if self.runner.running:
            self.runner.cancel()
            self.runner.wait()
        super().reject()
