"""The evidence table over a million rows: windowed model vs Qt's canFetchMore/fetchMore.

    python bench/bench_gui_table.py --rows 1000000 --record

Builds a case of N minimal log rows once (tests/ui/ui_big_case.py), then measures, each
in its own subprocess (offscreen Qt): the first screen (open + count + first paint),
the jump to the last row (scroll to the end + paint) and the growth of the process
(ru_maxrss after - RSS before opening), for
  floor     - the two SQL pages alone (first 200 rows; last 200 rows by the reversed index)
  windowed  - EvidenceTableModel + EvidenceTable (what the application uses)
  fetchmore - a QAbstractTableModel using canFetchMore/fetchMore (keyset pages of 200,
              rows kept in a list): reaching the end fetches every page before it
  window    - the whole MainWindow (filters, tags, detail, part-2 docks) opening the case
Results are printed and, with --record, appended to bench/results/gui_table.txt.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui")]
RESULTS = ROOT / "bench" / "results" / "gui_table.txt"


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode: str, path: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if mode == "floor":
        return _floor(path)
    from PySide6.QtWidgets import QApplication
    from app.ui.settings import isolate_settings, set_application_names

    set_application_names()
    isolate_settings(Path(tempfile.mkdtemp()))
    app = QApplication([])
    base = rss_mb()
    start = time.perf_counter()
    view, model = {"windowed": _windowed, "fetchmore": _fetch_more, "window": _main_window}[mode](path)
    view.resize(1400, 900)
    view.show()
    while model.rowCount() == 0:  # a count over the GUI budget arrives from a worker
        app.processEvents()
    _paint(app, view)
    first = time.perf_counter() - start
    start = time.perf_counter()
    _to_end(app, view, model)
    jump = time.perf_counter() - start
    result = {"first_s": first, "jump_s": jump, "growth_mb": peak_mb() - base, "rows": model.rowCount()}
    _finish_background_work(app)
    view.close()
    return result


def _finish_background_work(app) -> None:
    """Let worker threads (the timeline's counting) end before the process does."""
    from app.ui.task_runner import running_tasks

    while running_tasks():
        app.processEvents()
        time.sleep(0.02)


def _paint(app, view) -> None:
    app.processEvents()
    view.repaint()


def _to_end(app, view, model) -> None:
    table = getattr(view, "table", view)
    while model.canFetchMore(table.rootIndex()):  # only the fetchMore model ever can
        model.fetchMore(table.rootIndex())
    table.scrollToBottom()
    _paint(app, view)


def _floor(path: str) -> dict:
    from app.store.case_file import CaseFile
    from app.store.item_query import ItemFilter
    from app.store.item_pages import Window, page

    base = rss_mb()
    start = time.perf_counter()
    case = CaseFile.open(path)
    page(case.conn, Window(ItemFilter()), None, 200)
    first = time.perf_counter() - start
    start = time.perf_counter()
    page(case.conn, Window(ItemFilter(), descending=True), None, 200)
    jump = time.perf_counter() - start
    return {"first_s": first, "jump_s": jump, "growth_mb": peak_mb() - base, "rows": 0}


def _windowed(path: str):
    from app.store.case_file import CaseFile
    from app.ui.evidence_model import EvidenceTableModel
    from app.ui.evidence_table import EvidenceTable

    case = CaseFile.open(path)
    model = EvidenceTableModel()
    model.set_connection(case.conn, "UTC")
    view = EvidenceTable(model)
    view._case = case
    return view, model


def _main_window(path: str):
    from app.ui.main_window import MainWindow

    window = MainWindow(path)
    return window, window.model


def _fetch_more(path: str):
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QTableView
    from app.store.case_file import CaseFile
    from app.store.item_query import ItemFilter, list_items

    class FetchMoreModel(QAbstractTableModel):
        def __init__(self, conn):
            super().__init__()
            self.conn, self.rows, self.done = conn, [], False

        def rowCount(self, parent=QModelIndex()):  # noqa: N802
            return len(self.rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: N802
            return 6

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == 0:
                row = self.rows[index.row()]
                shown = (row["ts_utc"], row["kind"], row["source_id"], row["account"], row["title"], "")
                return str(shown[index.column()])
            return None

        def canFetchMore(self, parent):  # noqa: N802
            return not self.done

        def fetchMore(self, parent):  # noqa: N802
            after = (self.rows[-1]["sort_key"], self.rows[-1]["id"]) if self.rows else None
            page = list_items(self.conn, ItemFilter(), 200, after)
            self.done = len(page) < 200
            if page:
                self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
                self.rows += page
                self.endInsertRows()

    case = CaseFile.open(path)
    model = FetchMoreModel(case.conn)
    view = QTableView()
    view.setModel(model)
    view._case = case
    return view, model


def run(mode: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", mode, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    from ui_big_case import build_big_case

    folder = Path(os.environ.get("BENCH_TMP") or tempfile.mkdtemp())
    path = folder / f"gui-{args.rows}.casefile"
    if not path.exists():
        build_big_case(path, args.rows)
    results = {mode: run(mode, path) for mode in ("floor", "windowed", "fetchmore", "window")}
    report = format_report(args.rows, results)
    print(report)
    if args.record:
        with open(RESULTS, "a", encoding="utf-8") as handle:
            handle.write(report + "\n")


def format_report(rows: int, results: dict) -> str:
    floor = results["floor"]
    lines = [
        f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {rows:,} log rows, offscreen Qt "
        f"(shared 2-core machine: timings noisy)",
        f"{'':10} {'first screen':>14} {'jump to end':>13} {'growth':>9}  ratios to floor (first, jump)",
    ]
    for mode, r in results.items():
        ratio = (
            ""
            if mode == "floor"
            else f"  {r['first_s'] / floor['first_s']:.0f}x, {r['jump_s'] / max(floor['jump_s'], 1e-6):.0f}x"
        )
        lines.append(
            f"{mode:10} {r['first_s']:>12.3f} s {r['jump_s'] * 1000:>10.1f} ms {r['growth_mb']:>6.0f} MB{ratio}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
