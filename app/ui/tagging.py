"""Tagging the selection: toggle by key, bulk tag / untag, notes -- each change undoable.

Small selections are written on the GUI thread (milliseconds). A selection above
BACKGROUND_IDS (a select-all of a million rows) is tagged on a worker thread through
the task runner, then pushed to the undo stack like any other change.
"""

from PySide6.QtCore import QObject

from app.core.cancel import Progress
from app.store import annotations
from app.ui.tag_commands import NoteCommand, TagCommand, UntagCommand, WriteContext

BACKGROUND_IDS = 20_000


class Tagger(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.context = WriteContext(window)

    def _selection(self) -> list[int]:
        ids = self.window.selected_item_ids()
        if not ids:
            self.window.statusBar().showMessage("Select one or more items first.", 4000)
        return ids

    def toggle(self, code: str) -> None:
        """Tag the selected items; if every one already has the tag, remove it instead."""
        ids = self._selection()
        if not ids:
            return
        if len(ids) > BACKGROUND_IDS:
            self._tag_in_background(ids, code)
            return
        new_ids = self.context.write(lambda case: annotations.tag_items(case, ids, code))
        if new_ids:
            self._push(TagCommand(self.context, code, new_ids))
        elif new_ids == []:
            self._untag_ids(ids, code)

    def tag(self, code: str) -> None:
        ids = self._selection()
        if len(ids) > BACKGROUND_IDS:
            self._tag_in_background(ids, code)
        elif ids:
            new_ids = self.context.write(lambda case: annotations.tag_items(case, ids, code))
            if new_ids:
                self._push(TagCommand(self.context, code, new_ids))

    def untag(self, code: str) -> None:
        ids = self._selection()
        if ids:
            self._untag_ids(ids, code)

    def _untag_ids(self, ids: list[int], code: str) -> None:
        removed = self.context.write(lambda case: annotations.untag_items(case, ids, code))
        if removed:
            self._push(UntagCommand(self.context, code, removed))

    def add_note(self, text: str) -> None:
        item_id = self.window.current_item_id()
        if item_id is None:
            self.window.statusBar().showMessage("Choose the item to note first.", 4000)
            return
        note_id = self.context.write(lambda case: annotations.add_note(case, item_id, text))
        if note_id:
            self._push(NoteCommand(self.context, item_id, text, note_id))

    def _push(self, command) -> None:
        self.window.undo_stack.push(command)
        self.window.statusBar().showMessage(command.text(), 4000)

    def _tag_in_background(self, ids: list[int], code: str) -> None:
        def operation(case, token):
            yield Progress(f"Tagging {len(ids):,} items {code}", 0, None, "items")
            token.raise_if_cancelled()
            return annotations.tag_items(case, ids, code)

        runner = self.window.run_task(operation, f"Tagging {len(ids):,} items", writes=True)
        runner.finished.connect(lambda new_ids: new_ids and self._push(TagCommand(self.context, code, new_ids)))
