"""Screenshots of review batches on the demo case: the window at 1366x768, and the
Batches dock at 200% scaling.

    QT_QPA_PLATFORM=offscreen python docs/make_batches_screenshots.py [WORK_DIR]

Builds the demo case in WORK_DIR (default: a temporary folder) if it is not there, makes
batches of 40 from every item (a copy of the case, so the demo stays as built), opens
the first, reviews five items with Next Unreviewed, and writes docs/review-batches.png;
then runs itself again with QT_SCALE_FACTOR=2 for docs/review-batches-dock@2x.png.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from shot_kit import DOCS, close_when_idle, demo_case, isolated_app, settle, shoot_in_child

SCREEN = (1366, 768)


def shoot(case_path: Path, out: Path, dock_only: bool) -> None:
    app = isolated_app()
    from app.store import review_batches
    from app.ui import settings as S

    settings = S.Settings()
    settings.set(S.OPERATOR_NAME, "A. Paralegal")
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
    close_when_idle(app, window)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--shoot":
        shoot(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "dock")
        return
    from app.store import review_batches
    from app.store.case_file import CaseFile

    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp())
    demo = demo_case(work)
    for scale, name, part in ((1, "review-batches.png", "window"), (2, "review-batches-dock@2x.png", "dock")):
        case_path = work / f"batches-{part}.casefile"  # a fresh copy each: the same five reviewed in both
        shutil.copyfile(demo, case_path)
        with CaseFile.open(case_path, operator="A. Paralegal") as case:
            ids = [r[0] for r in case.conn.execute("SELECT id FROM items ORDER BY coalesce(ts_us, 1e18), id")]
            review_batches.make_batches(case, ids, "First pass", size=40, reviewer="A. Paralegal")
        shoot_in_child(__file__, [case_path, DOCS / name, part], scale, screen=SCREEN)
        print(f"wrote docs/{name}")


if __name__ == "__main__":
    main()
