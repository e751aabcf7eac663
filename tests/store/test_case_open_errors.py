"""Files that are not (usable) case files are refused in one sentence and left untouched."""

import sqlite3

import pytest

from app.store.case_file import CaseFile
from app.store.errors import CaseFileError, NewerCaseFile, NotACaseFile
from app.store.schema import schema_version


def garbage(path):
    path.write_bytes(b"\x00\xffThis is not a database, just bytes." * 300)


def empty(path):
    path.write_bytes(b"")


def plain_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()


def header_only(path):
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)


BAD_FILES = {"garbage": garbage, "empty": empty, "plain_sqlite": plain_sqlite, "header_only": header_only}


@pytest.mark.parametrize("make", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_not_a_case_file_is_refused_untouched(tmp_path, make, cli, sha256_of):
    path = tmp_path / "evidence.casefile"
    make(path)
    before = sha256_of(path)
    with pytest.raises(NotACaseFile):
        CaseFile.open(path)
    code, out, err = cli("info", path)
    assert code == 1
    assert err.startswith("casefile: ") and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sha256_of(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evidence.casefile"]  # no -wal / -shm left


def checkpointed(case_path):
    """The case with its WAL folded into the main file (as after a clean close)."""
    conn = sqlite3.connect(case_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return case_path


def test_truncated_case_file_is_refused_untouched(imported, cli, sha256_of):
    path = checkpointed(imported)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    for extra in ("-wal", "-shm"):
        path.with_name(path.name + extra).unlink(missing_ok=True)
    before = sha256_of(path)
    code, _, err = cli("verify", path)
    assert code == 1 and "truncated" in err and len(err.strip().splitlines()) == 1
    assert sha256_of(path) == before


def test_newer_case_file_is_refused_untouched(case_path, cli, sha256_of):
    conn = sqlite3.connect(checkpointed(case_path))
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.commit()
    conn.close()
    before = sha256_of(case_path)
    with pytest.raises(NewerCaseFile):
        CaseFile.open(case_path)
    code, _, err = cli("items", case_path)
    assert code == 1 and "newer version of Casefile" in err
    assert sha256_of(case_path) == before


def test_a_folder_and_a_missing_file_are_plain_errors(tmp_path):
    with pytest.raises(CaseFileError, match="folder"):
        CaseFile.open(tmp_path)
    with pytest.raises(CaseFileError, match="no case file"):
        CaseFile.open(tmp_path / "missing.casefile")


def test_second_writer_is_told_the_case_is_open_elsewhere(imported, cli):
    holder = sqlite3.connect(imported, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program is in the middle of a change
    try:
        code, _, err = cli("tag", imported, "2", "--category", "HOT")
        assert code == 1
        assert "open elsewhere" in err and len(err.strip().splitlines()) == 1
        assert cli("items", imported, "--limit", "1")[0] == 0  # reading still works
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert cli("tag", imported, "2", "--category", "HOT")[0] == 0
    assert cli("verify", imported)[0] == 0
