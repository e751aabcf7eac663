"""Adding, editing, linking and deleting facts as undoable commands (QUndoStack).

As with tags (app/ui/tag_commands.py): the change is made first, so an error is shown
before anything is pushed; then a command that already happened is pushed. Every
change, undo and redo included, is audited by app/store/case_facts.py. A deleted fact
comes back under its own id, so an undo of a delete restores exactly what was there.
"""

from app.core.case_changes import CaseChanges
from app.store import case_facts
from app.ui.tag_commands import WriteContext, _DoneCommand

FACTS = CaseChanges(facts=True)


class AddFactCommand(_DoneCommand):
    def __init__(self, context: WriteContext, record: dict):
        super().__init__(context, f"Add fact {record['fact_id']}")
        self.record = record

    def undo(self) -> None:
        self.context.write(lambda case: case_facts.delete_fact(case, self.record["fact_id"]), FACTS)

    def redo_change(self) -> None:
        self.context.write(lambda case: case_facts.restore_fact(case, self.record), FACTS)


class EditFactCommand(_DoneCommand):
    """An edit or a link of items: the fact's whole record before and after."""

    def __init__(self, context: WriteContext, before: dict, after: dict, text: str = ""):
        super().__init__(context, text or f"Edit fact {before['fact_id']}")
        self.before, self.after = before, after

    def undo(self) -> None:
        self.context.write(lambda case: case_facts.set_fact_record(case, self.before), FACTS)

    def redo_change(self) -> None:
        self.context.write(lambda case: case_facts.set_fact_record(case, self.after), FACTS)


class DeleteFactCommand(_DoneCommand):
    def __init__(self, context: WriteContext, record: dict):
        super().__init__(context, f"Delete fact {record['fact_id']}")
        self.record = record

    def undo(self) -> None:
        self.context.write(lambda case: case_facts.restore_fact(case, self.record), FACTS)

    def redo_change(self) -> None:
        self.context.write(lambda case: case_facts.delete_fact(case, self.record["fact_id"]), FACTS)


class FactEditor:
    """The window's fact changes: each made through the writer, then pushed for undo."""

    def __init__(self, window):
        self.window = window
        self.context = WriteContext(window)

    def add(self, values: dict) -> int | None:
        fact_id = self.context.write(lambda case: case_facts.add_fact(case, **values), FACTS)
        if fact_id is not None:
            record = case_facts.get_fact(self.window.case.conn, fact_id).record()
            self.window.undo_stack.push(AddFactCommand(self.context, record))
        return fact_id

    def edit(self, fact_id: int, values: dict, text: str = "") -> bool:
        before = self.context.write(lambda case: case_facts.update_fact(case, fact_id, **values), FACTS)
        return self._push_edit(fact_id, before, text)

    def link(self, fact_id: int, item_ids: list[int]) -> list[int]:
        """Add items to a fact's evidence; returns the ids that were not linked before."""
        before = case_facts.get_fact(self.window.case.conn, fact_id).record()
        added = self.context.write(lambda case: case_facts.link_items(case, fact_id, item_ids), FACTS)
        if added:
            self._push_edit(fact_id, before, f"Add {len(added):,} item(s) to fact {fact_id}")
        return added or []

    def delete(self, fact_id: int) -> bool:
        record = self.context.write(lambda case: case_facts.delete_fact(case, fact_id), FACTS)
        if record is not None:
            self.window.undo_stack.push(DeleteFactCommand(self.context, record))
        return record is not None

    def _push_edit(self, fact_id: int, before: dict | None, text: str) -> bool:
        if before is None:
            return False
        after = case_facts.get_fact(self.window.case.conn, fact_id).record()
        if after != before:
            self.window.undo_stack.push(EditFactCommand(self.context, before, after, text))
        return True
