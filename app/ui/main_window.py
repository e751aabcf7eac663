"""The main window: open a case, filter and review its items, tag them.

Hooks for the window's other actions (stable; app/ui/window_actions.py builds on them):

- `window.menu("Tools")` -> QMenu; `window.add_menu_action("Tools", "Export...", slot,
  shortcut="Ctrl+E", toolbar=True)` -> QAction. Menus: File, Edit, View, Evidence, Analysis, Tools, Help.
- `window.add_dock(title, widget, area=Qt.DockWidgetArea.RightDockWidgetArea)` -> QDockWidget: a
  hidden dock whose toggle is added to the View menu (feature views, app/ui/features.py).
- `window.case` (CaseFile on the GUI thread, or None), `window.case_path`, `window.settings`.
- `window.open_case(path) -> bool`, `window.close_case()`.
- `current_item_changed(object)`: the current row's item id (or None).
- `case_changed(object)`: a case was opened or closed (its path, or None).
- `filter_applied(object)`: the table now lists what this ItemFilter selects.
- `items_changed()`: items, tags or notes changed; emit it with `notify_items_changed()`
  after a write made elsewhere (an import); the table and counts refresh.
- `changes_made(CaseChanges)`: follows `items_changed`, saying what the write touched
  (`notify_items_changed(CaseChanges(tags=True))`; none given = everything), so the
  timeline and the exhibits redraw only when what they show changed.
- `window.set_date_filter(from_us, to_us)`: show only items in [from, to) (UTC microseconds;
  None = open ended), e.g. from the timeline.
- `window.run_task(operation, title, writes=False) -> TaskRunner`: run a core generator
  `operation(case, token)` on a worker thread over this case; errors shown in a dialog.
- `window.selected_item_ids()`, `window.current_item_id()`, `window.current_filter()`.
"""

from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
)

from app import __version__
from app.core.case_changes import CaseChanges
from app.core.timestamps import TimestampError, resolve_zone
from app.store import saved_searches
from app.store.case_file import CaseFile, headline_counts
from app.store.errors import CaseFileError, SearchSyntaxError
from app.store.item_query import ItemFilter
from app.ui import settings as S
from app.ui.detail_pane import DetailPane
from app.ui.error_dialog import show_error
from app.ui.evidence_model import EvidenceTableModel
from app.ui.evidence_table import EvidenceTable
from app.ui.filter_panel import FilterPanel
from app.ui.features import install_features
from app.ui.fonts import bundled_fonts
from app.ui.window_actions import install_window_actions
from app.ui.tagging import Tagger
from app.ui.task_runner import DIALOG_DELAY_MS, TaskRunner, stop_all_tasks
from app.ui.taxonomy_panel import QUICK_KEYS, TaxonomyPanel
from app.ui.window_layout import WindowLayout
from app.core.wording import plural

CASE_FILTER = "Case files (*.casefile);;All files (*)"
SAVED_SEARCHES = CaseChanges()  # stored in the case, shown by no view but the filter panel's list
MENU_NAMES = ("File", "Edit", "View", "Evidence", "Analysis", "Tools", "Help")


