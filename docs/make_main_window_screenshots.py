"""Screenshots of the main window on the demo case, at 100% and at 200% scaling.

    QT_QPA_PLATFORM=offscreen python docs/make_main_window_screenshots.py [WORK_DIR]

Builds the demo case in WORK_DIR (default: a temporary folder), opens it in the main
window with an email selected and a search active, and writes docs/main-window.png;
then runs itself again with QT_SCALE_FACTOR=2 for docs/main-window@2x.png.
"""

import sys
from pathlib import Path

from shot_kit import DOCS, close_when_idle, demo_case, isolated_app, settle, shoot_in_child

SIZE = (1560, 940)


def shoot(case_path: Path, out: Path) -> None:
    app = isolated_app()
    from app.ui.main_window import MainWindow

    window = MainWindow(case_path)
    window.resize(*SIZE)
    window.show()
    settle(app)
    window.filters.search_edit.setText("accounts")
    window.filters.emit_filter()
    settle(app)
    for row in range(window.model.rowCount()):
        if window.model.row(row)["kind"] == "email":
            window.table.selectRow(row)
            break
    settle(app)
    window.grab().save(str(out))
    close_when_idle(app, window)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--shoot":
        shoot(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    import tempfile

    case_path = demo_case(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()))
    for scale, name in ((1, "main-window.png"), (2, "main-window@2x.png")):
        shoot_in_child(__file__, [case_path, DOCS / name], scale, screen=SIZE)
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
