"""The main window: open a case, filter and review its items, tag them.

Hooks for other parts of the application (stable; part 2 builds on them):

- `window.menu("Tools")` -> QMenu; `window.add_menu_action("Tools", "Export...", slot,
  shortcut="Ctrl+E", toolbar=True)` -> QAction. Menus: File, Edit, View, Evidence, Tools, Help.
- `window.case` (CaseFile on the GUI thread, or None), `window.case_path`, `window.settings`.
- `window.open_case(path) -> bool`, `window.close_case()`.
- `case_changed(object)`: a case was opened or closed (its path, or None).
- `items_changed()`: items, tags or notes changed; emit it with `notify_items_changed()`
  after a write made elsewhere (an import); the table and counts refresh.
- `window.set_date_filter(from_us, to_us)`: show only items in [from, to) (UTC microseconds;
  None = open ended), e.g. from the timeline.
- `window.run_task(operation, title, writes=False) -> TaskRunner`: run a core generator
  `operation(case, token)` on a worker thread over this case; errors shown in a dialog.
- `window.selected_item_ids()`, `window.current_item_id()`, `window.current_filter()`.
"""

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox, QSplitter, QToolBar,
                               QWidget)

from app import __version__
from app.store.case_file import CaseFile, case_info
from app.store.errors import CaseFileError
from app.store.item_query import ItemFilter
from app.ui import settings as S
from app.ui.error_dialog import show_error
from app.ui.part2_actions import install_part2
from app.ui.task_runner import TaskRunner

CASE_FILTER = "Case files (*.casefile);;All files (*)"
MENU_NAMES = ("File", "Edit", "View", "Evidence", "Tools", "Help")


class MainWindow(QMainWindow):
    case_changed = Signal(object)
    items_changed = Signal()

    def __init__(self, case_path=None, settings: S.Settings | None = None):
        super().__init__()
        self.settings = settings or S.Settings()
        self.case: CaseFile | None = None
        self.undo_stack = QUndoStack(self)
        self._menus: dict[str, QMenu] = {}
        self._tasks: set[TaskRunner] = set()
        self._build_panes()
        self._build_menus()
        self._build_status_bar()
        install_part2(self)  # import, exhibits, export, timeline, audit, verify, settings
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

    def add_menu_action(self, menu_name: str, text: str, slot, shortcut=None, toolbar: bool = False,
                        needs_case: bool = True) -> QAction:
        """Add an action to a menu (and the toolbar); disabled while no case is open if needs_case."""
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.menu(menu_name).addAction(action)
        if toolbar:
            self.toolbar.addAction(action)
        if needs_case:
            action.setEnabled(self.case is not None)
            self._case_actions.append(action)
        return action

    def notify_items_changed(self) -> None:
        self.items_changed.emit()

    def set_date_filter(self, from_us: int | None, to_us: int | None) -> None:
        """Show only items dated in [from_us, to_us) (UTC microseconds)."""
        self._date_filter = (from_us, to_us)
        self.items_changed.emit()

    def current_filter(self) -> ItemFilter:
        from_us, to_us = self._date_filter
        return ItemFilter(from_us=from_us, to_us=to_us)

    def selected_item_ids(self) -> list[int]:
        return []

    def current_item_id(self) -> int | None:
        return None

    def run_task(self, operation, title: str, writes: bool = False, show_errors: bool = True) -> TaskRunner:
        """Run `operation(case, token)` (a Progress generator) on a worker thread over this case."""
        runner = TaskRunner(self.case_path, operation, title=title, parent=self,
                            operator=self.settings.operator(), writes=writes)
        self._tasks.add(runner)
        runner.done.connect(lambda: self._tasks.discard(runner))
        if show_errors:
            runner.failed.connect(lambda message, details: self.show_error(message, details))
        if writes:
            runner.finished.connect(lambda _result: self.notify_items_changed())
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
        return True

    def close_case(self) -> None:
        self._set_case(None)

    def new_case_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New case", self.settings.get(S.LAST_FOLDER), CASE_FILTER)
        if not path:
            return
        path = Path(path if path.endswith(".casefile") else path + ".casefile")
        try:
            CaseFile.create(path, path.stem, operator=self.settings.operator()).close()
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
        self._date_filter = (None, None)
        for action in self._case_actions:
            action.setEnabled(case is not None)
        self._update_title()
        self.case_changed.emit(case.path if case else None)

    # -- building ------------------------------------------------------------------------

    def _build_panes(self) -> None:
        self._date_filter = (None, None)
        self._case_actions: list[QAction] = []
        self.splitter = QSplitter(Qt.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.filters_pane = QWidget(self.splitter)
        self.table_pane = QWidget(self.splitter)
        self.detail_pane = QWidget(self.splitter)
        self.setCentralWidget(self.splitter)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for name in MENU_NAMES:
            self._menus[name] = bar.addMenu(f"&{name}")
        self.toolbar = QToolBar("Main", self)
        self.toolbar.setObjectName("mainToolbar")
        self.addToolBar(self.toolbar)
        self.add_menu_action("File", "&New Case...", self.new_case_dialog, QKeySequence.New, True, needs_case=False)
        self.add_menu_action("File", "&Open Case...", self.open_case_dialog, QKeySequence.Open, True,
                             needs_case=False)
        self.recent_menu = self.menu("File").addMenu("Open &Recent")
        self._rebuild_recent_menu()
        self.add_menu_action("File", "&Close Case", self.close_case, QKeySequence.Close)
        self.menu("File").addSeparator()
        self.add_menu_action("File", "&Quit", self.close, QKeySequence.Quit, needs_case=False)
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.Redo])
        self.menu("Edit").addActions([undo, redo])
        self.menu("Edit").addSeparator()
        self.add_menu_action("Help", "&About Casefile", self._show_about, needs_case=False)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_cases():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_case(p))
        self.recent_menu.setEnabled(bool(self.settings.recent_cases()))

    def _build_status_bar(self) -> None:
        self.status_label = QLabel("No case open. Open a case file or create a new one.")
        self.statusBar().addWidget(self.status_label, 1)

    def _update_title(self) -> None:
        if self.case is None:
            self.setWindowTitle("Casefile")
            self.status_label.setText("No case open. Open a case file or create a new one.")
            return
        info = case_info(self.case)
        self.setWindowTitle(f"{self.case.name} - {info['items_total']:,} items - Casefile")
        self.status_label.setText(f"{self.case.name}: {info['items_total']:,} items, {info['sources']:,} sources, "
                                  f"{info['tags']:,} tags")

    def _show_about(self) -> None:
        QMessageBox.about(self, "About Casefile", f"Casefile {__version__}\nEvidence review for distillation cases.")

    # -- layout memory -----------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.get(S.WINDOW_GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1400, 860)
        state = self.settings.get(S.SPLITTER_STATE)
        if state.isEmpty() or not self.splitter.restoreState(state):
            self.splitter.setSizes([260, 700, 440])

    def save_layout(self) -> None:
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(S.SPLITTER_STATE, self.splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        for runner in list(self._tasks):
            runner.cancel()
            runner.wait()
        self.save_layout()
        if self.case is not None:
            self.case.close()
            self.case = None
        super().closeEvent(event)
