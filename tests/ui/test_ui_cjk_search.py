"""The search box finds Chinese and Japanese words inside sentences, and the detail pane
highlights them."""

import pytest
from PySide6.QtCore import Qt

from app.store.case_file import CaseFile
from app.ui.main_window import MainWindow
from cjk_cases import MESSAGES, import_paths, write_messages


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "cjk.casefile"
    with CaseFile.create(path, "CJK", "CL-1", "UTC", operator="tester") as case:
        import_paths(case, write_messages(tmp_path / "mail"))
    win = MainWindow(path)
    qtbot.addWidget(win)
    win.show()
    return win


def _search(qtbot, window, query) -> list[str]:
    window.filters.search_edit.setText(query)
    qtbot.keyClick(window.filters.search_edit, Qt.Key.Key_Return)
    return [window.model.row(r)["title"] for r in range(window.model.rowCount())]


def _highlighted(window) -> list[str]:
    return [s.cursor.selectedText() for s in window.detail.text_view.extraSelections()]


@pytest.mark.parametrize(
    "query, title, marked",
    [
        ("密钥", MESSAGES["zh-key"][0], ["密钥"]),  # 2 characters, at the end of 每三天更换一次密钥
        ("数据集", MESSAGES["zh-data"][0], ["数据集"]),  # 3
        ("服务条款", MESSAGES["zh-data"][0], ["服务条款"]),  # 4
        ("報告書", MESSAGES["ja"][0], ["報告書"]),  # Japanese, 3
        ("競合他社", MESSAGES["ja"][0], ["競合他社"]),  # 4, in the subject and the body
        ("API密钥", MESSAGES["zh-data"][0], ["API密钥", "API", "密钥"]),  # glued to a Latin word
    ],
)
def test_a_cjk_word_is_found_and_highlighted(qtbot, window, query, title, marked):
    titles = _search(qtbot, window, query)
    assert title in titles and not window.filters.search_error.isVisible()
    window.table.selectRow(titles.index(title))
    highlighted = _highlighted(window)
    assert highlighted and set(highlighted) <= set(marked) | {m.lower() for m in marked}
    assert marked[0] in highlighted or all(m in highlighted for m in marked[1:])


def test_look_alikes_are_not_listed(qtbot, window):
    assert _search(qtbot, window, "密钥") == [MESSAGES["zh-key"][0], MESSAGES["zh-data"][0]]
    assert _search(qtbot, window, "研究所") == [MESSAGES["ja"][0]]
