"""The import, exhibit, export, timeline, audit, verify and settings actions, wired into the main window in one place.

`install_window_actions(window)` adds: File > Import (and dropping files or folders on the
window), Evidence > Make Exhibit, View > Timeline and Exhibits (docks), Tools >
Export, Audit Log, Quarantined Records, Verify Case, and Edit > Settings. Every
dialog also works on its own, given a case path (see each module).
"""

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDialog, QDockWidget

from app.core.case_changes import CaseChanges
from app.ui.audit_view import AuditView
from app.ui.exhibits_panel import ExhibitDialog, ExhibitsPanel, create_exhibit_from
from app.importers import bulk_load
from app.ui.import_wizard import ImportWizard
from app.ui.quarantine_view import QuarantineView
from app.ui.settings_dialog import SettingsDialog
from app.ui.timeline import TimelineView
from app.ui.verify_dialog import VerifyDialog


class DropImporter(QObject):
    """Files or folders dropped on the main window open the import wizard."""

    def __init__(self, window_actions: "WindowActions"):
        super().__init__(window_actions.window)
        self.window_actions = window_actions

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if event.mimeData().hasUrls() and self.window_actions.window.case is not None:
                event.acceptProposedAction()
                return True
        if event.type() == QEvent.Type.Drop and event.mimeData().hasUrls():
            paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
            if paths and self.window_actions.window.case is not None:
                event.acceptProposedAction()
                self.window_actions.open_import(paths)
                return True
        return False


