"""The Provenance view: model outputs ranked by how much of our logged responses they copy.

`install(window)` adds Analysis > "Trace Outputs to Our Responses" and the Provenance
dock (app/ui/features.py). The dock lists outputs by their strongest link; choosing one
shows the output and the logged response side by side with the shared passages marked
(app/ui/provenance/compare.py); from there the logged request is shown in the evidence
table, both items can be tagged (undoable) or made one comparison exhibit. A second tab
holds the case's canary strings and lab names and what was found.
"""

from PySide6.QtCore import Qt

from app.ui.provenance.view import ProvenanceView


def install(window) -> ProvenanceView:
    view = ProvenanceView(window)
    view.dock = window.add_dock("Provenance", view, Qt.DockWidgetArea.RightDockWidgetArea)
    window.add_menu_action("Analysis", "&Trace Outputs to Our Responses...", view.show_and_run)
    window.add_menu_action("Analysis", "Show &Provenance", view.show_dock)
    window.case_changed.connect(lambda _path: view.reload())
    window.changes_made.connect(view.on_changes)
    return view
