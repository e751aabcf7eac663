"""Moving the review table to an item: select its row, make it current, show it.

Used by "go to item" (Ctrl+G), "next unreviewed" of a review batch and the thread view.
The row is found by the store (item_pages.position_of), so it is right under any sort
and filter without loading the rows before it.
"""


def select_item(window, item_id: int) -> bool:
    """Make the item the table's current, selected row; False when the table does not list it."""
    if not window.table.select_item(item_id):
        return False
    window.table.scroll_to_start_column()  # keep the Time column in view
    return True
