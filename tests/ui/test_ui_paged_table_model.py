"""The paged table model asks its subclass for nothing before the subclass is set up."""

from PySide6.QtWidgets import QTableView

from app.ui.paged_table_model import PagedTableModel


class Squares(PagedTableModel):
    """Set up the usual way: the base class first, then its own state."""

    COLUMNS = ("n", "square")
    PAGE = 10

    def __init__(self, rows: int, parent=None):
        super().__init__(parent)
        self.rows = rows
        self.fetched: list[int] = []

    def count(self) -> int:
        return self.rows

    def fetch(self, offset: int, limit: int) -> list[tuple]:
        self.fetched.append(offset)
        return [(n, n * n) for n in range(offset, min(offset + limit, self.rows))]


def test_a_subclass_setting_itself_up_after_the_base_class_shows_its_rows(qtbot):
    model = Squares(95)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    assert model.rowCount() == 95
    assert model.row(42) == (42, 1764)
    assert 40 in model.fetched and 90 not in model.fetched  # a page at a time


def test_reload_counts_again(qtbot):
    model = Squares(5)
    assert model.rowCount() == 5
    with qtbot.waitSignal(model.modelReset):
        model.rows = 7
        model.reload()
    assert model.rowCount() == 7
