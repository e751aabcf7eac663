"""Marking items reviewed as an undoable command: undo marks exactly those items unreviewed again."""

from app.core.case_changes import CaseChanges
from app.store import review_batches
from app.ui.tag_commands import _DoneCommand

BATCHES = CaseChanges(batches=True)


class ReviewCommand(_DoneCommand):
    def __init__(self, context, batch_id: int, item_ids: list[int], reviewed: bool):
        verb = "reviewed" if reviewed else "unreviewed"
        count = len(item_ids)
        super().__init__(context, f"Mark {count:,} item{'s' if count != 1 else ''} {verb}")
        self.batch_id, self.item_ids, self.reviewed = batch_id, item_ids, reviewed

    def _set(self, reviewed: bool) -> None:
        self.context.write(
            lambda case: review_batches.set_reviewed(case, self.batch_id, self.item_ids, reviewed), BATCHES
        )

    def undo(self) -> None:
        self._set(not self.reviewed)

    def redo_change(self) -> None:
        self._set(self.reviewed)