class WindowActions:
    """Holds these docks and dialogs for one main window."""

    def __init__(self, window):
        self.window = window
        self.dialog: QDialog | None = None  # the last dialog opened (tests look at it)
        self.timeline = TimelineView(None, background=True)
        self.timeline_stale = True  # the bars (and the tagged markers) need counting when next shown
        self.timeline_tags_stale = False  # only the tagged markers do
        self.timeline.period_selected.connect(window.set_date_filter)
        self.exhibits = ExhibitsPanel(window.case)
        self.timeline_dock = self._dock("Timeline", self.timeline, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.exhibits_dock = self._dock("Exhibits", self.exhibits, Qt.DockWidgetArea.RightDockWidgetArea)
        self.timeline_dock.visibilityChanged.connect(self._timeline_visibility_changed)
        window.case_changed.connect(self._case_changed)
        window.changes_made.connect(self._changes_made)
        filter_applied = getattr(window, "filter_applied", None)
        if filter_applied is not None:
            filter_applied.connect(self._filter_applied)
        current_item_changed = getattr(window, "current_item_changed", None)
        if current_item_changed is not None:
            current_item_changed.connect(self._show_item_membership)
        self.drop_filter = DropImporter(self)
        window.setAcceptDrops(True)
        window.installEventFilter(self.drop_filter)
        self._add_actions()

    def _dock(self, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        self.window.layout_docks.add_feature_dock(dock, area)
        return dock

    def _add_actions(self) -> None:
        add = self.window.add_menu_action
        add("File", "&Import...", self.open_import, "Ctrl+I", toolbar=True)
        add("Evidence", "Make E&xhibit from Selection...", self.make_exhibit, "Ctrl+Shift+X")
        self.window.menu("View").addAction(self.timeline_dock.toggleViewAction())
        self.window.menu("View").addAction(self.exhibits_dock.toggleViewAction())
        self.timeline_dock.toggleViewAction().setShortcut("Ctrl+Shift+D")  # Ctrl+T tags the selection
        add("Tools", "&Export Bundle...", self.open_export, "Ctrl+E", toolbar=True)
        add("Tools", "&Audit Log...", self.open_audit)
        add("Tools", "&Quarantined Records...", self.open_quarantine)
        add("Tools", "&Verify Case...", self.verify)
        add("Edit", "&Settings...", self.open_settings, "Ctrl+,", needs_case=False)

    # -- reactions to the window -------------------------------------------------------

    def _case_changed(self, _path) -> None:
        self.timeline.case = self.window.case
        self.timeline.set_filter(None)
        self.timeline.zone = self.window.display_zone()
        self.timeline_stale = True
        self._refresh_timeline()
        self.exhibits.set_case(self.window.case)

    def _changes_made(self, changes: CaseChanges) -> None:
        """Redraw what shows the change: a tag moves the timeline's tagged markers, not its bars."""
        if self.window.case is None:
            return
        if changes.timeline_bars:
            self.timeline_stale = True
        elif changes.timeline_tags:
            self.timeline_tags_stale = True
        self._refresh_timeline()
        if changes.exhibit_list:
            self.exhibits.reload()

    def _filter_applied(self, item_filter) -> None:
        """The timeline counts what the table lists ("1,484 of 300,000 dated items")."""
        if self.timeline.set_filter(item_filter):
            self.timeline_stale = True
            self._refresh_timeline()

    def _timeline_visibility_changed(self, visible: bool) -> None:
        if visible:
            self._refresh_timeline()

    def _show_item_membership(self, _item_id=None) -> None:
        self.exhibits.show_item_membership(self.window.current_item_id())

    def _refresh_timeline(self) -> None:
        """Count only while the timeline is shown (a million rows take a second on a worker)."""
        if not self.timeline_dock.isVisible():
            return
        if self.timeline_stale:
            self.timeline_stale = self.timeline_tags_stale = False
            self.timeline.refresh()
        elif self.timeline_tags_stale:
            self.timeline_tags_stale = False
            self.timeline.refresh_tagged()

    # -- actions -------------------------------------------------------------------------

    def _show(self, dialog: QDialog) -> QDialog:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_import(self, paths=()) -> ImportWizard:
        window = self.window
        wizard = ImportWizard(window.case_path, paths, parent=window, operator=window.settings.operator())
        wizard.import_starting.connect(self._set_case_aside_for)
        for ended in (wizard.import_finished, wizard.import_cancelled, wizard.import_failed):
            ended.connect(window.take_case_back)  # (before the views are told what changed)
        wizard.import_finished.connect(self._case_rewritten)
        return self._show(wizard)

    def _set_case_aside_for(self, import_bytes: int) -> None:
        """A large import writes straight into the case only if the window lets go of it too
        (the import's own rule: bulk_load.large_for_case; else the window keeps the case)."""
        case = self.window.case
        if case is not None and bulk_load.large_for_case(case.conn, import_bytes):
            self.window.set_case_aside()

    def make_exhibit(self) -> ExhibitDialog | None:
        ids = self.window.selected_item_ids()
        if not ids:
            self.window.show_error("Select the items of the exhibit in the table first.")
            return None
        dialog = ExhibitDialog(len(ids), self.window)
        dialog.accepted.connect(lambda: self._create_exhibit(ids, dialog))
        return self._show(dialog)

    def _create_exhibit(self, ids, dialog: ExhibitDialog) -> None:
        exhibit_id = create_exhibit_from(
            self.window, self.window.case, ids, dialog.title.text(), dialog.description.toPlainText().strip()
        )
        if exhibit_id is not None:
            self.exhibits.reload(exhibit_id)
            self.exhibits_dock.show()

    def open_export(self):
        from app.ui.export_dialog import ExportDialog

        dialog = ExportDialog(
            self.window.case_path,
            parent=self.window,
            settings=self.window.settings,
            item_ids=self.window.selected_item_ids(),
        )
        dialog.exported.connect(self._case_rewritten)
        return self._show(dialog)

    def _case_rewritten(self, _result=None) -> None:
        """After an import or an export: anything in the case may have changed."""
        self.window.notify_items_changed(CaseChanges.everything())

    def open_audit(self) -> AuditView:
        return self._show(AuditView(self.window.case_path, self.window))

    def open_quarantine(self) -> QuarantineView:
        return self._show(QuarantineView(self.window.case_path, parent=self.window))

    def verify(self) -> VerifyDialog:
        dialog = VerifyDialog(self.window.case_path, self.window.settings.operator(), self.window)
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.start()
        return dialog

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.window.settings, self.window)
        dialog.accepted.connect(self._settings_saved)
        return self._show(dialog)

    def _settings_saved(self) -> None:
        window = self.window
        if window.case is None:
            return
        window.case.operator = window.settings.operator()  # the name recorded in the audit log from now on
        shown = window.current_filter()
        window.model.set_connection(window.case.conn, window.display_zone())  # times in the zone chosen
        self.timeline.zone = window.display_zone()  # its days too (recounted by notify_items_changed)
        window.model.set_filter(shown)
        window.notify_items_changed(CaseChanges.everything())


def install_window_actions(window) -> WindowActions:
    """Add these menus, docks and the drop target to the main window; returns the holder."""
    window.window_actions = WindowActions(window)
    return window.window_actions
