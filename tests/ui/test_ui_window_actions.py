"""The window's actions inside the main window: menus, timeline filtering, verify, audit, settings, drop."""

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.store.case_file import CaseFile
from app.ui import settings as S
from app.ui.main_window import MainWindow
from app.ui.window_actions import install_window_actions
from app.store.timeline_counts import DAY_US
from window_helpers import START_S, import_paths, write_log


@pytest.fixture
def window(qtbot, tmp_path, case_path):
    S.isolate_settings(tmp_path / "settings")
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 480, step_s=900)])
    win = MainWindow()
    qtbot.addWidget(win)
    if getattr(win, "window_actions", None) is None:
        install_window_actions(win)
    win.open_case(case_path)
    win.show()
    yield win
    win.close()


def action(window, menu, text):
    return next(a for a in window.menu(menu).actions() if a.text().replace("&", "") == text)


def test_clicking_a_timeline_bar_filters_the_table(qtbot, window):
    timeline = window.window_actions.timeline
    action(window, "View", "Timeline").trigger()
    timeline.unit_box.setCurrentText("day")
    qtbot.waitUntil(lambda: timeline.chart.timeline is not None and timeline.chart.timeline.unit == "day")
    chart = timeline.chart
    day = min(chart.timeline.buckets) + 1
    assert window.model.rowCount() == 480
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(day).center().toPoint())
    qtbot.waitUntil(lambda: window.model.rowCount() == 96)  # one row every 15 minutes, that day only
    start = START_S * 1_000_000 + DAY_US
    item_filter = window.current_filter()
    assert (item_filter.from_us, item_filter.to_us) == (start, start + DAY_US)


def test_the_timeline_counts_days_of_the_zone_chosen_in_settings(qtbot, window):
    timeline = window.window_actions.timeline
    action(window, "View", "Timeline").trigger()
    action(window, "Edit", "Settings...").trigger()
    window.window_actions.dialog.zone.setCurrentText("Asia/Kolkata")  # UTC+05:30
    with qtbot.waitSignal(timeline.refreshed, timeout=10000):
        window.window_actions.dialog.accept()
    timeline.unit_box.setCurrentText("day")
    qtbot.waitUntil(lambda: timeline.chart.timeline.unit == "day" and timeline.chart.timeline.zone == "Asia/Kolkata")
    chart = timeline.chart
    day = min(chart.timeline.buckets) + 1
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_rect(day).center().toPoint())
    qtbot.waitUntil(lambda: window.model.rowCount() == 96)  # a whole day of rows: India's, not UTC's
    start = START_S * 1_000_000 + DAY_US - 5 * 3_600_000_000 - 1_800_000_000  # midnight in India, in UTC
    item_filter = window.current_filter()
    assert (item_filter.from_us, item_filter.to_us) == (start, start + DAY_US)


def test_verify_from_the_menu_says_the_case_is_intact(qtbot, window):
    with qtbot.waitSignal(window.window_actions.timeline.refreshed, timeout=10000, raising=False):
        pass
    action(window, "Tools", "Verify Case...").trigger()
    dialog = window.window_actions.dialog
    with qtbot.waitSignal(dialog.verified, timeout=30000) as verified:
        pass
    assert verified.args[0].ok
    assert dialog.summary.text().startswith("The case is intact.")
    assert "1 original file" in dialog.summary.text()
    assert "its signatures match the registered keys" in dialog.summary.text()
    assert "Every entry is signed, by: tester on" in dialog.notes.text() and dialog.notes.isVisible()


@pytest.mark.parametrize(
    "tampering, named",
    [
        ("UPDATE items SET title = 'forged' WHERE id = 3", "items 3"),
        # the newest entry removed: this computer recorded it after the import
        ("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)", "this computer recorded entry 2 of this case"),
    ],
)
def test_verify_lists_each_discrepancy(qtbot, window, case_path, tampering, named):
    with CaseFile.open(case_path) as case:  # an edit made outside the application
        case.conn.execute(tampering)
    action(window, "Tools", "Verify Case...").trigger()
    dialog = window.window_actions.dialog
    with qtbot.waitSignal(dialog.verified, timeout=30000):
        pass
    assert "does NOT verify" in dialog.summary.text()
    assert any(named in dialog.problems.item(r).text() for r in range(dialog.problems.count()))


