"""A narrowing laid over the filter panel's filter: an open review batch, a chosen thread.

The filter panel builds the table's ItemFilter from what the user set there. A feature
that shows "only this batch" or "only this thread" must keep doing so when the user then
searches or changes a filter, and must let go without disturbing the panel. So each
feature sets its own fields here (`narrow("batch", batch_id=3)`), and the table always
lists the panel's filter with every narrowing laid over it.
"""

import dataclasses

from PySide6.QtCore import QObject, Signal

from app.store.item_query import ItemFilter


class ReviewScope(QObject):
    changed = Signal()

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._narrowings: dict[str, dict] = {}
        # After the window's own slot (connected first), which lists the panel's filter alone.
        window.filters.filter_changed.connect(lambda _f: self._apply() if self._narrowings else None)

    def narrow(self, name: str, **fields) -> None:
        self._narrowings[name] = fields
        self._apply()

    def release(self, name: str) -> None:
        if self._narrowings.pop(name, None) is not None:
            self._apply()

    def release_all(self) -> None:
        """Let go of every narrowing (go to an item the table does not list)."""
        if self._narrowings:
            self._narrowings.clear()
            self._apply()

    def fields(self, name: str) -> dict | None:
        return self._narrowings.get(name)

    def item_filter(self, base: ItemFilter | None = None) -> ItemFilter:
        """The panel's filter (or `base`) with every narrowing laid over it."""
        item_filter = base if base is not None else self.window.filters.current_filter()
        for fields in self._narrowings.values():
            item_filter = dataclasses.replace(item_filter, **fields)
        return item_filter

    def _apply(self) -> None:
        self.window._apply_filter(self.item_filter())
        self.changed.emit()


def scope_of(window) -> ReviewScope:
    """The window's one ReviewScope (made on first use by whichever feature needs it)."""
    scope = getattr(window, "review_scope", None)
    if scope is None:
        scope = window.review_scope = ReviewScope(window)
    return scope
