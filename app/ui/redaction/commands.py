"""Making and removing a redaction as undoable commands (the window's QUndoStack).

The change is made first (an error is shown before anything is pushed); undo removes
the redaction, redo makes it again (with a new id: the audit log keeps every step).
"""

from app.core.case_changes import CaseChanges
from app.store import redactions
from app.ui.tag_commands import WriteContext, _DoneCommand

REDACTIONS = CaseChanges(redactions=True)


def make(window, change, text: str):
    """Run `change(case) -> Redaction` and push it as an undoable command; returns the redaction or None."""
    context = WriteContext(window)
    made = context.write(change, REDACTIONS)
    if made is not None:
        window.undo_stack.push(RedactCommand(context, made, text))
    return made


def remove(window, redaction_id: int) -> bool:
    context = WriteContext(window)
    removed = context.write(lambda case: redactions.remove_redaction(case, redaction_id), REDACTIONS)
    if removed is None:
        return False
    window.undo_stack.push(RemoveCommand(context, removed))
    return True


class RedactCommand(_DoneCommand):
    def __init__(self, context: WriteContext, made, text: str):
        super().__init__(context, text)
        self.redaction_id = made.id
        self.removed = None

    def undo(self) -> None:
        self.removed = self.context.write(lambda case: redactions.remove_redaction(case, self.redaction_id), REDACTIONS)

    def redo_change(self) -> None:
        if self.removed:
            again = self.context.write(lambda case: redactions.restore_redaction(case, self.removed), REDACTIONS)
            if again is not None:
                self.redaction_id = again.id


class RemoveCommand(_DoneCommand):
    def __init__(self, context: WriteContext, removed: dict):
        super().__init__(context, f"Remove redaction {removed['redaction'].id}")
        self.removed = removed
        self.redaction_id = None

    def undo(self) -> None:
        again = self.context.write(lambda case: redactions.restore_redaction(case, self.removed), REDACTIONS)
        if again is not None:
            self.redaction_id = again.id

    def redo_change(self) -> None:
        if self.redaction_id is not None:
            removed = self.context.write(lambda case: redactions.remove_redaction(case, self.redaction_id), REDACTIONS)
            if removed:
                self.removed = removed
