"""The notes of the current item: listed with who wrote them and when (in the zone the
window shows times in), editable and deletable. Every change is audited
(app/store/annotations.py: note.add, note.edit, note.delete) and undoable (Ctrl+Z).

A widget of its own, so that the coding panel can hold it; until then it is a dock
(View > Notes).
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store import annotations
from app.ui.list_tree import column_list
from app.ui.tag_commands import NOTES, NoteCommand, _DoneCommand
from app.ui.zone_times import recorded_time

HEADERS = ("When", "Who", "Note")


class NoteEditCommand(_DoneCommand):
    def __init__(self, context, note_id: int, old: str, new: str):
        super().__init__(context, f"Edit note {note_id}")
        self.note_id, self.old, self.new = note_id, old, new

    def undo(self) -> None:
        self.context.write(lambda case: annotations.edit_note(case, self.note_id, self.old), NOTES)

    def redo_change(self) -> None:
        self.context.write(lambda case: annotations.edit_note(case, self.note_id, self.new), NOTES)


class NoteDeleteCommand(_DoneCommand):
    """Undo writes the note again (as a new note, audited as added back)."""

    def __init__(self, context, note_id: int, item_id: int, text: str):
        super().__init__(context, f"Delete note on item {item_id}")
        self.note_id, self.item_id, self.note_text = note_id, item_id, text

    def undo(self) -> None:
        added = self.context.write(lambda case: annotations.add_note(case, self.item_id, self.note_text), NOTES)
        self.note_id = added or self.note_id

    def redo_change(self) -> None:
        self.context.write(lambda case: annotations.delete_note(case, self.note_id), NOTES)


class NotesPanel(QWidget):
    def __init__(self, window):
        super().__init__()
        self.setObjectName("notesPanel")
        self.window = window
        self.item_id: int | None = None
        self.list = column_list("notesList", HEADERS, stretch=2)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(lambda *_: self.edit_current())
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.new_note = QLineEdit(placeholderText="A new note on this item", objectName="newNote")
        self.new_note.returnPressed.connect(self.add)
        self.add_button = QPushButton("Add")
        self.edit_button = QPushButton("Edit...")
        self.delete_button = QPushButton("Delete")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(lambda: self.delete_current())
        row = QHBoxLayout()  # the new note on a line of its own: usable in a narrow dock
        for button in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.new_note)
        layout.addLayout(row)
        self._enable()

    def show_item(self, item_id: int | None) -> None:
        """List the notes of this item (None: nothing chosen)."""
        self.item_id = item_id
        self.list.clear()
        case = self.window.case
        if case is not None and item_id is not None:
            zone = self.window.display_zone()
            for note in annotations.item_notes(case, item_id):
                row = QTreeWidgetItem(
                    self.list, [recorded_time(note["created_utc"], zone), note["who"] or "", note["text"]]
                )
                row.setData(0, Qt.ItemDataRole.UserRole, note["id"])
                row.setToolTip(2, note["text"])
        self._enable()

    def reload(self) -> None:
        self.show_item(self.item_id)

    def current_note(self) -> tuple[int, str] | None:
        row = self.list.currentItem()
        return (int(row.data(0, Qt.ItemDataRole.UserRole)), row.text(2)) if row else None

    def add(self) -> None:
        text = self.new_note.text().strip()
        if self.item_id is None or not text:
            return
        item_id = self.item_id
        context = self.window.tagger.context
        note_id = context.write(lambda case: annotations.add_note(case, item_id, text), NOTES)
        if note_id:
            self.new_note.clear()
            self.window.undo_stack.push(NoteCommand(context, item_id, text, note_id))

    def edit_current(self, new_text: str | None = None) -> None:
        chosen = self.current_note()
        if chosen is None:
            return
        note_id, old = chosen
        if new_text is None:
            new_text, ok = QInputDialog.getMultiLineText(self, "Edit note", "Note:", old)
            if not ok:
                return
        if new_text.strip() == old:
            return
        context = self.window.tagger.context
        if context.write(lambda case: annotations.edit_note(case, note_id, new_text.strip()), NOTES) is not None:
            self.window.undo_stack.push(NoteEditCommand(context, note_id, old, new_text.strip()))

    def delete_current(self, confirm: bool = True) -> None:
        chosen = self.current_note()
        if chosen is None or self.item_id is None:
            return
        note_id, text = chosen
        if confirm and (
            QMessageBox.question(self, "Delete note", f"Delete this note?\n\n{text[:300]}")
            != QMessageBox.StandardButton.Yes
        ):
            return
        item_id = self.item_id
        context = self.window.tagger.context
        if context.write(lambda case: annotations.delete_note(case, note_id), NOTES) is not None:
            self.window.undo_stack.push(NoteDeleteCommand(context, note_id, item_id, text))

    def _enable(self) -> None:
        chosen = self.list.currentItem() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)
        self.add_button.setEnabled(self.item_id is not None)
        self.new_note.setEnabled(self.item_id is not None)


def install(window) -> NotesPanel:
    panel = NotesPanel(window)
    panel.dock = window.add_dock("Notes", panel, Qt.DockWidgetArea.RightDockWidgetArea)
    window.current_item_changed.connect(panel.show_item)
    window.case_changed.connect(lambda _path: panel.show_item(None))
    window.changes_made.connect(lambda changes: panel.reload() if changes.notes or changes.items else None)
    window.notes_panel = panel
    return panel
