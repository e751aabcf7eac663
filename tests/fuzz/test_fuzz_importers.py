"""Every importer fuzzed in the suite, short and deterministic: hypothesis (arbitrary bytes,
and structured mutations of the seed files in tests/fuzz/corpus/) and a fixed-seed run of
the mutation fuzzer (bench/fuzz_importers.py runs it long). No input may raise out of a
sniff, a read or the writer's preparation of a record; through the real pipeline the
counts reconcile and no record needs the pipeline's safety net."""

import pytest
from fuzz_harness import IMPORTERS, SEEDS, apply_mutations, corpus, fuzz, run_one
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pipeline_check import import_checked

SEED_FILES = corpus()
QUICK = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STEPS = st.lists(st.tuples(st.integers(0, 63), st.integers(0, 2**32 - 1)), min_size=1, max_size=4)
NAME_OF = {importer: next(n for n, i in SEEDS.items() if i == importer) for importer in set(SEEDS.values())}


def _no_findings(importer: str, data: bytes, file_name: str) -> None:
    result = run_one(importer, data, file_name)
    assert not result.findings, [(f.stage, f.error, f.where) for f in result.findings]


@pytest.mark.parametrize("importer", sorted(IMPORTERS))
@QUICK
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes_into_each_importer(importer, data):
    _no_findings(importer, data, NAME_OF.get(importer, "input.txt"))


@settings(QUICK, max_examples=80)
@given(name=st.sampled_from(sorted(SEEDS)), steps=STEPS)
def test_mutated_seed_files_into_their_importers(name, steps):
    _no_findings(SEEDS[name], apply_mutations(SEED_FILES[name], steps), name)


@pytest.mark.slow
@settings(QUICK, max_examples=20)
@given(name=st.sampled_from(sorted(SEEDS)), steps=STEPS)
def test_mutated_seed_files_through_the_import_pipeline(name, steps):
    import_checked(apply_mutations(SEED_FILES[name], steps), name, SEEDS[name])


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_seed_file_imports_cleanly(name):
    counts = import_checked(SEED_FILES[name], name, SEEDS[name])
    assert counts["imported"] >= 1 and counts["read"] == counts["imported"] + counts["quarantined"]


def test_a_short_fixed_seed_run_of_the_mutation_fuzzer_finds_nothing():
    report = fuzz(runs=200, seed=2026)
    assert report.runs == 200
    assert not report.findings, [(f.importer, f.stage, f.error, f.where) for f in report.findings.values()]
