"""The feature views installed into the main window, one line each.

Each feature (the findings of the extraction analysis, provenance, facts and the proof
chart, redaction, review batches) lives in its own module or package under app/ui and
offers `install(window)`, which adds its menu actions and docks through the window's
hooks (`add_menu_action`, `add_dock`, `changes_made`, `run_task`). The main window calls
every installer here after its own actions, so adding a view is one line in this list.
"""

from app.ui import (
    facts,
    findings,
    go_to_item,
    notes_panel,
    ocr_action,
    provenance,
    redaction,
    review_batches,
    table_columns,
    thread_view,
)
from app.ui.coding import category_keys, checkbox_panel

FEATURE_INSTALLERS: list = [
    findings.install,  # the extraction analysis: ranked accounts, charts, clusters
    provenance.install,  # outputs traced to our logged responses, side by side
    ocr_action.install,  # Analysis > Read scanned pages (OCR)
    facts.install,  # facts, chronology and the proof chart
    review_batches.install,
    table_columns.install,
    go_to_item.install,
    thread_view.install,
    notes_panel.install,
    category_keys.install,
    checkbox_panel.install,
    redaction.install,  # redaction mode and the pattern dialog
]


def install_features(window) -> list:
    """Install every feature view; returns what each installer returned (tests look at them)."""
    return [install(window) for install in FEATURE_INSTALLERS]
