"""Redaction mode for the main window: a dock beside the detail pane following the current
item, and Evidence > Redaction Mode / Redact by Pattern. Installed through app/ui/features.py."""

from PySide6.QtCore import Qt

from app.ui.redaction.panel import RedactionPanel


def install(window) -> RedactionPanel:
    panel = RedactionPanel(window)
    dock = window.add_dock("Redaction", panel, Qt.DockWidgetArea.RightDockWidgetArea)
    panel.dock = dock

    def toggle() -> None:
        dock.setVisible(not dock.isVisible())
        if dock.isVisible():
            panel.show_item(window.current_item_id())

    window.add_menu_action("Evidence", "Redaction Mode", toggle, shortcut="Ctrl+Alt+R")
    window.add_menu_action("Evidence", "Redact by Pattern...", panel.open_pattern_dialog)
    window.current_item_changed.connect(lambda item_id: panel.show_item(item_id) if dock.isVisible() else None)
    window.case_changed.connect(lambda _path: panel.show_item(None))
    window.changes_made.connect(lambda changes: panel.refresh() if changes.redactions or changes.taxonomy else None)
    return panel
