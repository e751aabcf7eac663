"""Tagging the selection: toggle by key, bulk tag / untag, notes -- each change undoable.

Small selections are written on the GUI thread (milliseconds). A selection above
BACKGROUND_IDS (a select-all of a million rows: ~3 s) is written on a worker thread
through the task runner (tag_commands.WriteContext.apply), then pushed to the undo
stack like any other change. The selection travels as row ranges (RowSelection): the
worker reads its ids, so the GUI thread never reads a million of them.
"""

from PySide6.QtCore import QObject

from app.store import annotations
from app.store.item_pages import RowSelection
from app.ui.tag_commands import NOTES, TAGS, NoteCommand, TagCommand, UntagCommand, WriteContext
from app.core.wording import plural


class Tagger(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.context = WriteContext(window)

    def _selection(self) -> RowSelection | None:
        selection = self.window.table.selection()
        if not selection.count:
            self.window.statusBar().showMessage("Select one or more items first.", 4000)
            return None
        return selection

    def toggle(self, code: str) -> None:
        """Tag the selected items; if every one already has the tag, remove it instead."""
        selection = self._selection()
        if selection:
            self._tag(selection, code, untag_if_none_new=True)

    def tag(self, code: str) -> None:
        selection = self._selection()
        if selection:
            self._tag(selection, code, untag_if_none_new=False)

    def untag(self, code: str) -> None:
        selection = self._selection()
        if selection:
            self._untag(selection, code)

    def _tag(self, selection: RowSelection, code: str, untag_if_none_new: bool) -> None:
        def tagged(new_ids) -> None:
            if new_ids:
                self._push(TagCommand(self.context, code, new_ids))
            elif new_ids == [] and untag_if_none_new:
                self._untag(selection, code)

        self.context.apply(
            lambda case: annotations.tag_items(case, selection.ids(case.conn), code),
            selection.count,
            f"Tagging {plural(selection.count, 'item')} {code}",
            TAGS,
            tagged,
        )

    def _untag(self, selection: RowSelection, code: str) -> None:
        def untagged(removed) -> None:
            if removed:  # None after an error (shown), [] when none had the tag: nothing to undo
                self._push(UntagCommand(self.context, code, removed))

        self.context.apply(
            lambda case: annotations.untag_items(case, selection.ids(case.conn), code),
            selection.count,
            f"Removing {code} from {plural(selection.count, 'item')}",
            TAGS,
            untagged,
        )

    def add_note(self, text: str) -> None:
        item_id = self.window.current_item_id()
        if item_id is None:
            self.window.statusBar().showMessage("Choose the item to note first.", 4000)
            return
        note_id = self.context.write(lambda case: annotations.add_note(case, item_id, text), NOTES)
        if note_id:
            self._push(NoteCommand(self.context, item_id, text, note_id))

    def _push(self, command) -> None:
        self.window.undo_stack.push(command)  # the window's status bar then says what the case is now