class MainWindow(QMainWindow):
    case_changed = Signal(object)
    items_changed = Signal()
    changes_made = Signal(object)  # CaseChanges: what the last write touched
    current_item_changed = Signal(object)  # the item id shown in the detail pane, or None
    filter_applied = Signal(object)  # the ItemFilter the table now lists (the timeline follows it)

    def __init__(self, case_path=None, settings: S.Settings | None = None):
        super().__init__()
        bundled_fonts()
        self.settings = settings or S.Settings()
        self.case: CaseFile | None = None
        self._aside: Path | None = None  # a case closed while an import writes into it (set_case_aside)
        self.undo_stack = QUndoStack(self)
        self._undo_index = 0
        self.undo_stack.indexChanged.connect(self._undo_index_changed)
        self._menus: dict[str, QMenu] = {}
        self._menu_tails: dict[str, QAction] = {}  # actions added to a menu go above its tail
        self._tasks: set[TaskRunner] = set()
        self._build_panes()
        self._build_menus()
        self._build_status_bar()
        install_window_actions(self)  # import, exhibits, export, timeline, audit, verify, settings
        self.features = install_features(self)  # findings, provenance, facts, redaction, batches
        self._place_notes_in_coding()
        self._restore_layout()
        self._update_title()
        if case_path:
            self.open_case(case_path)

    # -- hooks -------------------------------------------------------------------------

    @property
    def case_path(self) -> Path | None:
        return self.case.path if self.case else None

    def menu(self, name: str) -> QMenu:
        return self._menus[name]

    def add_menu_action(
        self, menu_name: str, text: str, slot, shortcut=None, toolbar: bool = False, needs_case: bool = True
    ) -> QAction:
        """Add an action to a menu (and the toolbar); disabled while no case is open if needs_case."""
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        tail = self._menu_tails.get(menu_name)  # File > Quit stays last
        if tail is not None:
            self.menu(menu_name).insertAction(tail, action)
        else:
            self.menu(menu_name).addAction(action)
        if toolbar:
            self.toolbar.addAction(action)
        if needs_case:
            action.setEnabled(self.case is not None)
            self._case_actions.append(action)
        return action

    def add_dock(self, title: str, widget, area=Qt.DockWidgetArea.RightDockWidgetArea) -> QDockWidget:
        """A dock for a feature view, hidden until the user shows it from the View menu."""
        dock = QDockWidget(title, self)
        dock.setObjectName(title.lower().replace(" ", "") + "Dock")
        dock.setWidget(widget)
        self.layout_docks.add_feature_dock(dock, area)
        self.menu("View").addAction(dock.toggleViewAction())
        return dock

    def notify_items_changed(self, changes: CaseChanges | None = None) -> None:
        """Tell the views that the case changed; `changes` says what (None: anything may have)."""
        if changes is None:
            changes = CaseChanges.everything()
        if not changes.any:
            return
        self.items_changed.emit()
        self.changes_made.emit(changes)

    def refresh_everything(self) -> None:
        """View > Refresh: re-read all of the case (a write made by another program)."""
        self.notify_items_changed(CaseChanges.everything())

    def set_date_filter(self, from_us: int | None, to_us: int | None) -> None:
        """Show only items dated in [from_us, to_us) (UTC microseconds; None = open ended)."""
        self.filters.set_dates(from_us, to_us)

    def current_filter(self) -> ItemFilter:
        """What the table lists now (search, filters and dates)."""
        return self.model.window.item_filter

    def selected_item_ids(self) -> list[int]:
        """Ids of the selected rows (read from SQL by range: a select-all loads no rows)."""
        return self.table.selected_ids()

    def current_item_id(self) -> int | None:
        return self.table.current_item_id()

    def display_zone(self) -> str:
        """The zone times are shown in: the user's setting, else the case's own."""
        chosen = self.settings.get(S.DISPLAY_TIMEZONE).strip()
        if chosen:
            try:
                resolve_zone(chosen)
                return chosen
            except TimestampError:
                pass
        return self.case.timezone if self.case else "UTC"

    def run_task(
        self,
        operation,
        title: str,
        writes: bool = False,
        show_errors: bool = True,
        dialog_delay_ms: int = DIALOG_DELAY_MS,
        changes: CaseChanges | None = None,
    ) -> TaskRunner:
        """Run `operation(case, token)` (a Progress generator) on a worker thread over this case.

        A writing operation's `changes` are announced when it succeeds (None: everything)."""
        runner = TaskRunner(
            self.case_path,
            operation,
            title=title,
            parent=self,
            operator=self.settings.operator(),
            writes=writes,
            dialog_delay_ms=dialog_delay_ms,
        )
        self._tasks.add(runner)
        runner.done.connect(lambda: self._tasks.discard(runner))
        if show_errors:
            runner.failed.connect(self.show_error)
        if writes:
            runner.finished.connect(lambda _result: self.notify_items_changed(changes))
        runner.start()
        return runner

    def show_error(self, message: str, details: str = ""):
        return show_error(self, message, details)

    # -- cases ---------------------------------------------------------------------------

    def open_case(self, path) -> bool:
        """Open a case file; a problem is shown in plain words and the current case stays."""
        path = Path(path)
        try:
            case = CaseFile.open(path, operator=self.settings.operator())
        except CaseFileError as exc:
            self.show_error(str(exc))
            return False
        self._set_case(case)
        self.settings.add_recent_case(path)
        self._rebuild_recent_menu()
        if case.recovery is not None:  # left open by a killed process: say what was kept and what not
            self.show_error(case.recovery.message)
        return True

    def close_case(self) -> None:
        self._set_case(None)

    def set_case_aside(self) -> None:
        """Close the case while a large import writes straight into it (nobody can read it
        meanwhile: app.store.direct_writes); `take_case_back` opens it again."""
        if self.case is None:
            return
        self._aside = self.case.path
        self._set_case(None)
        self.detail.clear("The case opens again when the import has finished.")
        self.statusBar().showMessage("The case is closed while the import writes into it.")

    def take_case_back(self, *_result) -> None:
        path, self._aside = self._aside, None
        if path is not None:
            self.statusBar().clearMessage()
            self.open_case(path)

    def new_case_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New case", self.settings.get(S.LAST_FOLDER), CASE_FILTER)
        if not path:
            return
        path = Path(path if path.endswith(".casefile") else path + ".casefile")
        name, ok = QInputDialog.getText(
            self, "New case", "Case name (e.g. Northwind v. Example Dynamics):", text=path.stem
        )
        if not ok:
            return
        zones = ["UTC", *sorted(available_timezones())]
        zone, ok = QInputDialog.getItem(
            self, "New case", "Time zone for display and for times without one:", zones, 0, True
        )
        if not ok:
            return
        try:
            CaseFile.create(path, name.strip() or path.stem, None, zone, operator=self.settings.operator()).close()
        except (CaseFileError, ValueError) as exc:
            self.show_error(str(exc))
            return
        self.open_case(path)

    def open_case_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open case", self.settings.get(S.LAST_FOLDER), CASE_FILTER)
        if path:
            self.open_case(path)

    def _set_case(self, case: CaseFile | None) -> None:
        if self.case is not None:
            self.case.close()
        self.case = case
        self.undo_stack.clear()
        zone = self.display_zone()
        self.model.set_connection(case.conn if case else None, zone, case.path if case else None)
        self.filters.set_case(case, zone)
        self.taxonomy.set_categories(case.taxonomy() if case else [])
        self._load_saved_searches()
        self.detail.clear("Select an item to see it in full here." if case else "No case open.")
        for action in self._case_actions:
            action.setEnabled(case is not None)
        self._update_title()
        self.case_changed.emit(case.path if case else None)

    # -- building ------------------------------------------------------------------------

    def _place_notes_in_coding(self) -> None:
        """A notes list installed as a feature (window.notes_panel, in its own dock) goes into the
        coding panel, beside the categories, where a reviewer codes."""
        notes = getattr(self, "notes_panel", None)
        if notes is None:
            return
        dock = getattr(notes, "dock", None)
        if dock is not None:
            self.layout_docks.feature_docks.pop(dock, None)
            self.removeDockWidget(dock)
            dock.toggleViewAction().setVisible(False)
        self.taxonomy.hold_notes(notes)

    def focus_new_note(self) -> None:
        """Evidence > Add Note: the field for a new note on the current item."""
        notes = self.taxonomy.notes_widget
        field = getattr(notes, "new_note", None) if notes is not None else None
        self.layout_docks.coding_dock.show()
        if field is not None:
            self.taxonomy.pages.setCurrentWidget(notes)
            field.setFocus()
        else:
            self.taxonomy.note_edit.setFocus()

    def _build_panes(self) -> None:
        """The table in the middle; filters, document and coding in docks (app/ui/window_layout.py)."""
        self._case_actions: list[QAction] = []
        self.filters = FilterPanel()
        self.taxonomy = TaxonomyPanel()
        self.model = EvidenceTableModel()
        self.table = EvidenceTable(self.model)
        self.model.setParent(self.table)  # gone with its view: destroyed first, it would signal a dead case
        self.detail = DetailPane()
        self.layout_docks = WindowLayout(self, self.table, self.filters, self.detail, self.taxonomy)
        self.tagger = Tagger(self)
        self.filters.filter_changed.connect(self._apply_filter)
        self.filters.save_requested.connect(self._save_search)
        self.filters.delete_requested.connect(self._delete_search)
        self.table.current_item_changed.connect(self._show_item)
        self.table.current_item_changed.connect(self.current_item_changed)
        self.table.selection_count_changed.connect(lambda _n: self._update_counts())
        self.model.count_changed.connect(lambda _n: self._update_counts())
        self.model.busy_changed.connect(self._show_counting)
        self.detail.item_link_activated.connect(self.show_item)
        self.taxonomy.toggle_requested.connect(self.tagger.toggle)
        self.taxonomy.tag_requested.connect(self.tagger.tag)
        self.taxonomy.untag_requested.connect(self.tagger.untag)
        self.taxonomy.note_requested.connect(self.tagger.add_note)
        self.items_changed.connect(self._on_items_changed)
        self.changes_made.connect(self._refresh_choices)
        self.filters.clear_requested.connect(self.clear_filters)
        for number in range(1, QUICK_KEYS + 1):
            for widget in (self.table, self.taxonomy.tree):
                shortcut = QShortcut(
                    QKeySequence(str(number)), widget, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
                )
                shortcut.activated.connect(lambda n=number: self._quick_tag(n))

    # -- reviewing -----------------------------------------------------------------------

    def _apply_filter(self, item_filter: ItemFilter) -> None:
        try:
            self.model.set_filter(item_filter)
        except SearchSyntaxError as exc:
            self.filters.show_search_error(str(exc))
            return
        self.filters.show_search_error(None)
        self.filter_applied.emit(item_filter)

    def _show_item(self, item_id) -> None:
        if item_id is None or self.case is None:
            self.detail.clear()
            return
        self.detail.show_item(self.case, item_id, resolve_zone(self.display_zone()), self.current_filter().search)

    def show_item(self, item_id: int) -> None:
        """Show an item in the detail pane (a link from another item: an attachment, the thread).

        The table's selection moves to it, so the next key tags the item shown; when the
        filters hide it they are cleared first (the status bar says so)."""
        if self.case is None:
            return
        if self.table.select_item(item_id):
            return
        if self.current_filter() != ItemFilter():
            self.clear_filters()
            if self.table.select_item(item_id):
                self.statusBar().showMessage(f"Filters cleared to show item {item_id}.", 6000)
                return
        self.detail.show_item(self.case, item_id, resolve_zone(self.display_zone()))

    def clear_filters(self) -> None:
        """Show every item, the table scrolled back to its first column (Time)."""
        self.filters.clear()
        self.table.scroll_to_start_column()

    def _quick_tag(self, number: int) -> None:
        codes = self.taxonomy.quick_codes
        if self.case is not None and number <= len(codes):
            self.tagger.toggle(codes[number - 1])

    def _show_counting(self, busy: bool) -> None:
        if busy:  # the count follows (count_changed) when the worker has it
            self.count_label.setText("Counting...")

    def _on_items_changed(self) -> None:
        if self.case is None:
            return
        self.model.refresh()
        self._update_title()
        if self.detail.item is not None:  # its tags and notes may have changed
            self._show_item(self.detail.item["id"])

    def _refresh_choices(self, changes: CaseChanges) -> None:
        """New sources, custodians, kinds or categories (an import, Refresh) appear in the filter lists."""
        if self.case is None:
            return
        if changes.items or changes.sources or changes.taxonomy:
            self.filters.refresh_choices(self.case)
        if changes.taxonomy:
            self.taxonomy.set_categories(self.case.taxonomy())

    def _load_saved_searches(self) -> None:
        self.filters.set_saved_searches(saved_searches.saved_searches(self.case) if self.case else [])

    def _save_search(self, name: str, item_filter: ItemFilter) -> None:
        saved = self.tagger.context.write(
            lambda case: saved_searches.save_search(case, name, item_filter), SAVED_SEARCHES
        )
        if saved is None:
            self._load_saved_searches()

    def _delete_search(self, name: str) -> None:
        self.tagger.context.write(lambda case: saved_searches.delete_search(case, name), SAVED_SEARCHES)
        self._load_saved_searches()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for name in MENU_NAMES:
            self._menus[name] = bar.addMenu(f"&{name}")
        self.toolbar = QToolBar("Main", self)
        self.toolbar.setObjectName("mainToolbar")
        self.addToolBar(self.toolbar)
        self.add_menu_action(
            "File", "&New Case...", self.new_case_dialog, QKeySequence.StandardKey.New, True, needs_case=False
        )
        self.add_menu_action(
            "File", "&Open Case...", self.open_case_dialog, QKeySequence.StandardKey.Open, True, needs_case=False
        )
        self.recent_menu = self.menu("File").addMenu("Open &Recent")
        self._rebuild_recent_menu()
        self.add_menu_action("File", "&Close Case", self.close_case, QKeySequence.StandardKey.Close)
        self._menu_tails["File"] = self.menu("File").addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        self.menu("File").addAction(quit_action)
        self._build_review_actions()
        self.add_menu_action("Help", "&About Casefile", self._show_about, needs_case=False)

    def _build_review_actions(self) -> None:
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        self.menu("Edit").addActions([undo, redo])
        self.menu("Edit").addSeparator()
        self.add_menu_action("Edit", "Select &All", self.table.selectAll, QKeySequence.StandardKey.SelectAll)
        self.add_menu_action("Edit", "&Find...", self._focus_search, QKeySequence.StandardKey.Find)
        self.add_menu_action("View", "&Refresh", self.refresh_everything, QKeySequence.StandardKey.Refresh)
        self.add_menu_action("View", "&Clear Filters", self.clear_filters, "Ctrl+Shift+L")
        self.menu("View").addSeparator()
        self.menu("View").addActions(self.layout_docks.view_actions())
        self.add_menu_action("View", "Reset &Layout", self.layout_docks.reset, needs_case=False)
        self.menu("View").addSeparator()
        tag = self.add_menu_action(
            "Evidence", "&Tag Selected With Current Category", self.tag_with_current, "Ctrl+T", True
        )
        tag.setIconText("Tag")
        tag.setToolTip("Tag the selected items with the category chosen in the tag panel (Ctrl+T)")
        self.add_menu_action("Evidence", "&Untag Selected", self.untag_current, "Ctrl+Shift+T")
        self.add_menu_action("Evidence", "Add &Note...", self.focus_new_note, "Ctrl+Shift+N")
        self.toolbar.addSeparator()
        self.toolbar.addActions([undo, redo])

    def _undo_index_changed(self, index: int) -> None:
        """After Ctrl+Z or a redo, the status bar says what the case is now, not the change undone."""
        before, self._undo_index = self._undo_index, index
        command = self.undo_stack.command(index if index < before else index - 1)
        if command is None or index == before:  # the stack was cleared (a case closed)
            return
        self.statusBar().showMessage(command.state_undone() if index < before else command.state_done(), 6000)

    def tag_with_current(self) -> None:
        """Tag the selection with the category chosen in the tag panel (none chosen: nothing)."""
        code = self.taxonomy.current_code()
        if code:
            self.tagger.tag(code)

    def untag_current(self) -> None:
        code = self.taxonomy.current_code()
        if code:
            self.tagger.untag(code)

    def _focus_search(self) -> None:
        self.filters.search_edit.setFocus()
        self.filters.search_edit.selectAll()

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_cases():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_case(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_cases()))

    def _build_status_bar(self) -> None:
        self.status_label = QLabel("No case open. Open a case file or create a new one.")
        self.count_label = QLabel(objectName="countLabel")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)

    def _update_counts(self) -> None:
        if self.case is None:
            self.count_label.clear()
            return
        selected = self.table.selected_count()
        text = f"{self.model.rowCount():,} shown"
        self.count_label.setText(text + (f" · {selected:,} selected" if selected else ""))

    def _update_title(self) -> None:
        if self.case is None:
            self.setWindowTitle("Casefile")
            self.status_label.setText("No case open. Open a case file or create a new one.")
            return
        counts = headline_counts(self.case.conn)
        items, sources, tags, quarantined = (counts[t] for t in ("items", "sources", "tags", "quarantine"))
        self.setWindowTitle(f"{self.case.name} - {plural(items, 'item')} - Casefile")
        self.status_label.setText(
            f"{self.case.name} · {plural(items, 'item')} · {plural(sources, 'source')} · "
            f"{plural(tags, 'tag')} · {quarantined:,} quarantined · times in {self.display_zone()}"
        )

    def _show_about(self) -> None:
        QMessageBox.about(self, "About Casefile", f"Casefile {__version__}\nEvidence review for distillation cases.")

    # -- layout memory -----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        self._layout_restored = self.layout_docks.restore(self.settings)
        self._shown_once = False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.layout_docks.first_shown(self._layout_restored)

    def save_layout(self) -> None:
        self.layout_docks.save(self.settings)
        self.settings.sync()

    def closeEvent(self, event) -> None:
        stop_all_tasks()  # this window's, the table's counting and the docks' (a thread must end first)
        self.save_layout()
        if self.case is not None:
            self._set_case(None)  # the views let go of it too: a late signal finds no case, not a closed one
        super().closeEvent(event)
