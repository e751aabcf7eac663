"""The review layout: docks the user can move and reset, saved per user, usable at 1366x768 and at 200%.

Each screen is probed in its own process (tests/ui/layout_probe.py): Qt fixes the
screen's size and scale when the application starts.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from app.ui import settings as S
from app.ui.main_window import MainWindow
from app.ui.window_layout import LAYOUT_VERSION

PROBE = Path(__file__).with_name("layout_probe.py")
SCREENS = {
    "1366x768": ({"width": 1366, "height": 768}, "1"),
    "200pct": ({"width": 1920, "height": 1080}, "2"),  # a full-HD laptop at 200%: 960x540 to lay out
}
LEFT, RIGHT = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea


def probe(tmp_path, case_path, screen: str, screenshot: Path | None = None, geometry: QByteArray | None = None) -> dict:
    size, scale = SCREENS[screen]
    config = tmp_path / f"{screen}.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, **size, "logicalDpi": 96}]}))
    settings_dir = tmp_path / f"settings-{screen}"
    if geometry is not None:  # saved on a bigger screen
        S.isolate_settings(settings_dir)
        S.Settings().set(S.WINDOW_GEOMETRY, geometry)
        S.Settings().sync()
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale}
    args = [sys.executable, str(PROBE), str(case_path), str(settings_dir)] + ([str(screenshot)] if screenshot else [])
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_panel_is_usable_on_the_screen(tmp_path, review_case_path, screen):
    report = probe(tmp_path, review_case_path, screen)
    assert report["window_inside"], report["window"]
    for name, panel in report["panels"].items():
        assert panel["visible"] and panel["inside"] and panel["at_least_minimum"], (name, panel)
    assert report["filters_fit"]  # the filter box scrolls rather than overlapping its rows
    assert report["export_inside"] and report["export_buttons_inside"]
    assert report["timeline_inside"]
    rows, columns = (10, 4) if screen == "1366x768" else (5, 2)
    assert report["coding_rows"] >= rows
    assert report["coding_rows_with_timeline"] == report["coding_rows"]  # the timeline takes none of it
    assert report["table_columns"] >= columns  # with an item selected and shown in the document pane
    assert len(report["feature_docks"]) >= 8  # findings, provenance, facts, proof, redaction, batches...
    unusable = {title: shown for title, shown in report["feature_docks"].items() if not all(shown.values())}
    assert not unusable, unusable


def test_a_window_saved_on_a_bigger_screen_opens_within_this_one(tmp_path, review_case_path, qtbot):
    big = MainWindow()
    qtbot.addWidget(big)
    big.setGeometry(0, 0, 2400, 1500)
    geometry = big.saveGeometry()
    big.close()
    report = probe(tmp_path, review_case_path, "200pct", geometry=geometry)
    assert report["window_inside"] and report["window"][2] <= 960 and report["window"][3] <= 540


def _docks(window: MainWindow):
    return window.layout_docks


def test_filters_left_table_middle_document_and_coding_right(qtbot, review_window):
    window, docks = review_window, _docks(review_window)
    assert window.centralWidget() is window.table
    assert window.dockWidgetArea(docks.filters_dock) == LEFT
    assert window.dockWidgetArea(docks.document_dock) == RIGHT == window.dockWidgetArea(docks.coding_dock)
    assert docks.document_dock.geometry().bottom() < docks.coding_dock.geometry().top()  # document above coding
    assert docks.filters_dock.widget().widget() is window.filters  # in a scroll area
    for dock in (docks.filters_dock, docks.document_dock, docks.coding_dock):
        assert dock.features() & QDockWidget.DockWidgetFeature.DockWidgetMovable
    assert window.table.geometry().left() > docks.filters_dock.geometry().right()


def test_reset_layout_brings_every_panel_back(qtbot, review_window):
    window, docks = review_window, _docks(review_window)
    docks.coding_dock.setFloating(True)
    docks.filters_dock.close()
    window.addDockWidget(LEFT, docks.document_dock)
    next(a for a in window.menu("View").actions() if a.text() == "Reset &Layout").trigger()
    assert not docks.coding_dock.isFloating() and docks.filters_dock.isVisible()
    assert window.dockWidgetArea(docks.document_dock) == RIGHT == window.dockWidgetArea(docks.coding_dock)
    assert not window.window_actions.timeline_dock.isVisible()


def test_a_layout_saved_by_an_older_version_is_not_restored(qtbot, review_case_path):
    old = QMainWindow()  # the first window's layout: no panel docks
    qtbot.addWidget(old)
    S.Settings().set(S.WINDOW_STATE, old.saveState(LAYOUT_VERSION - 1))
    window = MainWindow(review_case_path)
    qtbot.addWidget(window)
    window.show()
    docks = _docks(window)
    assert all(dock.isVisible() for dock in (docks.filters_dock, docks.document_dock, docks.coding_dock))
    assert window.dockWidgetArea(docks.filters_dock) == LEFT
    window.close()


def test_a_notes_list_installed_as_a_feature_sits_in_the_coding_panel(qtbot, review_case_path, monkeypatch):
    from PySide6.QtWidgets import QLineEdit, QWidget

    from app.ui import features

    def install_notes(window):  # as a feature installs its notes list: a widget in its own dock
        notes = QWidget(objectName="notesPanel")
        notes.new_note = QLineEdit(notes)
        notes.dock = window.add_dock("Notes", notes)
        window.notes_panel = notes
        return notes

    def install_beside_the_tree(window):  # as a feature adds a view of the categories to the panel
        layout = window.taxonomy.layout()
        window.category_grid = QWidget(objectName="categoryGrid")
        layout.insertWidget(layout.indexOf(window.taxonomy.tree) + 1, window.category_grid, 1)

    monkeypatch.setattr(features, "FEATURE_INSTALLERS", [install_notes, install_beside_the_tree])
    window = MainWindow(review_case_path)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    coding = window.taxonomy
    assert coding.pages.count() == 2 and coding.pages.tabText(1) == "Notes"
    categories = coding.pages.widget(0)
    assert window.taxonomy.tree.parent() is categories and window.category_grid.parent() is categories
    assert window.notes_panel.parent() is not window.notes_panel.dock
    assert not window.notes_panel.dock.toggleViewAction().isVisible()
    assert not coding.note_row.isVisible()  # the list has its own field for a new note
    next(a for a in window.menu("Evidence").actions() if a.text() == "Add &Note...").trigger()
    assert coding.pages.currentWidget() is window.notes_panel
    qtbot.waitUntil(window.notes_panel.new_note.hasFocus)
    window.close()
