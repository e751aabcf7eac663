"""Every input that ever made the fuzzers find a defect (tests/fuzz/crashes/, named
<importer>-<sha256 prefix>.<extension>), replayed: with the harness, and through the real
import pipeline as that importer."""

import pytest
from fuzz_harness import crash_files, run_one
from pipeline_check import import_checked

CRASHES = crash_files()


@pytest.mark.parametrize("path", CRASHES, ids=[p.name for p in CRASHES])
def test_a_crash_input_is_read_without_a_finding(path):
    result = run_one(path.name.split("-")[0], path.read_bytes(), path.name)
    assert not result.findings, [(f.stage, f.error, f.where) for f in result.findings]


@pytest.mark.parametrize("path", CRASHES, ids=[p.name for p in CRASHES])
def test_a_crash_input_imports_and_reconciles(path):
    import_checked(path.read_bytes(), path.name, path.name.split("-")[0])


def test_the_crash_corpus_is_kept():
    assert len(CRASHES) >= 2
