"""Exhibits by hand: make one from items, reorder it, see which exhibits an item is in."""

from app.store import annotations
from app.ui.exhibits_panel import ExhibitDialog, ExhibitsPanel, create_exhibit_from
from app.ui.task_runner import WRITE_LOCK
from window_helpers import import_paths, write_log


def test_make_reorder_and_find_an_exhibit(qtbot, case, case_path, tmp_path):
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 20)])
    panel = ExhibitsPanel(case)
    qtbot.addWidget(panel)
    dialog = ExhibitDialog(3)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.title, "Harvesting run, 1 March")
    assert dialog.ok_button.isEnabled()
    exhibit_id = create_exhibit_from(panel, case, [4, 5, 6], dialog.title.text(), "three calls")
    panel.reload(exhibit_id)
    assert panel.exhibit_list.count() == 1 and panel.item_order() == [4, 5, 6]
    panel.items_list.setCurrentRow(2)
    with qtbot.waitSignal(panel.exhibits_changed):
        panel.move_item(-1)
    assert panel.item_order() == [4, 6, 5]
    assert annotations.exhibit(case, exhibit_id)["item_ids"] == [4, 6, 5]
    panel.show_item_membership(6)
    assert "Harvesting run, 1 March" in panel.membership.text()
    panel.show_item_membership(7)
    assert "no exhibit" in panel.membership.text()
    actions = [r[0] for r in case.conn.execute("SELECT action FROM audit ORDER BY seq")]
    assert actions[-2:] == ["exhibit.create", "exhibit.update"]


def test_a_write_during_an_import_is_refused_in_plain_words(qtbot, case, case_path, tmp_path):
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 5)])
    panel = ExhibitsPanel(case)
    qtbot.addWidget(panel)
    with WRITE_LOCK:  # as if an import were running on a worker
        assert create_exhibit_from(panel, case, [1, 2], "Too early", None) is None
    box = panel.findChild(object, "errorDialog")
    assert box is not None and "try again" in box.text()
    assert annotations.exhibits(case) == []


def test_moving_a_row_in_the_list_saves_the_new_order(qtbot, case, case_path, tmp_path):
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", 5)])
    exhibit_id = annotations.create_exhibit(case, "Order", [1, 2, 3])
    panel = ExhibitsPanel(case)
    qtbot.addWidget(panel)
    panel.reload(exhibit_id)
    model = panel.items_list.model()
    with qtbot.waitSignal(panel.exhibits_changed):
        model.moveRow(model.index(0, 0).parent(), 0, model.index(0, 0).parent(), 3)  # what a drag does
    assert annotations.exhibit(case, exhibit_id)["item_ids"] == [2, 3, 1]
