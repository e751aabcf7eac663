"""The GUI thread under review actions on a real MainWindow (offscreen), held at most how long?

A watchdog QTimer ticks every TICK_MS on the GUI thread; while an action runs (started
from the event loop, so its own synchronous work counts) the longest gap between two
ticks is how long the window was frozen; the GUI thread's own CPU time within that gap
says whether it was working (our code) or waiting (for the interpreter lock held by a
worker, or for a core on a loaded machine). Each action also reports when the table was
first reset after it (the first page shown) and when all its work had ended (every
worker thread done: a count, a bulk tag, the timeline's bars).
"""

import os
import resource
import tempfile
import time
from pathlib import Path

TICK_MS = 5
SETTLE_LIMIT_S = 300
QUIET_S = 0.15  # no worker running for this long: the action has ended


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Watchdog:
    """Longest gap between the ticks of a fast timer on the GUI thread."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.reset()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if now - self.last > self.longest:
            self.longest, self.longest_cpu = now - self.last, cpu - self.last_cpu
        self.last, self.last_cpu = now, cpu

    def reset(self) -> None:
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.longest = self.longest_cpu = 0.0


def measure_window(case_path: Path, tag_code: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer, Qt
    from PySide6.QtWidgets import QApplication, QDockWidget

    from app.store.item_query import ItemFilter
    from app.ui.settings import isolate_settings, set_application_names
    from app.ui.task_runner import running_tasks

    set_application_names()
    isolate_settings(Path(tempfile.mkdtemp()))
    app = QApplication.instance() or QApplication([])
    watchdog = Watchdog()
    watchdog.timer.start()
    results: dict = {}

    start = time.perf_counter()
    from app.ui.main_window import MainWindow  # the modules: a cost of starting, whatever the case

    imports_s = time.perf_counter() - start
    base = rss_mb()
    start = time.perf_counter()
    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    window.open_case(case_path)
    while window.model.rowCount() == 0:  # a count over the GUI budget arrives from a worker
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    app.processEvents()
    window.repaint()
    results["open"] = {"first_screen_s": time.perf_counter() - start, "growth_mb": peak_mb() - base}
    results["open"]["imports_s"] = imports_s
    resets: list[float] = []
    window.model.modelReset.connect(lambda: resets.append(time.perf_counter()))

    def run(name: str, action, wait_for=lambda: True) -> None:
        resets.clear()
        watchdog.reset()
        began = time.perf_counter()
        QTimer.singleShot(0, action)
        quiet_since = None
        while time.perf_counter() - began < SETTLE_LIMIT_S:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            now = time.perf_counter()
            busy = running_tasks() or not wait_for() or now - began < 0.05
            quiet_since = None if busy else (quiet_since or now)
            if quiet_since and now - quiet_since > QUIET_S:
                break
        window.repaint()
        results[name] = {
            "gap_ms": watchdog.longest * 1000,
            "gap_cpu_ms": watchdog.longest_cpu * 1000,
            "first_reset_s": (resets[0] - began) if resets else None,
            "settled_s": (quiet_since or time.perf_counter()) - began,
            "rows": window.model.rowCount(),
        }

    filters = window.filters
    apply = filters.apply_filter
    account = window.model.row(3)["account"] if window.model.row(3) else "none"
    middle = window.model.row(window.model.rowCount() // 2)
    from_us = middle["ts_us"] if middle else 0
    terms = {"search common word": "the", "search rare word": "zzqxjv"}
    for name, term in terms.items():
        run(name, lambda t=term: apply(ItemFilter(search=t)))
        if window.model.rowCount() > 1000:  # the scroll bar dragged to the middle of the result
            middle = window.model.index(window.model.rowCount() // 2, 0)
            run(f"{name}: jump to the middle", lambda m=middle: window.table.scrollTo(m))
        run(f"clear {name}", lambda: apply(ItemFilter()))
    run("filter account", lambda: apply(ItemFilter(accounts=[account])))
    run("filter custodian", lambda: apply(ItemFilter(custodians=["Second custodian"])))
    run("filter tag", lambda: apply(ItemFilter(tags_any=[tag_code])))
    run("filter date", lambda: apply(ItemFilter(from_us=from_us, to_us=from_us + 86_400_000_000)))
    run("clear filters", filters.clear)
    header = window.table.horizontalHeader()
    for column in range(window.model.columnCount()):
        label = window.model.headerData(column, Qt.Orientation.Horizontal)
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            run(f"sort {label} {order.name[:-5].lower()}", lambda c=column, o=order: header.setSortIndicator(c, o))
    run("sort back to time", lambda: header.setSortIndicator(0, Qt.SortOrder.AscendingOrder))
    run("scroll to end", window.table.scrollToBottom)
    timeline = window.findChild(QDockWidget, "timelineDock")
    run("timeline", timeline.show)
    bulk = next(c.code for c in window.case.taxonomy() if c.code != tag_code)
    undo_depth = window.undo_stack.count

    def select_all_and(work):
        def action():
            window.table.selectAll()
            work()

        return action

    depth = undo_depth()
    run("tag select-all", select_all_and(lambda: window.tagger.tag(bulk)), lambda: undo_depth() > depth)
    depth = undo_depth()
    run("untag select-all", select_all_and(lambda: window.tagger.untag(bulk)), lambda: undo_depth() > depth)
    run("undo untag", window.undo_stack.undo)
    run("undo tag", window.undo_stack.undo)
    # The Findings view of the analysis the runner stored (bench_analysis), then its top
    # account, which filters the table to its rows (so last).
    view = next(f for f in window.features if type(f).__name__ == "FindingsView")
    run("findings", lambda: (view.dock.show(), view.dock.raise_()), lambda: "Reading" not in view.status.text())
    if view.account_table.rowCount():
        run("findings: choose the top account", lambda: view.account_table.selectRow(0))
    results["case_items"] = window.model.rowCount()
    window.close()
    watchdog.timer.stop()
    results["peak_mb"] = peak_mb()
    return results
