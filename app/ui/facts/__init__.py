"""Facts and the proof chart in the main window (installed through app/ui/features.py).

Two docks -- the Facts view (the chronology, add/edit/delete with undo, items dropped
or sent from the evidence table become evidence) and the Proof view (claims and
elements with their facts and cites) -- an Evidence menu action "Add Selection to
Fact..." and Analysis menu actions to show the views and export the chart and the
chronology. A view redraws when facts, tags, the taxonomy or productions change, and
only while it is shown.
"""

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QInputDialog

from app.store import case_facts
from app.ui.facts.commands import FactEditor
from app.ui.facts.exports import export_chronology, export_proof_chart
from app.ui.facts.facts_view import FactsView
from app.ui.facts.item_drag import ItemDragStarter
from app.ui.facts.proof_view import ProofView

NEW_FACT = "New fact..."


@dataclass
class FactsFeature:
    editor: FactEditor
    facts: FactsView
    proof: ProofView
    facts_dock: QDockWidget
    proof_dock: QDockWidget
    drag: ItemDragStarter


def install(window) -> FactsFeature:
    editor = FactEditor(window)
    facts = FactsView(window, editor)
    proof = ProofView(window)
    feature = FactsFeature(
        editor,
        facts,
        proof,
        window.add_dock("Facts", facts, Qt.DockWidgetArea.RightDockWidgetArea),
        window.add_dock("Proof", proof, Qt.DockWidgetArea.RightDockWidgetArea),
        ItemDragStarter(window),
    )
    # One place for both, as tabs: side by side or below the table they would not fit at 1366x768.
    window.tabifyDockWidget(feature.facts_dock, feature.proof_dock)
    for view, dock in ((facts, feature.facts_dock), (proof, feature.proof_dock)):
        _keep_fresh(window, view, dock)
    proof.export_chart.clicked.connect(lambda: export_proof_chart(window, proof.production_id()))
    proof.export_chronology.clicked.connect(lambda: export_chronology(window, proof.production_id()))
    window.add_menu_action("Evidence", "Add Selection to &Fact...", lambda: add_selection_to_fact(window, feature))
    window.add_menu_action("Analysis", "&Facts", lambda: _show(feature.facts_dock))
    window.add_menu_action("Analysis", "&Proof Chart", lambda: _show(feature.proof_dock))
    window.add_menu_action(
        "Analysis", "Export Proof Chart...", lambda: export_proof_chart(window, proof.production_id())
    )
    window.add_menu_action("Analysis", "Export Chronology...", lambda: export_chronology(window, proof.production_id()))
    return feature


def _show(dock: QDockWidget) -> None:
    dock.show()
    dock.raise_()


def _keep_fresh(window, view, dock: QDockWidget) -> None:
    """Redraw on the changes the view shows, while it is shown; once when it is next shown."""
    stale = {"yes": True}

    def changed(changes=None) -> None:
        if changes is not None and not (changes.facts or changes.tags or changes.taxonomy or changes.items):
            return
        if dock.isVisible():
            view.refresh()
            stale["yes"] = False
        else:
            stale["yes"] = True

    def shown(visible: bool) -> None:
        if visible and stale["yes"]:
            view.refresh()
            stale["yes"] = False

    window.changes_made.connect(changed)
    window.case_changed.connect(lambda _path: changed())
    dock.visibilityChanged.connect(shown)


def add_selection_to_fact(window, feature: FactsFeature) -> None:
    """Evidence > Add Selection to Fact...: the selected items become a fact's evidence."""
    ids = window.selected_item_ids()
    if not ids:
        window.show_error("Select the items in the evidence table first.")
        return
    facts = case_facts.list_facts(window.case.conn)
    labels = [NEW_FACT] + [f"{f.id}: {f.date_text or 'undated'} - {f.statement[:80]}" for f in facts]
    choice, ok = QInputDialog.getItem(
        window, "Add Selection to Fact", f"Add {len(ids):,} item(s) as evidence of:", labels, 0, False
    )
    if not ok:
        return
    _show(feature.facts_dock)
    if choice == NEW_FACT:
        feature.facts.add_fact(ids)
    else:
        feature.facts.items_dropped(facts[labels.index(choice) - 1].id, ids)
