"""Killing a real import at chosen points, for the tests and bench/bench_kill_sweep.py.

A child process imports a generated log into a copy of a case. It is stopped in one of
two ways, both without any timing luck:
- by the kernel, at the first write that reaches byte L of any file: the child sets its
  file-size limit (RLIMIT_FSIZE) to L and restores SIGXFSZ's default action (Python
  ignores it), so the write that would cross L kills it on the spot, like SIGKILL. The
  write-ahead log is written first (the import, then the commit), the case file only
  when SQLite copies the log in (the checkpoint, after the commit); with a base case
  larger than the import's log, each L names one moment of import, commit or checkpoint.
- by SIGKILL from the parent at a point the child reports (after the commit, before
  the case is closed), or when a polled file size passes a threshold during the import.

Whatever the point, the case must open, verify, and hold all of the import or none.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER_WORD = "killpointmarker"  # only in the added log's rows: its text-index hits count them

DRIVER = r"""
import os, resource, signal, sys
case_path, log, limit, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile
if os.environ.get("KILL_POINTS_DIRECT"):  # any import counts as large, even into a bigger case: past the WAL
    from app.importers import bulk_load
    bulk_load.MIN_BYTES = bulk_load.BYTES_PER_ROW_GUESS = 1
case = CaseFile.open(case_path)
case.conn.execute("PRAGMA cache_size = -1024")  # a small cache spills to the log during the import, as a large one does
if limit:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
size = lambda p: os.path.getsize(p) if os.path.exists(p) else 0
for report in import_files(case, [log], ImportSettings()):
    if mode.startswith("pause:") and report.stage.startswith(mode[6:]):
        print("PAUSED", size(case_path + "-wal"), case.conn.execute("PRAGMA journal_mode").fetchone()[0], flush=True)
        sys.stdin.readline()  # the parent kills the process here, in the middle of the import
print("COMMITTED", size(case_path + "-wal"), size(case_path), flush=True)
if mode == "wait":
    sys.stdin.readline()  # the parent kills the process here
case.close()
print("CLOSED", size(case_path), flush=True)
"""


def write_log(path: Path, rows: int, first: int = 0, word: str = "extraction") -> Path:
    """JSON lines of ~2 KB each; `word` in every row's prompt."""
    text = "distillation of model outputs for training " * 20
    with open(path, "w") as out:
        for i in range(first, first + rows):
            out.write(
                json.dumps(
                    {
                        "timestamp": 1767225600 + i,
                        "account": f"a{i % 50}",
                        "model": "m",
                        "request_id": i,
                        "prompt": f"{word} {text}",
                        "response": text,
                    }
                )
                + "\n"
            )
    return path


def isolated_env(home: Path) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HOME": str(home),
        "PYTHONDONTWRITEBYTECODE": "1",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
    }


def start_import(case: Path, log: Path, env: dict, limit: int = 0, mode: str = "go") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(case), str(log), str(limit), mode],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass
class Measure:
    """Sizes of an unhindered run of the same import: where the kill points lie."""

    base_bytes: int  # the case file before the import
    wal_bytes: int  # the log when the import has committed (it only grows until then)
    final_bytes: int  # the case file once the log is copied in


def kill_setup(folder: Path, base_rows: int, added_rows: int, **env_extra) -> dict:
    """A case of `base_rows`, a log of `added_rows` to add (marked), and an unhindered run's sizes.

    {'base', 'log', 'env', 'sizes', 'before'}: what each kill test starts from."""
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store.case_file import CaseFile

    base = folder / "base.casefile"
    CaseFile.create(base, "Kill test", operator="tester").close()
    with CaseFile.open(base) as case:
        for _ in import_files(case, [write_log(folder / "base.jsonl", base_rows)], ImportSettings()):
            pass
    log = write_log(folder / "added.jsonl", added_rows, first=base_rows, word=MARKER_WORD)
    env = {**isolated_env(folder), **env_extra}
    sizes = measure(base, log, folder / "measure", env)
    with CaseFile.open(base) as case:
        before = counts(case)
    return {"base": base, "log": log, "env": env, "sizes": sizes, "before": before}


def measure(base: Path, log: Path, work: Path, env: dict) -> Measure:
    case = fresh_copy(base, work)
    child = start_import(case, log, env)
    out, err = child.communicate(timeout=600)
    assert child.returncode == 0, err
    committed = next(line.split() for line in out.splitlines() if line.startswith("COMMITTED"))
    return Measure(base.stat().st_size, int(committed[1]), case.stat().st_size)


