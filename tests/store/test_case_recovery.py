"""A case left open by a killed process: never refused as lost, recovered, and said so truthfully.

The kill tests import 1,000 rows into a 3,000-row case in a child process and kill it at
points of the import, the commit and the checkpoint (SQLite copying the write-ahead log
into the case file), chosen by file size, not by time (tests/kill_points.py). After every
kill the case opens, `verify` passes, and the import is there whole or not at all.
bench/bench_kill_sweep.py runs many more points.
"""

import json
import sqlite3
import subprocess
import sys

import pytest

from app.core.cancel import Cancelled, CancelToken
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.annotations import tag_items
from app.store.case_file import CaseFile
from app.store.errors import NotACaseFile
from app.store.recovery import MARKER_PREFIX
from kill_points import (
    kill_setup,
    check_after_kill,
    fresh_copy,
    kill_after_commit,
    kill_at_byte,
    kill_at_stage,
    short_of_header,
    snapshot,
    write_log,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kills and file-size limits are POSIX")

BASE_ROWS, ADDED_ROWS = 3000, 1000


@pytest.fixture(scope="module")
def killing(tmp_path_factory):
    """A 3,000-row case, a 1,000-row log to add, and the sizes an unhindered import reaches."""
    setup = kill_setup(tmp_path_factory.mktemp("kill"), BASE_ROWS, ADDED_ROWS)
    sizes = setup["sizes"]
    assert sizes.wal_bytes < sizes.base_bytes < sizes.final_bytes  # each limit names one moment
    return setup


# Kill points by the byte of the file being written when the kernel stops the child:
# the WAL while the import writes it, the WAL's last frames (the commit), the case file
# while the checkpoint rewrites old pages and appends new ones. (name, limit, outcome)
BYTE_POINTS = {
    "import: WAL half written": (lambda s: s.wal_bytes // 2, "none"),
    "commit: the last frames": (lambda s: s.wal_bytes - 4096, None),  # in or just after the commit frame
    "checkpoint: old pages rewritten": (lambda s: (s.wal_bytes + s.base_bytes) // 2, "all"),
    "checkpoint: first new page": (lambda s: s.base_bytes + 1, "all"),
    "checkpoint: half copied": (lambda s: (s.base_bytes + s.final_bytes) // 2, "all"),
    "checkpoint: last page": (lambda s: s.final_bytes - 1, "all"),
}


@pytest.mark.parametrize("point", BYTE_POINTS, ids=BYTE_POINTS)
def test_kill_at_a_byte_of_import_commit_or_checkpoint(killing, tmp_path, cli, point):
    limit_of, expected = BYTE_POINTS[point]
    sizes = killing["sizes"]
    case_path = fresh_copy(killing["base"], tmp_path)
    limit = limit_of(sizes)
    kill_at_byte(case_path, killing["log"], killing["env"], limit)
    if limit > sizes.base_bytes:  # the state: the header counts pages the file does not have yet
        assert short_of_header(case_path)
    outcome = _check_after_kill(case_path, cli, killing["before"])
    assert expected in (None, outcome)


def test_sigkill_while_the_import_writes_its_log(killing, tmp_path, cli):
    case_path = fresh_copy(killing["base"], tmp_path)
    wal_bytes = kill_at_stage(case_path, killing["log"], killing["env"], "Indexing text")
    assert wal_bytes > 1024 * 1024  # rows already written to the log, uncommitted
    assert _check_after_kill(case_path, cli, killing["before"]) == "none"


def test_sigkill_after_the_commit_before_the_case_is_closed(killing, tmp_path, cli):
    case_path = fresh_copy(killing["base"], tmp_path)
    kill_after_commit(case_path, killing["log"], killing["env"])
    assert _check_after_kill(case_path, cli, killing["before"]) == "all"


def _check_after_kill(case_path, cli, before) -> str:
    """`info` opens the case and says what happened; then it verifies; whole import or none."""
    code, out, err = cli("info", case_path, "--json")
    assert code == 0, err
    assert json.loads(out)["path"] == str(case_path)  # stdout stays the command's output
    assert "was not closed properly" in err and "nothing completed was lost" in err
    checked = check_after_kill(case_path, before, ADDED_ROWS)
    assert checked["message"] is None  # said once, when it was recovered
    [recovered] = checked["recovered"]
    if checked["outcome"] == "none":
        assert "An import of added.jsonl, started" in err and "was discarded as a whole" in err
        assert [d["subject"] for d in recovered["discarded"]] == ["added.jsonl"]
    else:
        assert "discarded" not in err and recovered["discarded"] == []
    return checked["outcome"]


def _markers(case) -> list:
    return case.conn.execute("SELECT key FROM meta WHERE key LIKE ?", (MARKER_PREFIX + "%",)).fetchall()


# -- real truncation is still refused, untouched -----------------------------------------------


def test_case_cut_short_with_a_log_that_lacks_the_rest_is_refused_untouched(imported, tmp_path, cli, sha256_of):
    with CaseFile.open(imported) as case:
        case.conn.execute("PRAGMA wal_autocheckpoint = 0")  # the tag stays in the WAL only
        tag_items(case, [1], "HOT")
        left = snapshot(imported, tmp_path / "left.casefile")
    data = left.read_bytes()
    left.write_bytes(data[: len(data) // 2])  # pages the WAL never held are gone
    wal = left.with_name(left.name + "-wal")
    before = (sha256_of(left), sha256_of(wal))
    code, _, err = cli("verify", left)
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "is truncated" in err and "write-ahead log does not hold the rest" in err
    assert "restore it from a backup copy" in err
    assert (sha256_of(left), sha256_of(wal)) == before


def test_case_left_mid_checkpoint_without_its_log_is_refused(killing, tmp_path, cli):
    case_path = fresh_copy(killing["base"], tmp_path)
    kill_at_byte(case_path, killing["log"], killing["env"], killing["sizes"].base_bytes + 1)
    case_path.with_name(case_path.name + "-wal").unlink()  # the pages it lacks were only there
    with pytest.raises(NotACaseFile, match="truncated"):
        CaseFile.open(case_path)
    code, _, err = cli("info", case_path)
    assert code == 1 and "is truncated" in err and "restore it from a backup copy" in err


# -- what is said, and when nothing is --------------------------------------------------------


def test_killed_import_is_named_and_committed_work_kept(imported, tmp_path, log_file):
    """A kill during an import (the files as a kill leaves them): the tag committed before stays."""
    with CaseFile.open(imported, operator="alice") as case:
        case.conn.execute("PRAGMA wal_autocheckpoint = 0")
        tag_items(case, [1], "HOT")
        with pytest.raises(RuntimeError), case.transaction("import", "api-log.jsonl (2 files)"):
            case.conn.execute("UPDATE meta SET value = 'Renamed' WHERE key = 'name'")  # under way, never committed
            left = snapshot(imported, tmp_path / "left.casefile")
            raise RuntimeError("the process dies here")
    with CaseFile.open(left, operator="bob") as case:
        message = case.recovery.message
        assert case.conn.execute("SELECT count(*) FROM tags WHERE item_id = 1").fetchone()[0] == 1
        assert case.name == "Test case"
        assert _markers(case) == []
    assert message.startswith("left.casefile was not closed properly")
    assert "recovered from its write-ahead log (left.casefile-wal)" in message
    assert "An import of api-log.jsonl (2 files), started " in message and " UTC by alice" in message
    assert "none of it is in the case. Import the files again." in message
    with CaseFile.open(left) as case:
        assert case.recovery is None


def test_cancelled_import_leaves_no_mark(imported, tmp_path):
    big = write_log(tmp_path / "big.jsonl", 6000)
    token = CancelToken()
    with CaseFile.open(imported) as case:
        with pytest.raises(Cancelled):
            for report in import_files(case, [big], ImportSettings(), token):
                if report.records:
                    token.cancel()
        assert _markers(case) == []
    with CaseFile.open(imported) as case:
        assert case.recovery is None


def test_case_closed_properly_says_nothing(imported):
    with CaseFile.open(imported) as case:
        assert case.recovery is None
    assert not imported.with_name(imported.name + "-wal").exists()


HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM items").fetchone()
print("OPEN", flush=True)
sys.stdin.readline()
"""


def test_case_open_in_another_program_is_not_called_left_open(imported, tmp_path, child_env):
    """Its log and an import's mark belong to work under way there: nothing is said or changed."""
    with CaseFile.open(imported) as case:
        case.conn.execute("PRAGMA wal_autocheckpoint = 0")
        with pytest.raises(RuntimeError), case.transaction("import", "slow.jsonl"):
            left = snapshot(imported, tmp_path / "left.casefile")  # as if that import is still running
            raise RuntimeError
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(left)],
        env=child_env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "OPEN"
        with CaseFile.open(left) as case:
            assert case.recovery is None
            assert len(_markers(case)) == 1
        same_process = sqlite3.connect(left)  # another window of this program
        same_process.execute("SELECT 1 FROM items").fetchone()
        try:
            holder.communicate("\n", timeout=60)
            with CaseFile.open(left) as case:
                assert case.recovery is None and len(_markers(case)) == 1
        finally:
            same_process.close()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    with CaseFile.open(left) as case:  # now nobody has it open: the import is reported as discarded
        assert "An import of slow.jsonl" in case.recovery.message
        assert _markers(case) == []
