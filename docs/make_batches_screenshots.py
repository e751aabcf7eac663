"""Screenshots of review batches on the demo case: the window at 1366x768, and the
Batches dock at 200% scaling.

    QT_QPA_PLATFORM=offscreen python docs/make_batches_screenshots.py [WORK_DIR]

Builds the demo case in WORK_DIR (default: a temporary folder) if it is not there, makes
batches of 40 from every item (a copy of the case, so the demo stays as built), opens
the first, reviews five items with Next Unreviewed, and writes docs/review-batches.png;
then runs itself again with QT_SCALE_FACTOR=2 for docs/review-batches-dock@2x.png.
"""

import os
import shutil
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
from app.store import review_batches  # noqa: E402
from app.store.case_file import CaseFile  # noqa: E402
from app.ui import settings as S  # noqa: E402

DOCS = ROOT / "docs"
SCREEN = (1366, 768)


def settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def shoot(case_path: Path, out: Path, dock_only: bool) -> None:
    S.set_application_names()
    S.isolate_settings(Path(tempfile.mkdtemp()))
    settings = S.Settings()
    settings.set(S.OPERATOR_NAME, "A. Paralegal")
    app = QApplication.instance() or QApplication([])
    from app.ui.main_window import MainWindow

    window = MainWindow(case_path, settings=settings)
    window.resize(*SCREEN)
    window.show()
    settle(app)
    feature = window.batches
    feature.dock.show()
    feature.open(review_batches.batches(window.case.conn)[0]["id"])
    for _ in range(6):
        feature.next_unreviewed()
    settle(app)
    if dock_only:
        feature.dock.setFloating(True)
        feature.dock.resize(380, 330)
        settle(app)
        feature.dock.grab().save(str(out))
    else:
        window.grab().save(str(out))
    from app.ui.task_runner import running_tasks

    while running_tasks():
        app.processEvents()
    window.close()


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--shoot":
        shoot(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "dock")
        return
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    demo = work / "demo" / "demo.casefile"
    if not demo.exists():
        run_to_end(build_demo(work / "demo"))
    for scale, name, part in (("1", "review-batches.png", "window"), ("2", "review-batches-dock@2x.png", "dock")):
        case_path = work / f"batches-{part}.casefile"  # a fresh copy each: the same five reviewed in both
        shutil.copyfile(demo, case_path)
        with CaseFile.open(case_path, operator="A. Paralegal") as case:
            ids = [r[0] for r in case.conn.execute("SELECT id FROM items ORDER BY coalesce(ts_us, 1e18), id")]
            review_batches.make_batches(case, ids, "First pass", size=40, reviewer="A. Paralegal")
        env = {**os.environ, "QT_SCALE_FACTOR": scale}
        subprocess.run(
            [sys.executable, __file__, "--shoot", str(case_path), str(DOCS / name), part], env=env, check=True
        )
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