def fresh_copy(base: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    case = folder / base.name
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(str(case) + extra).unlink(missing_ok=True)
    shutil.copyfile(base, case)
    return case


def kill_at_byte(case: Path, log: Path, env: dict, limit: int) -> int:
    """Run the import until some file reaches `limit` bytes; the child's exit status."""
    child = start_import(case, log, env, limit=limit)
    _out, err = child.communicate(timeout=600)
    assert child.returncode == -signal.SIGXFSZ, f"not killed at byte {limit:,} ({child.returncode}): {err[-500:]}"
    return child.returncode


def kill_after_commit(case: Path, log: Path, env: dict) -> None:
    """SIGKILL once the import has committed, before the case is closed."""
    _kill_on_line(start_import(case, log, env, mode="wait"), "COMMITTED")


def kill_at_stage(case: Path, log: Path, env: dict, stage: str) -> int:
    """SIGKILL at the import's first progress report of `stage` (rows written, nothing committed).

    Returns the size the log had reached."""
    return int(kill_paused(case, log, env, stage)[0])


def kill_paused(case: Path, log: Path, env: dict, stage: str) -> tuple[str, str]:
    """SIGKILL at the first progress report of `stage`; (the log's size, the journal mode) then."""
    line = _kill_on_line(start_import(case, log, env, mode=f"pause:{stage}"), "PAUSED")
    return tuple(line.split()[1:3])


def _kill_on_line(child: subprocess.Popen, word: str) -> str:
    try:
        line = next((line for line in child.stdout if line.startswith(word)), "")
        assert line, f"the child ended without saying {word}: {child.stderr.read()[-500:]}"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
        return line
    finally:
        _stop(child)


def kill_when_grown(case: Path, log: Path, env: dict, watched: Path, size: int) -> None:
    """SIGKILL as soon as `watched` has reached `size` bytes (polled; the import is still writing)."""
    child = start_import(case, log, env)
    try:
        while child.poll() is None and (watched.stat().st_size if watched.exists() else 0) < size:
            time.sleep(0.001)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL, "the import ended before the kill"
    finally:
        _stop(child)


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.kill()
        child.wait()
    for stream in (child.stdin, child.stdout, child.stderr):
        stream.close()


def check_after_kill(case_path: Path, before: dict, added: int) -> dict:
    """Open the case (recovering it), verify it, and check the import is whole or absent.

    Returns the outcome ('all' or 'none'), what opening said (None when an earlier
    opening recovered it) and the audit log's recovery entries.
    """
    from app.store.case_file import CaseFile
    from app.store.recovery import MARKER_PREFIX
    from app.store.verify import verify_case

    with CaseFile.open(case_path) as case:
        message = case.recovery.message if case.recovery else None
        outcome = whole_or_nothing(before, counts(case), added)
        markers = case.conn.execute("SELECT key FROM meta WHERE key LIKE ?", (MARKER_PREFIX + "%",)).fetchall()
        assert markers == [], "an operation's mark outlived the recovery"
        operation = verify_case(case)
        while True:
            try:
                next(operation)
            except StopIteration as done:
                result = done.value
                break
        assert result.ok, f"verify after the kill: {result.problems[:5]}"
        recovered = [
            json.loads(d) for (d,) in case.conn.execute("SELECT details FROM audit WHERE action = 'case.recover'")
        ]
    return {"outcome": outcome, "message": message, "recovered": recovered}


def counts(case) -> dict:
    """What a kill may change: all of these move together or not at all."""
    one = lambda sql: case.conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "items": one("SELECT count(*) FROM items"),
        "sources": one("SELECT count(*) FROM sources"),
        "imported": one("SELECT coalesce(sum(imported_count), 0) FROM sources"),
        "indexed": one(f"SELECT count(*) FROM items_fts WHERE items_fts MATCH '{MARKER_WORD}'"),
        "imports_audited": one("SELECT count(*) FROM audit WHERE action = 'import'"),
    }


def whole_or_nothing(before: dict, after: dict, added: int) -> str:
    """'none' or 'all' of an import of `added` rows; anything in between fails."""
    if after == before:
        return "none"
    expected = {
        "items": before["items"] + added,
        "sources": before["sources"] + 1,
        "imported": before["imported"] + added,
        "indexed": added,
        "imports_audited": before["imports_audited"] + 1,
    }
    assert after == expected, f"part of the import is in the case: {before} -> {after}"
    return "all"


def snapshot(case_path: Path, dest: Path) -> Path:
    """Copy a case that is open right now, with its WAL: the files a kill at this moment leaves."""
    for extra in ("", "-wal", "-shm", "-journal"):
        source = Path(str(case_path) + extra)
        if source.exists():
            shutil.copyfile(source, str(dest) + extra)
    return dest


def short_of_header(case_path: Path) -> bool:
    """Is the case file shorter than its header says (pages still only in the WAL)?"""
    with open(case_path, "rb") as handle:
        header = handle.read(100)
    return case_path.stat().st_size < int.from_bytes(header[16:18], "big") * int.from_bytes(header[28:32], "big")
