"""Open the main window on a given screen and report its layout as JSON (a separate process per screen).

    QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json [QT_SCALE_FACTOR=2] \
        python tests/ui/layout_probe.py CASE SETTINGS_DIR [SCREENSHOT.png]

Qt chooses the screen (its size, its scale) once per process, so each screen size is
probed in its own process (tests/ui/test_ui_layout.py). Measures what a reviewer would
notice: the window and every panel within the screen, no panel below its minimum size,
the coding tree's visible rows (with the timeline open too), the table's visible columns
once an item is selected, the export dialog and its buttons on screen.
"""

import json
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.ui import settings as S  # noqa: E402


def _rect(widget: QWidget) -> list[int]:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def _inside(rect: list[int], room: QRect) -> bool:
    x, y, w, h = rect
    return room.contains(QRect(x, y, w, h))


def _tree_rows(tree) -> int:
    first = tree.topLevelItem(0)
    height = tree.visualItemRect(first).height() if first is not None else 0
    return tree.viewport().height() // height if height else 0


def _table_columns(table) -> int:
    width = table.viewport().width()
    columns = range(table.model().columnCount())
    return sum(1 for c in columns if table.columnViewportPosition(c) + table.columnWidth(c) <= width)


def _panels(window) -> dict:
    docks = window.layout_docks
    return {
        "filters": docks.filters_dock,
        "document": docks.document_dock,
        "coding": docks.coding_dock,
        "table": window.table,
    }


def probe(case_path: Path, screenshot: Path | None) -> dict:
    from app.ui.main_window import MainWindow

    app = QApplication.instance()
    room = app.primaryScreen().availableGeometry()
    window = MainWindow(case_path)
    window.show()
    app.processEvents()
    rows = [window.model.row(r) for r in range(window.model.rowCount())]
    email = next(r for r, row in enumerate(rows) if row["title"] == "Harvest plan")
    window.table.selectRow(email)
    app.processEvents()
    report = {
        "screen": [room.x(), room.y(), room.width(), room.height()],
        "dpr": app.primaryScreen().devicePixelRatio(),
        "window": [
            window.frameGeometry().x(),
            window.frameGeometry().y(),
            window.frameGeometry().width(),
            window.frameGeometry().height(),
        ],
        "window_inside": room.contains(window.frameGeometry()),
        "panels": {},
        "coding_rows": _tree_rows(window.taxonomy.tree),
        "table_columns": _table_columns(window.table),
        "filters_fit": window.filters.height() >= window.filters.minimumSizeHint().height(),
    }
    for name, widget in _panels(window).items():
        report["panels"][name] = {
            "rect": _rect(widget),
            "visible": widget.isVisible(),
            "inside": _inside(_rect(widget), room),
            "at_least_minimum": widget.width() >= widget.minimumSizeHint().width()
            and widget.height() >= min(widget.minimumSizeHint().height(), widget.height()),
        }
    if screenshot is not None:
        window.grab().save(str(screenshot))
    dialog = window.window_actions.open_export()
    app.processEvents()
    buttons = dialog.findChild(QDialogButtonBox)
    report["export_inside"] = room.contains(dialog.frameGeometry())
    report["export_buttons_inside"] = buttons is not None and _inside(_rect(buttons), room)
    if screenshot is not None:
        dialog.grab().save(str(screenshot.with_name(screenshot.stem + "-export.png")))
    dialog.close()
    window.window_actions.timeline_dock.show()
    app.processEvents()
    report["coding_rows_with_timeline"] = _tree_rows(window.taxonomy.tree)
    report["timeline_inside"] = _inside(_rect(window.window_actions.timeline_dock), room)
    window.window_actions.timeline_dock.hide()
    # Every feature view, shown from the View menu as a user would: the window stays on the
    # screen and the view comes to the front, whatever else is open.
    report["feature_docks"] = {}
    for dock in window.layout_docks.feature_docks:
        dock.toggleViewAction().trigger()
        for _ in range(3):
            app.processEvents()
        report["feature_docks"][dock.windowTitle()] = {
            "window_inside": room.contains(window.frameGeometry()),
            "shown": dock.isVisible() and not dock.visibleRegion().isEmpty(),
        }
    window.close()
    return report


def main(argv: list[str]) -> int:
    case_path, settings_dir = Path(argv[0]), Path(argv[1])
    screenshot = Path(argv[2]) if len(argv) > 2 else None
    app = QApplication([sys.argv[0]])
    S.set_application_names()
    S.isolate_settings(settings_dir)
    report = probe(case_path, screenshot)
    print(json.dumps(report))
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
