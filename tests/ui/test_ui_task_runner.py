"""The Qt <-> core bridge: results, errors, cancel with rollback, throttled progress."""

import itertools
import threading
from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.core.cancel import Progress
from app.store import annotations
from app.store.case_file import CaseFile
from app.ui import task_runner
from app.ui.task_runner import TaskRunner


def _count_items(case, token):
    yield Progress("Counting", 0, 1, "items")
    return case.conn.execute("SELECT count(*) FROM items").fetchone()[0]


def test_result_arrives_on_the_gui_thread(qtbot, review_case_path):
    # Work that ends before the dialog's delay never flashes a dialog. The delay is set far
    # beyond the work here: with the default half second, a loaded machine may outlast it.
    runner = TaskRunner(review_case_path, _count_items, title="Counting", dialog_delay_ms=600_000)
    with qtbot.waitSignal(runner.finished, timeout=10000) as blocker:
        runner.start()
    assert blocker.args[0] > 40
    assert runner.dialog is None


def test_cancel_rolls_back_a_write(qtbot, review_case_path, monkeypatch):
    # The worker's clock advances 5 ms per report: 200 reports a second, whatever the load.
    ticks = itertools.count()
    monkeypatch.setattr(task_runner, "time", SimpleNamespace(monotonic=lambda: next(ticks) * 0.005))
    waiting = threading.Event()

    def tag_then_wait(case, token):
        with case.transaction():
            case.conn.execute("INSERT INTO tags(item_id, code) VALUES (1, 'TOS-COMPETE-TRAIN')")
            for i in range(200):
                yield Progress("Waiting", i, 200, "steps")
            while not token.cancelled:  # poll the token: the work lasts until Cancel is clicked
                waiting.wait(0.01)
            token.raise_if_cancelled()

    runner = TaskRunner(review_case_path, tag_then_wait, title="Tagging", writes=True)
    progress = []
    runner.progressed.connect(progress.append)
    runner.start()
    qtbot.waitUntil(lambda: runner.dialog is not None and runner.dialog.isVisible(), timeout=60000)
    with qtbot.waitSignal(runner.cancelled, timeout=10000) as blocker:
        qtbot.mouseClick(runner.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    assert "nothing was changed" in blocker.args[0]
    # one second of 200 reports a second arrives throttled to 10 a second
    assert 9 <= len(progress) <= 11
    with CaseFile.open(review_case_path) as case:
        assert annotations.item_tags(case, 1) == []


def test_errors_arrive_in_plain_words_with_details(qtbot, review_case_path):
    def broken(case, token):
        yield Progress("Tagging", 0, 1)
        annotations.tag_items(case, [1], "NO-SUCH-CODE")

    runner = TaskRunner(review_case_path, broken, title="Tagging", writes=True)
    with qtbot.waitSignal(runner.failed, timeout=10000) as blocker:
        runner.start()
    message, details = blocker.args
    assert message == "There is no category 'NO-SUCH-CODE' in this case's taxonomy."
    assert "Traceback" in details
