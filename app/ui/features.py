"""The feature views installed into the main window, one line each.

Each feature (the findings of the extraction analysis, provenance, facts and the proof
chart, redaction, review batches) lives in its own module or package under app/ui and
offers `install(window)`, which adds its menu actions and docks through the window's
hooks (`add_menu_action`, `add_dock`, `changes_made`, `run_task`). The main window calls
every installer here after its own actions, so adding a view is one line in this list.
"""

from app.ui import provenance

FEATURE_INSTALLERS: list = [
    provenance.install,
]


def install_features(window) -> list:
    """Install every feature view; returns what each installer returned (tests look at them)."""
    return [install(window) for install in FEATURE_INSTALLERS]
