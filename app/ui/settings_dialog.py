"""Preferences over the declared settings (app/ui/settings.py): zone, operator, Bates prefix."""

from zoneinfo import available_timezones

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from app.store.case_file import default_operator
from app.ui import settings as S

CASE_ZONE = "(each case's own zone)"


class SettingsDialog(QDialog):
    """Edits DISPLAY_TIMEZONE, OPERATOR_NAME and BATES_PREFIX; saves on OK."""

    def __init__(self, settings: S.Settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.addItems([CASE_ZONE, "UTC", *sorted(z for z in available_timezones() if z != "UTC")])
        self.zone.setCurrentText(settings.get(S.DISPLAY_TIMEZONE) or CASE_ZONE)
        self.operator = QLineEdit(settings.get(S.OPERATOR_NAME))
        self.operator.setPlaceholderText(f"{default_operator()} (the computer's user name)")
        self.bates_prefix = QLineEdit(settings.get(S.BATES_PREFIX))
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a00")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Show times in:", self.zone)
        self.operator_label = QLabel("Reviewer name (recorded in the audit log):")
        self.operator.setToolTip("Recorded as who made each change: tags, notes, reviewed marks, imports, exports.")
        form.addRow(self.operator_label, self.operator)
        form.addRow("Default Bates prefix:", self.bates_prefix)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.resize(560, 200)

    def accept(self) -> None:
        zone = self.zone.currentText().strip()
        zone = "" if zone == CASE_ZONE else zone
        if zone and zone not in available_timezones():
            self.problem.setText(f"{zone!r} is not a time zone name (for example Europe/London).")
            return
        prefix = self.bates_prefix.text().strip()
        if not prefix or not prefix.replace("-", "").replace("_", "").isalnum():
            self.problem.setText("A Bates prefix is letters and digits (a dash or underscore allowed).")
            return
        self.settings.set(S.DISPLAY_TIMEZONE, zone)
        self.settings.set(S.OPERATOR_NAME, self.operator.text().strip())
        self.settings.set(S.BATES_PREFIX, prefix)
        self.settings.sync()
        super().accept()
