"""The import wizard's buttons say what they do; the import shows one progress bar and one cancel."""

from PySide6.QtWidgets import QApplication, QProgressBar, QPushButton, QWizard

from test_ui_import_wizard import open_wizard
from window_helpers import write_log

CANCELS = ("Cancel", "Cancel import", "&Cancel")


def _button(wizard, which):
    return wizard.button(which)


def test_the_first_button_names_the_next_step(qtbot, case_path, tmp_path):
    wizard = open_wizard(qtbot, case_path, [])  # File > Import, no file chosen yet
    wizard.files_page.add_paths([write_log(tmp_path / "api.jsonl", 10)])  # a log: its fields are mapped next
    next_button = _button(wizard, QWizard.WizardButton.NextButton)
    assert not _button(wizard, QWizard.WizardButton.CommitButton).isVisible()
    assert next_button.isVisible() and "Import" not in next_button.text()
    assert "map" in next_button.text().lower()
    next_button.click()
    assert wizard.currentPage() is wizard.mapping_page
    assert _button(wizard, QWizard.WizardButton.CommitButton).text() == "Import"


def _visible(widgets):
    return [w for w in widgets if w.isVisible()]


def test_the_import_shows_one_bar_and_one_cancel(qtbot, case_path, tmp_path):
    wizard = open_wizard(qtbot, case_path, [write_log(tmp_path / "big.jsonl", 40000)])
    wizard.next()
    seen = {}

    def look(report):
        if report.records and not seen:
            widgets = [
                w for top in QApplication.topLevelWidgets() if top.isVisible() for w in top.findChildren(QPushButton)
            ]
            bars = [
                b for top in QApplication.topLevelWidgets() if top.isVisible() for b in top.findChildren(QProgressBar)
            ]
            seen["bars"] = len(_visible(bars))
            seen["cancels"] = [b.text() for b in _visible(widgets) if b.text() in CANCELS]
            wizard.run_page.cancel_import()

    with qtbot.waitSignal(wizard.import_cancelled, timeout=60000):
        wizard.next()
        wizard.run_page.runner.progressed.connect(look)
    assert seen["bars"] == 1
    assert seen["cancels"] == ["Cancel import"]
