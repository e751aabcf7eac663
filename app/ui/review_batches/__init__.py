"""Review batches in the window: the Batches dock, Make Batch, open a batch, Next Unreviewed.

Opening a batch narrows the table to its items (over whatever the filter panel says,
app/ui/review_scope.py). Next Unreviewed (F8) marks the current item reviewed -- by the
reviewer name in Settings, now -- and moves to the batch's next unreviewed item in the
table's order, wrapping to the top; the status bar says "n of N reviewed". Marking is
undoable (Ctrl+Z) and audited like every write (app/store/review_batches.py).
"""

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel, QMessageBox

from app.store import item_pages, review_batches
from app.store.errors import CaseFileError
from app.ui.review_batches.commands import BATCHES, ReviewCommand
from app.ui.review_batches.make_dialog import MakeBatchDialog
from app.ui.review_batches.panel import BatchesPanel, progress_text
from app.ui.review_scope import scope_of
from app.ui.table_navigation import select_item
from app.ui.zone_times import recorded_time

NEXT_UNREVIEWED_KEY = "F8"
TOGGLE_REVIEWED_KEY = "Shift+F8"


class BatchesFeature:
    def __init__(self, window):
        self.window = window
        self.scope = scope_of(window)
        self.open_batch: int | None = None
        self.dialog: MakeBatchDialog | None = None  # the last Make Batch dialog (tests look at it)
        self.panel = BatchesPanel()
        self.dock = window.add_dock("Batches", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.status = QLabel(objectName="batchProgress")
        window.statusBar().addPermanentWidget(self.status)
        add = window.add_menu_action
        self.make_action = add("Evidence", "Make Review &Batch...", self.make_batch)
        self.next_action = add("Evidence", "Next &Unreviewed in Batch", self.next_unreviewed, NEXT_UNREVIEWED_KEY)
        self.toggle_action = add(
            "Evidence", "Mark Selected Reviewed / Unreviewed", self.toggle_reviewed, TOGGLE_REVIEWED_KEY
        )
        self.panel.make_requested.connect(self.make_batch)
        self.panel.open_requested.connect(self.open)
        self.panel.close_requested.connect(self.close)
        self.panel.next_requested.connect(self.next_unreviewed)
        self.panel.assign_requested.connect(self.assign)
        self.panel.delete_requested.connect(self.delete)
        self.scope.changed.connect(self._scope_changed)
        window.case_changed.connect(self._case_changed)
        window.changes_made.connect(lambda _changes: self.reload())
        window.current_item_changed.connect(lambda _id: self._show_status())
        self.reload()

    # -- reading -------------------------------------------------------------------------

    def reload(self) -> None:
        case = self.window.case
        listed = review_batches.batches(case.conn) if case else []
        if self.open_batch is not None and self.open_batch not in {b["id"] for b in listed}:
            self.open_batch = None  # deleted
            self.scope.release("batch")
        self.panel.set_batches(listed, self.open_batch)
        self._show_status()

    def _show_status(self) -> None:
        batch = self._open_batch_row()
        if batch is None:
            self.status.clear()
        else:
            self.status.setText(f"Batch {batch['name']}: {progress_text(batch['reviewed'], batch['total'])} reviewed")
        self._show_item_batches()

    def _open_batch_row(self) -> dict | None:
        """The open batch's row; a batch deleted meanwhile is let go of (the table shows all again)."""
        if self.window.case is None or self.open_batch is None:
            return None
        try:
            return review_batches.batch(self.window.case.conn, self.open_batch)
        except CaseFileError:
            self.open_batch = None
            self.scope.release("batch")
            return None

    def _show_item_batches(self) -> None:
        item_id = self.window.current_item_id() if self.window.case else None
        if item_id is None:
            self.panel.item_status.setText("")
            return
        lines = []
        for b in review_batches.batches_of_item(self.window.case.conn, item_id):
            if b["reviewed_by"]:
                when = recorded_time(b["reviewed_utc"], self.window.display_zone())
                lines.append(f"{b['name']}: reviewed by {b['reviewed_by']}, {when}")
            else:
                lines.append(f"{b['name']}: not yet reviewed")
        self.panel.item_status.setText(f"Item {item_id} — " + ("; ".join(lines) if lines else "in no batch"))

    # -- batches -------------------------------------------------------------------------

    def make_batch(self) -> MakeBatchDialog | None:
        window = self.window
        if window.case is None:
            return None
        selected = window.selected_item_ids()
        dialog = MakeBatchDialog(len(selected), window.model.rowCount(), window.settings.operator(), window)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._make(dialog, selected))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _make(self, dialog: MakeBatchDialog, selected: list[int]) -> None:
        window = self.window
        if dialog.from_selection.isChecked() and selected:
            ids = selected
        else:  # in the table's order, read as ids (a million rows: no rows loaded)
            ids = item_pages.ids_between(window.case.conn, window.model.window, None, window.model.rowCount())
        name, size, reviewer = dialog.name.text(), dialog.size.value(), dialog.reviewer.text()

        def made(batch_ids) -> None:
            if batch_ids:
                window.statusBar().showMessage(f"Made {len(batch_ids):,} review batch(es) of {len(ids):,} items.", 6000)
                self.dock.show()
                self.open(batch_ids[0])

        window.tagger.context.apply(
            lambda case: review_batches.make_batches(case, ids, name, size, reviewer),
            len(ids),
            f"Making review batches of {len(ids):,} items",
            BATCHES,
            made,
        )

    def open(self, batch_id: int) -> None:
        """List only this batch's items (the filter panel still applies)."""
        self.open_batch = batch_id
        self.scope.narrow("batch", batch_id=batch_id, batch_unreviewed=False)
        self.reload()

    def close(self) -> None:
        self.open_batch = None
        self.scope.release("batch")
        self.reload()

    def assign(self, batch_id: int) -> None:
        window = self.window
        current = review_batches.batch(window.case.conn, batch_id)
        name, ok = QInputDialog.getText(
            window, "Assign batch", f"Reviewer of {current['name']}:", text=current["reviewer"] or ""
        )
        if ok:
            window.tagger.context.write(
                lambda case: review_batches.update_batch(case, batch_id, reviewer=name), BATCHES
            )

    def delete(self, batch_id: int, confirm: bool = True) -> None:
        window = self.window
        current = review_batches.batch(window.case.conn, batch_id)
        if confirm and (
            QMessageBox.question(
                window,
                "Delete batch",
                f"Delete the batch {current['name']}? Its items, tags and notes stay; "
                "only the batch and its reviewed marks go.",
            )
            != QMessageBox.StandardButton.Yes
        ):
            return
        window.tagger.context.write(lambda case: review_batches.delete_batch(case, batch_id), BATCHES)

    def _scope_changed(self) -> None:
        if self.open_batch is not None and self.scope.fields("batch") is None:  # released elsewhere (go to item)
            self.open_batch = None
            self.reload()

    def _case_changed(self, _path) -> None:
        self.open_batch = None
        self.scope.release("batch")
        self.reload()

    # -- reviewing -----------------------------------------------------------------------

    def next_unreviewed(self) -> int | None:
        """Mark the current item reviewed (when it is in the open batch) and go to the next
        unreviewed one in the table's order; returns the item moved to (None: none left)."""
        window = self.window
        if window.case is None or self.open_batch is None:
            window.statusBar().showMessage("Open a review batch first (View > Batches).", 5000)
            return None
        current = window.current_item_id()
        status = review_batches.review_status(window.case.conn, self.open_batch, current) if current else None
        if status is not None and status["reviewed_by"] is None:
            self._mark([current], True)
        found = self._next_after(current)
        if found is None:
            batch = review_batches.batch(window.case.conn, self.open_batch)
            window.statusBar().showMessage(f"Every item of {batch['name']} the table lists is reviewed.", 6000)
            return None
        select_item(window, found)
        return found

    def _next_after(self, current: int | None) -> int | None:
        model = self.window.model
        unreviewed = dataclasses.replace(model.window.item_filter, batch_id=self.open_batch, batch_unreviewed=True)
        window = item_pages.Window(unreviewed, model.window.sort, model.window.descending)
        row = model.row_of(current) if current is not None else None
        after = model.row(row)["key"] if row is not None else None
        found = item_pages.page(model.conn, window, after, 1)
        if not found and after is not None:  # wrap to the top: an earlier item was skipped
            found = item_pages.page(model.conn, window, None, 1)
        return found[0]["id"] if found else None

    def toggle_reviewed(self) -> None:
        """Mark the selected items of the open batch reviewed; if all already are, unreviewed."""
        window = self.window
        if window.case is None or self.open_batch is None:
            window.statusBar().showMessage("Open a review batch first (View > Batches).", 5000)
            return
        marks = review_batches.reviewed_marks(window.case.conn, self.open_batch, window.selected_item_ids())
        if not marks:
            window.statusBar().showMessage("None of the selected items is in the open batch.", 5000)
            return
        self._mark(sorted(marks), any(who is None for who in marks.values()))

    def _mark(self, ids: list[int], reviewed: bool) -> None:
        batch_id = self.open_batch
        changed = self.window.tagger.context.write(
            lambda case: review_batches.set_reviewed(case, batch_id, ids, reviewed), BATCHES
        )
        if changed:
            command = ReviewCommand(self.window.tagger.context, batch_id, changed, reviewed)
            self.window.undo_stack.push(command)


def install(window) -> BatchesFeature:
    window.batches = BatchesFeature(window)
    return window.batches
