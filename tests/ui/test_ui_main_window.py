"""The main window: open a case, title and status, menus and shortcuts, errors shown."""

from PySide6.QtWidgets import QMessageBox

from app.ui.main_window import MainWindow


def _window(qtbot, path=None):
    window = MainWindow(path)
    qtbot.addWidget(window)
    window.show()
    return window


def test_open_case_shows_its_name_and_counts(qtbot, review_case_path):
    window = _window(qtbot, review_case_path)
    assert "Northwind v. Riverbend Labs" in window.windowTitle()
    assert "items" in window.status_label.text()
    assert window.settings.recent_cases()[0].endswith("review.casefile")


def test_opening_garbage_shows_an_error_not_a_crash(qtbot, tmp_path):
    garbage = tmp_path / "garbage.casefile"
    garbage.write_bytes(b"this is not a database" * 100)
    window = _window(qtbot)
    assert window.open_case(garbage) is False
    box = window.findChild(QMessageBox, "errorDialog")
    assert box is not None and "not a Casefile case file" in box.text()
    assert window.case is None


def test_menus_exist_and_take_actions(qtbot):
    window = _window(qtbot)
    calls = []
    action = window.add_menu_action("Tools", "Export...", lambda: calls.append(1), "Ctrl+E")
    assert not action.isEnabled()  # no case open
    assert [
        m.title().replace("&", "")
        for m in window.menuBar().findChildren(type(window.menu("File")))
        if m.parent() is window.menuBar()
    ][:7] == ["File", "Edit", "View", "Evidence", "Analysis", "Tools", "Help"]


def test_new_case_asks_name_and_zone_and_opens_it(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    target = tmp_path / "fresh"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Acme v. Example", True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Europe/Berlin", True))
    window = _window(qtbot)
    window.new_case_dialog()
    assert window.case is not None and window.case.path == tmp_path / "fresh.casefile"
    assert window.case.name == "Acme v. Example" and window.case.timezone == "Europe/Berlin"
    assert window.windowTitle().startswith("Acme v. Example - 0 items")


def test_case_left_open_by_a_killed_import_says_so_on_open(qtbot, tmp_path):
    """The files a kill during an import leaves: the window opens the case and says what happened."""
    import pytest
    from app.store.case_file import CaseFile
    from kill_points import snapshot

    path = tmp_path / "live.casefile"
    CaseFile.create(path, "Killed import", operator="alice").close()
    with CaseFile.open(path, operator="alice") as case:
        case.conn.execute("PRAGMA wal_autocheckpoint = 0")
        with pytest.raises(RuntimeError), case.transaction("import", "api-log.jsonl"):
            left = snapshot(path, tmp_path / "left.casefile")  # killed here
            raise RuntimeError
    window = _window(qtbot)
    assert window.open_case(left) is True
    box = window.findChild(QMessageBox, "errorDialog")
    assert box is not None and box.text().startswith("left.casefile was not closed properly")
    assert "An import of api-log.jsonl, started" in box.text() and "Import the files again." in box.text()
    assert "Killed import" in window.windowTitle()