def test_verify_names_a_forged_account_and_lists_what_it_cannot_cover(qtbot, window, case_path):
    with CaseFile.open(case_path) as case:  # edits made outside the application
        case.conn.execute("UPDATE items SET account = 'acct-innocent' WHERE id = 5")
        case.conn.execute("INSERT INTO meta(key, value) VALUES ('written_by', 'someone')")
    action(window, "Tools", "Verify Case...").trigger()
    dialog = window.window_actions.dialog
    with qtbot.waitSignal(dialog.verified, timeout=30000):
        pass
    shown = [dialog.problems.item(r).text() for r in range(dialog.problems.count())]
    assert "does NOT verify" in dialog.summary.text()
    assert any(
        line.startswith("items 5: its account (account) changed since import: 'acct-innocent'") for line in shown
    ), shown
    assert any(line.startswith("Not covered: the case settings written_by") for line in shown), shown


def test_audit_log_lists_every_entry(qtbot, window):
    action(window, "Tools", "Audit Log...").trigger()
    view = window.window_actions.dialog
    assert view.model.rowCount() == 2  # case.create, import
    assert view.model.data(view.model.index(1, 3)) == "import"
    assert "api.jsonl" in view.model.data(view.model.index(1, 4))
    view.table.selectRow(1)
    assert "hash" in view.details.toPlainText() and "signed with key" in view.details.toPlainText()


def test_operator_name_from_settings_is_recorded_in_the_audit_log(qtbot, window):
    action(window, "Edit", "Settings...").trigger()
    dialog = window.window_actions.dialog
    dialog.operator.setText("Jane Paralegal")
    dialog.bates_prefix.setText("NWD")
    dialog.accept()
    assert window.settings.get(S.BATES_PREFIX) == "NWD"
    from app.store.annotations import tag_items

    tag_items(window.case, [1], "AEO")
    actor = window.case.conn.execute("SELECT actor FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert actor == "Jane Paralegal"


def test_settings_refuse_an_unknown_zone(qtbot, window):
    action(window, "Edit", "Settings...").trigger()
    dialog = window.window_actions.dialog
    dialog.zone.setCurrentText("Mars/Olympus")
    dialog.accept()
    assert dialog.isVisible() and "not a time zone" in dialog.problem.text()
    assert window.settings.get(S.DISPLAY_TIMEZONE) == ""


def test_dropping_a_file_opens_the_import_wizard(qtbot, window, tmp_path):
    log = write_log(tmp_path / "dropped.jsonl", 10)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(log))])
    enter = QDragEnterEvent(
        QPoint(50, 50), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()  # the window is now the drop target
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)
    wizard = window.window_actions.dialog
    assert wizard is not None and wizard.files() == [log]


def test_make_an_exhibit_from_the_rows_selected_in_the_table(qtbot, window):
    window.table.select_rows([2, 3, 4])
    assert len(window.selected_item_ids()) == 3
    action(window, "Evidence", "Make Exhibit from Selection...").trigger()
    dialog = window.window_actions.dialog
    qtbot.keyClicks(dialog.title, "Three calls in a row")
    dialog.ok_button.click()
    panel = window.window_actions.exhibits
    assert window.window_actions.exhibits_dock.isVisible()
    assert panel.exhibit_list.count() == 1
    assert sorted(panel.item_order()) == sorted(window.selected_item_ids())
    window.table.selectRow(3)
    qtbot.waitUntil(lambda: "Three calls in a row" in panel.membership.text())


def test_display_zone_from_settings_changes_the_times_shown(qtbot, window):
    before = window.model.data(window.model.index(0, 0))
    action(window, "Edit", "Settings...").trigger()
    dialog = window.window_actions.dialog
    dialog.zone.setCurrentText("Asia/Tokyo")
    dialog.accept()
    after = window.model.data(window.model.index(0, 0))
    assert before != after and "+09:00" in after


def test_export_from_the_menu_offers_the_selected_rows(qtbot, window):
    window.table.select_rows([0, 1])
    action(window, "Tools", "Export Bundle...").trigger()
    dialog = window.window_actions.dialog
    form = dialog.selection_form
    assert form.only_selected.isVisible() and "2 items" in form.only_selected.text()
    form.only_selected.setChecked(True)
    assert sorted(form.selection().item_ids) == sorted(window.selected_item_ids())
