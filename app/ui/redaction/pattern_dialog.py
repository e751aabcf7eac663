"""Redact by text, regular expression or built-in pattern, previewing how many matches in
how many items before anything is recorded. The search runs on a worker thread."""

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app.core.redaction_patterns import PATTERNS
from app.store import redactions
from app.store.errors import CaseFileError
from app.ui.redaction import commands

MODES = ("Text", "Regular expression", "Built-in pattern")
SCOPES = ("The whole case", "The selected items", "Items with the tag")


class PatternDialog(QDialog):
    def __init__(self, window, parent=None):
        super().__init__(parent or window)
        self.setObjectName("redactionPatternDialog")
        self.setWindowTitle("Redact by pattern")
        self.window = window
        self.found: dict | None = None
        self.mode = QComboBox(objectName="patternMode")
        self.mode.addItems(MODES)
        self.text = QLineEdit(objectName="patternText", placeholderText="the text or regular expression")
        self.builtin = QComboBox(objectName="builtinPattern")
        for pattern in PATTERNS.values():
            self.builtin.addItem(pattern.description, pattern.name)
        self.ignore_case = QCheckBox("Ignore upper and lower case")
        self.scope = QComboBox(objectName="patternScope")
        self.scope.addItems(SCOPES)
        self.tag = QComboBox(objectName="patternTag")
        for category in window.case.taxonomy():
            if category.group != redactions.GROUP:
                self.tag.addItem(f"{category.code}  {category.name}", category.code)
        self.reason = QComboBox(objectName="patternReason")
        for code, name in redactions.reasons(window.case.conn):
            self.reason.addItem(name, code)
        self.result = QLabel("Preview to see how many matches there are before redacting.", wordWrap=True)
        self.result.setObjectName("patternPreview")
        form = QFormLayout()
        form.addRow("Find", self.mode)
        form.addRow("Text", self.text)
        form.addRow("Pattern", self.builtin)
        form.addRow("", self.ignore_case)
        form.addRow("In", self.scope)
        form.addRow("Tag", self.tag)
        form.addRow("Reason", self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.preview_button = self.buttons.addButton("Preview", QDialogButtonBox.ButtonRole.ActionRole)
        self.apply_button = self.buttons.addButton("Redact", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.preview_button.clicked.connect(self.preview)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(self.buttons)
        for widget in (self.mode, self.scope, self.builtin):
            widget.currentIndexChanged.connect(self._changed)
        self.text.textChanged.connect(self._changed)
        self.ignore_case.toggled.connect(self._changed)
        self.tag.currentIndexChanged.connect(self._changed)
        self._changed()

    def rule(self) -> dict:
        mode = self.mode.currentIndex()
        rule: dict = {}
        if mode == 0:
            rule["literal"] = self.text.text()
        elif mode == 1:
            rule["regex"] = self.text.text()
        else:
            rule["pattern"] = self.builtin.currentData()
        if mode < 2 and self.ignore_case.isChecked():
            rule["ignore_case"] = True
        if self.scope.currentIndex() == 1:
            rule["item_ids"] = self.window.selected_item_ids()
        elif self.scope.currentIndex() == 2:
            rule["tags"] = [self.tag.currentData()]
        return rule

    def _changed(self) -> None:
        """Anything changed: the last preview no longer holds."""
        mode = self.mode.currentIndex()
        self.text.setEnabled(mode < 2)
        self.ignore_case.setEnabled(mode < 2)
        self.builtin.setEnabled(mode == 2)
        self.tag.setEnabled(self.scope.currentIndex() == 2)
        self.found = None
        self.apply_button.setEnabled(False)

    def preview(self) -> None:
        rule = self.rule()
        try:
            redactions.compile_rule(rule)
        except CaseFileError as exc:
            self.result.setText(str(exc))
            return
        if rule.get("item_ids") == []:
            self.result.setText("Select items in the table first, or choose the whole case.")
            return
        self.result.setText("Searching...")
        runner = self.window.run_task(
            lambda case, token: redactions.find_matches(case.conn, rule, token), "Finding matches"
        )
        runner.finished.connect(lambda found: self._previewed(rule, found))
        runner.failed.connect(lambda message, _details: self.result.setText(message))

    def _previewed(self, rule: dict, found: dict) -> None:
        if rule != self.rule():
            return  # the user changed the rule while it ran
        self.found = found
        total = sum(sum(hits.values()) for hits in found.values())
        if not found:
            self.result.setText("No matches: nothing would be redacted.")
        else:
            examples = sorted({text for hits in found.values() for text in hits}, key=len)[:3]
            shown = ", ".join(e if len(e) <= 40 else e[:37] + "..." for e in examples)
            self.result.setText(f"{total:,} match(es) in {len(found):,} item(s), e.g. {shown}.")
        self.apply_button.setEnabled(bool(found))

    def apply(self) -> None:
        if not self.found:
            return
        rule, found, reason = self.rule(), self.found, self.reason.currentData()
        made = commands.make(
            self.window,
            lambda case: redactions.redact_matches(case, rule, reason, found),
            f"Redact {redactions.rule_text(rule)}",
        )
        if made is not None:
            self.accept()
