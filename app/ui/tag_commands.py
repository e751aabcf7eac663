"""Tag, untag and note changes as undoable commands (QUndoStack).

Each change is made first (so an error is shown before anything is pushed), then
pushed as a command that already happened. app/store/annotations.py returns exactly
what changed, so undo reverses exactly that: tag -> untag of the NEW tags only,
untag -> restore_tags (notes and ToS versions back), note -> delete_note. Every
change, undo and redo included, is audited by annotations.
"""

from PySide6.QtGui import QUndoCommand

from app.core.cancel import Progress
from app.core.case_changes import CaseChanges
from app.store import annotations
from app.store.errors import CaseFileError
from app.ui.task_runner import WRITE_LOCK, try_write_lock
from app.core.wording import plural

BUSY = "Another operation is writing to the case; try again when it has finished."
BACKGROUND_IDS = 20_000  # more items than this are written on a worker thread (1M: ~3 s)
TAGS = CaseChanges(tags=True)
NOTES = CaseChanges(notes=True)


class WriteContext:
    """Runs a small write on the GUI thread's case, one writer at a time, errors shown."""

    def __init__(self, window):
        self.window = window

    def write(self, change, changes: CaseChanges = CaseChanges.everything()):
        """Run `change(case)`; returns its result, or None after showing why it failed.

        `changes` says what the change touches: the window tells its views (a tag does
        not recount the timeline's bars nor reload the exhibits)."""
        if not try_write_lock():
            self.window.show_error(BUSY)
            return None
        try:
            result = change(self.window.case)
        except CaseFileError as exc:
            self.window.show_error(str(exc))
            return None
        finally:
            WRITE_LOCK.release()
        self.window.notify_items_changed(changes)
        return result

    def apply(self, change, size: int, title: str, changes: CaseChanges, on_result=None) -> None:
        """Run `change(case)` here when small; above BACKGROUND_IDS items on a worker thread
        behind a window-modal progress dialog (so no other undo can start before it ends).
        `on_result` gets the result either way (None after an error, which is shown)."""
        if size <= BACKGROUND_IDS:
            result = self.write(change, changes)
            if on_result is not None:
                on_result(result)
            return

        def operation(case, token):
            yield Progress(title, 0, None, "items")
            token.raise_if_cancelled()
            return change(case)

        runner = self.window.run_task(operation, title, writes=True, dialog_delay_ms=0, changes=changes)
        if on_result is not None:
            runner.finished.connect(on_result)


class _DoneCommand(QUndoCommand):
    """A command whose first redo (QUndoStack.push) is the change already made."""

    def __init__(self, context: WriteContext, text: str):
        super().__init__(text)
        self.context = context
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self.redo_change()

    def redo_change(self) -> None:
        raise NotImplementedError

    def state_done(self) -> str:
        """The case as this change leaves it, for the status bar (after the change or a redo)."""
        return self.text()

    def state_undone(self) -> str:
        """The case as undoing this change leaves it (the status bar must not repeat the change)."""
        return f"Undone: {self.text()[0].lower()}{self.text()[1:]}"


class TagCommand(_DoneCommand):
    def __init__(self, context, code: str, new_ids: list[int]):
        super().__init__(context, f"Tag {plural(len(new_ids), 'item')} {code}")
        self.code, self.new_ids, self.removed = code, new_ids, []

    def state_done(self) -> str:
        return f"{plural(len(self.new_ids), 'item')} tagged {self.code}"

    def state_undone(self) -> str:
        return f"Undone: {plural(len(self.new_ids), 'item')} no longer tagged {self.code}"

    def undo(self) -> None:
        self.context.apply(
            lambda case: annotations.untag_items(case, self.new_ids, self.code),
            len(self.new_ids),
            f"Undoing: {self.text()}",
            TAGS,
            self._set_removed,
        )

    def _set_removed(self, removed) -> None:
        self.removed = removed or []

    def redo_change(self) -> None:
        self.context.apply(
            lambda case: annotations.restore_tags(case, self.code, self.removed),
            len(self.removed),
            f"Redoing: {self.text()}",
            TAGS,
        )


class UntagCommand(_DoneCommand):
    def __init__(self, context, code: str, removed: list[dict]):
        super().__init__(context, f"Remove {code} from {plural(len(removed), 'item')}")
        self.code, self.removed = code, removed

    def state_done(self) -> str:
        return f"{self.code} removed from {plural(len(self.removed), 'item')}"

    def state_undone(self) -> str:
        return f"Undone: {self.code} is back on {plural(len(self.removed), 'item')}"

    def undo(self) -> None:
        self.context.apply(
            lambda case: annotations.restore_tags(case, self.code, self.removed),
            len(self.removed),
            f"Undoing: {self.text()}",
            TAGS,
        )

    def redo_change(self) -> None:
        ids = [r["item_id"] for r in self.removed]
        self.context.apply(
            lambda case: annotations.untag_items(case, ids, self.code),
            len(ids),
            f"Redoing: {self.text()}",
            TAGS,
            self._removed_again,
        )

    def _removed_again(self, removed) -> None:
        if removed:  # None after an error (shown): the tags removed the first time stay the ones to restore
            self.removed = removed


class NoteCommand(_DoneCommand):
    def __init__(self, context, item_id: int, text: str, note_id: int):
        super().__init__(context, f"Note on item {item_id}")
        self.item_id, self.note_text, self.note_id = item_id, text, note_id

    def state_done(self) -> str:
        return f"Note added to item {self.item_id}"

    def state_undone(self) -> str:
        return f"Undone: the note on item {self.item_id} is removed"

    def undo(self) -> None:
        self.context.write(lambda case: annotations.delete_note(case, self.note_id), NOTES)

    def redo_change(self) -> None:
        self.note_id = (
            self.context.write(lambda case: annotations.add_note(case, self.item_id, self.note_text), NOTES)
            or self.note_id
        )
