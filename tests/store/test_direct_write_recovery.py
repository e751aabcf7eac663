"""An import writing straight into the case file (no WAL), killed part-way, leaves the case as it was.

The import's pages go past the end of the case file, and the pages it changes are first
copied to a rollback journal (app.store.direct_writes). A kill leaves that journal beside
a case file holding half-written pages; opening puts the pages back before anything
judges the file, says what was discarded, and `verify` passes. Kill points as in
test_case_recovery.py, by the byte of the case file being written (tests/kill_points.py).
"""

import json
import sys

import pytest

from kill_points import (
    kill_setup,
    check_after_kill,
    fresh_copy,
    kill_after_commit,
    kill_at_byte,
    kill_paused,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kills and file-size limits are POSIX")

BASE_ROWS, ADDED_ROWS = 3000, 1000


@pytest.fixture(scope="module")
def killing(tmp_path_factory):
    """A 3,000-row case, a 1,000-row log that the child imports past the WAL, and its sizes."""
    setup = kill_setup(tmp_path_factory.mktemp("direct-kill"), BASE_ROWS, ADDED_ROWS, KILL_POINTS_DIRECT="1")
    sizes = setup["sizes"]
    assert sizes.wal_bytes == 0 and sizes.base_bytes < sizes.final_bytes  # it grew the file, not a log
    return setup


def test_sigkill_while_rows_are_written_into_the_case_file(killing, tmp_path, cli):
    case_path = fresh_copy(killing["base"], tmp_path)
    wal_bytes, mode = kill_paused(case_path, killing["log"], killing["env"], "Indexing text")
    assert (int(wal_bytes), mode) == (0, "delete")
    journal = case_path.with_name(case_path.name + "-journal")
    assert journal.stat().st_size > 0  # the pages as they were, for the next opening to put back
    code, out, err = cli("info", case_path, "--json")
    assert code == 0, err
    assert json.loads(out)["path"] == str(case_path)
    assert "The unfinished change was undone from its rollback journal (base.casefile-journal)." in err
    assert "An import of added.jsonl, started" in err and "was discarded as a whole" in err
    assert not journal.exists()
    checked = check_after_kill(case_path, killing["before"], ADDED_ROWS)
    assert checked["outcome"] == "none"
    [recovered] = checked["recovered"]
    assert recovered["journal_bytes"] > 0 and [d["subject"] for d in recovered["discarded"]] == ["added.jsonl"]


# The case file's bytes: the first page past its old end, half the new pages, the last.
BYTE_POINTS = {
    "first new page": lambda s: s.base_bytes + 1,
    "half written": lambda s: (s.base_bytes + s.final_bytes) // 2,
    "last page": lambda s: s.final_bytes - 1,
}


@pytest.mark.parametrize("point", BYTE_POINTS, ids=BYTE_POINTS)
def test_kill_at_a_byte_of_the_case_file(killing, tmp_path, point):
    case_path = fresh_copy(killing["base"], tmp_path)
    kill_at_byte(case_path, killing["log"], killing["env"], BYTE_POINTS[point](killing["sizes"]))
    assert check_after_kill(case_path, killing["before"], ADDED_ROWS)["outcome"] == "none"


def test_sigkill_after_the_commit_keeps_the_whole_import(killing, tmp_path):
    case_path = fresh_copy(killing["base"], tmp_path)
    kill_after_commit(case_path, killing["log"], killing["env"])
    assert check_after_kill(case_path, killing["before"], ADDED_ROWS)["outcome"] == "all"
