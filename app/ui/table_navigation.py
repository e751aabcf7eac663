"""Moving the review table to an item: select its row, make it current, show it.

Used by "go to item" (Ctrl+G), "next unreviewed" of a review batch and the thread view.
The row is found by the store (item_pages.position_of), so it is right under any sort
and filter without loading the rows before it.
"""

from PySide6.QtCore import QItemSelectionModel


def select_item(window, item_id: int) -> bool:
    """Make the item the table's current, selected row; False when the table does not list it."""
    row = window.model.row_of(item_id)
    if row is None:
        return False
    table = window.table
    index = window.model.index(row, 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    table.selectionModel().setCurrentIndex(index, flags)
    table.scrollTo(index)
    table.horizontalScrollBar().setValue(0)  # keep the Time column in view
    return True
