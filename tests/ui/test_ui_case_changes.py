"""The main window says what each write changed, and each view redraws only what it shows.

A tag moves the timeline's tagged markers and the table's tags column; it does not
recount the timeline's bars (a second on a million rows) nor reload the exhibits
list. An import changes everything, and both follow.
"""

import pytest

from app.core.case_changes import CaseChanges
from app.store.case_file import CaseFile
from app.ui.evidence_model import COLUMN
from window_helpers import START_S, open_window, write_log

ROWS = 480


@pytest.fixture
def window(qtbot, tmp_path, case_path):
    with open_window(qtbot, tmp_path, case_path, ROWS) as win:
        yield win


@pytest.fixture
def shown_timeline(qtbot, window):
    """The timeline dock open and counted once."""
    timeline = window.window_actions.timeline
    with qtbot.waitSignal(timeline.refreshed, timeout=30000):
        window.window_actions.timeline_dock.show()
    return timeline


def spy(monkeypatch, obj, name: str) -> list:
    """Record each call of obj.name (still calling it)."""
    calls, original = [], getattr(obj, name)

    def recorded(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, recorded)
    return calls


def dated_count(timeline) -> int:
    return sum(sum(counts.values()) for counts in timeline.series.values())


def test_a_tag_redraws_the_tagged_markers_without_recounting_the_bars(qtbot, monkeypatch, window, shown_timeline):
    chart = shown_timeline.chart
    bars = chart.timeline.series
    assert sum(chart.timeline.tagged.values()) == 0
    recounts = spy(monkeypatch, shown_timeline, "refresh")
    reloads = spy(monkeypatch, window.window_actions.exhibits, "reload")
    window.table.selectAll()
    with qtbot.waitSignal(window.changes_made) as made, qtbot.waitSignal(shown_timeline.refreshed, timeout=30000):
        window.tagger.tag("HOT")
    assert made.args[0] == CaseChanges(tags=True)
    assert sum(chart.timeline.tagged.values()) == ROWS  # the markers follow the tag...
    assert chart.timeline.series is bars and recounts == []  # ...the bars were not counted again
    assert reloads == []
    assert "HOT" in window.model.data(window.model.index(0, COLUMN["tags"]))  # the table shows it


def test_undoing_a_tag_takes_its_markers_away(qtbot, window, shown_timeline):
    window.table.selectAll()
    with qtbot.waitSignal(shown_timeline.refreshed, timeout=30000):
        window.tagger.tag("HOT")
    with qtbot.waitSignal(shown_timeline.refreshed, timeout=30000):
        window.undo_stack.undo()
    assert sum(shown_timeline.chart.timeline.tagged.values()) == 0


def test_a_tag_made_while_the_timeline_is_hidden_shows_when_it_opens(qtbot, window, shown_timeline):
    window.window_actions.timeline_dock.hide()
    window.table.selectAll()
    window.tagger.tag("HOT")
    with qtbot.waitSignal(shown_timeline.refreshed, timeout=30000):
        window.window_actions.timeline_dock.show()
    assert sum(shown_timeline.chart.timeline.tagged.values()) == ROWS


def test_a_note_reloads_neither_the_exhibits_nor_the_timeline(qtbot, monkeypatch, window, shown_timeline):
    recounts = spy(monkeypatch, shown_timeline, "refresh")
    markers = spy(monkeypatch, shown_timeline, "refresh_tagged")
    reloads = spy(monkeypatch, window.window_actions.exhibits, "reload")
    window.table.setCurrentIndex(window.model.index(0, 0))
    with qtbot.waitSignal(window.changes_made) as made:
        window.tagger.add_note("Compare with the invoice")
    assert made.args[0] == CaseChanges(notes=True)
    assert (recounts, markers, reloads) == ([], [], [])
    assert "Compare with the invoice" in window.detail.annotations_label.text()


def test_an_import_recounts_the_timeline_and_reloads_the_exhibits(qtbot, monkeypatch, tmp_path, window, shown_timeline):
    before = dated_count(shown_timeline.chart.timeline)
    recounts = spy(monkeypatch, shown_timeline, "refresh")
    reloads = spy(monkeypatch, window.window_actions.exhibits, "reload")
    more = write_log(tmp_path / "more.jsonl", 100, step_s=600, start_s=START_S + ROWS * 900)  # the days after
    wizard = window.window_actions.open_import([more])
    wizard.next()
    with qtbot.waitSignal(window.changes_made, timeout=60000) as made:
        wizard.next()
    assert made.args[0] == CaseChanges.everything()
    qtbot.waitUntil(lambda: dated_count(shown_timeline.chart.timeline) == before + 100, timeout=30000)
    assert recounts and reloads
    with CaseFile.open(window.case_path) as case:
        assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == before + 100


def test_saving_a_search_redraws_nothing(qtbot, monkeypatch, window):
    made = []
    window.changes_made.connect(made.append)
    refreshes = spy(monkeypatch, window.model, "refresh")
    window.filters.save_requested.emit("all of it", window.current_filter())
    assert made == [] and refreshes == []
    assert window.filters.saved_combo.findText("all of it") > 0
