"""The Findings view of the extraction analysis (app/analysis/extraction), installed into the
main window through app/ui/features.py."""

from PySide6.QtCore import Qt

from app.ui.findings.view import FindingsView


def install(window) -> FindingsView:
    view = FindingsView(window)
    dock = window.add_dock("Findings", view, Qt.DockWidgetArea.RightDockWidgetArea)
    view.dock = dock

    def show() -> None:
        dock.show()
        dock.raise_()

    def find_extraction() -> None:
        show()
        view.run_analysis()

    window.add_menu_action("Analysis", "&Find the Extraction…", find_extraction)
    window.add_menu_action("Analysis", "Show &Findings", show)
    window.case_changed.connect(lambda _case: view.refresh_when_seen())
    # An import or View > Refresh (another program, e.g. `casefile analyze`, may have written).
    window.changes_made.connect(
        lambda changes: view.refresh_when_seen() if changes.items and view.runner is None else None
    )
    dock.visibilityChanged.connect(lambda seen: view.refresh() if seen and view.stale else None)
    return view
