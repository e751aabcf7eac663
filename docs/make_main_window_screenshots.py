"""Screenshots of the main window on the demo case, at 100% and at 200% scaling.

    QT_QPA_PLATFORM=offscreen python docs/make_main_window_screenshots.py [WORK_DIR]

Builds the demo case in WORK_DIR (default: a temporary folder), opens it in the main
window with an email selected and a search active, and writes docs/main-window.png;
then runs itself again with QT_SCALE_FACTOR=2 for docs/main-window@2x.png.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.cancel import run_to_end  # noqa: E402
from app.demo.build import build_demo  # noqa: E402
from app.ui import settings as S  # noqa: E402

DOCS = ROOT / "docs"
SIZE = (1560, 940)


def settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def shoot(case_path: Path, out: Path) -> None:
    S.set_application_names()
    S.isolate_settings(Path(tempfile.mkdtemp()))
    app = QApplication.instance() or QApplication([])
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
    from app.ui.task_runner import running_tasks

    while running_tasks():
        app.processEvents()
    window.close()


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--shoot":
        shoot(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    case_path = work / "demo" / "demo.casefile"
    if not case_path.exists():
        run_to_end(build_demo(work / "demo"))
    for scale, name in (("1", "main-window.png"), ("2", "main-window@2x.png")):
        # A screen that holds the window at this scale: the window never opens larger than its screen.
        width, height = (SIZE[0] * int(scale), SIZE[1] * int(scale))
        config = work / f"screen-{width}x{height}.json"
        screen = {"name": "desk", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
        config.write_text(json.dumps({"screens": [screen]}))
        env = {**os.environ, "QT_SCALE_FACTOR": scale, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
        subprocess.run([sys.executable, __file__, "--shoot", str(case_path), str(DOCS / name)], env=env, check=True)
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
