"""An import killed part-way (SIGKILL) leaves the case exactly as it was before."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from app.store.case_file import CaseFile, case_info

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# Runs the real import pipeline and prints every progress report, so the test can kill
# it at a known point instead of after a blind sleep.
DRIVER = """
import sys
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile
case = CaseFile.open(sys.argv[1])
for report in import_files(case, [sys.argv[2]], ImportSettings()):
    print(report.stage, report.done, report.records, flush=True)
print("FINISHED", flush=True)
"""


def big_log(path, rows: int) -> None:
    text = "extraction of model outputs for training " * 30
    with open(path, "w") as out:
        for i in range(rows):
            out.write(json.dumps({"timestamp": 1767225600 + i, "account": f"a{i % 50}", "model": "m",
                                  "request_id": i, "prompt": text, "response": text}) + "\n")


def test_killed_import_leaves_the_case_as_it_was(imported, tmp_path, cli, child_env):
    before = case_info(CaseFile.open(imported))
    log = tmp_path / "big.jsonl"
    big_log(log, 40_000)
    wal = imported.with_name(imported.name + "-wal")
    child = subprocess.Popen([sys.executable, "-c", DRIVER, str(imported), str(log)], env=child_env,
                             stdout=subprocess.PIPE, text=True)
    try:
        rows_seen = 0
        for line in child.stdout:  # wait until the import is writing rows
            if line.startswith("Importing") and int(line.split()[-1]) >= 10_000:
                rows_seen = int(line.split()[-1])
                break
        deadline = time.monotonic() + 30
        while wal.stat().st_size < 8 * 1024 * 1024 and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # polling the WAL: the uncommitted rows are on disk by now
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
    assert rows_seen >= 10_000 and wal.stat().st_size >= 8 * 1024 * 1024  # it really was part-way
    with CaseFile.open(imported) as case:
        assert case_info(case) == before
        assert case.conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'extraction'").fetchone()[0] == 0
    code, out, _ = cli("verify", imported)
    assert code == 0, out
