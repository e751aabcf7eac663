"""Inputs for the part-2 GUI tests: generated API logs and a case with items in it."""

import json
from contextlib import contextmanager
from pathlib import Path

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile

ACCOUNTS = ("org-harvest-01", "org-harvest-02", "acme-research", "legit-customer")
HOUR_S = 3600
START_S = 1_740_787_200  # 2025-03-01T00:00:00Z


def write_log(path: Path, rows: int, step_s: int = 37, start_s: int = START_S, bad_every: int = 0) -> Path:
    """A JSON-lines API log of `rows` lines (every `bad_every`-th line malformed when > 0)."""
    lines = []
    for n in range(rows):
        if bad_every and n % bad_every == bad_every - 1:
            lines.append('{"timestamp": "2025-03-01T00:00:00Z", "account": broken')
            continue
        lines.append(
            json.dumps(
                {
                    "request_id": f"req-{n:07d}",
                    "timestamp": start_s + n * step_s,
                    "account": ACCOUNTS[(n * 7) % 11 % len(ACCOUNTS)],
                    "api_key": f"sk-{n % 13:04d}",
                    "client_ip": f"203.0.113.{n % 250}",
                    "model": "frontier-large",
                    "prompt": f"Explain step {n} of the proof in full detail.",
                    "response": f"Step {n}: ...",
                    "status": 200,
                }
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_paths(case_path: Path, paths, **settings) -> None:
    """Import files into the case without the GUI (to set up a test)."""
    with CaseFile.open(case_path, operator="tester") as case:
        run_to_end(import_files(case, paths, ImportSettings(**settings)))


def item_ids(case_path: Path) -> list[int]:
    with CaseFile.open(case_path) as case:
        return [r[0] for r in case.conn.execute("SELECT id FROM items ORDER BY id")]


@contextmanager
def open_window(qtbot, tmp_path: Path, case_path: Path, rows: int):
    """A main window (settings in tmp_path) over a case holding `rows` log entries, 15 minutes apart."""
    from app.ui import settings as S
    from app.ui.main_window import MainWindow

    S.isolate_settings(tmp_path / "settings")
    import_paths(case_path, [write_log(tmp_path / "api.jsonl", rows, step_s=900)])
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_case(case_path)
    window.show()
    try:
        yield window
    finally:
        window.close()
