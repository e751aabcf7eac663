"""An import killed part-way (SIGKILL) leaves the case exactly as it was before."""

import sys

import pytest

from app.store.case_file import CaseFile, case_info
from kill_points import kill_at_stage, write_log

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def test_killed_import_leaves_the_case_as_it_was(imported, tmp_path, cli, child_env):
    before = case_info(CaseFile.open(imported))
    log = write_log(tmp_path / "big.jsonl", 10_000)
    # Killed where the child says it is: every row written to the log, nothing committed.
    wal_bytes = kill_at_stage(imported, log, child_env, "Indexing text")
    assert wal_bytes >= 8 * 1024 * 1024  # it really was part-way: the rows were on disk
    with CaseFile.open(imported) as case:
        assert case_info(case) == before
        assert case.conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'extraction'").fetchone()[0] == 0
    code, out, _ = cli("verify", imported)
    assert code == 0, out
