"""The demo case: every Orca output that echoes a Sage answer is linked, and Orca's slips are found."""

import sqlite3

import pytest

from app.demo import outputs as demo_outputs
from app.store import provenance_links as store


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory):
    from app.cli import main

    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", str(folder), "--quiet"]) == 0
    conn = sqlite3.connect(f"file:{folder / 'demo.casefile'}?mode=ro", uri=True)
    yield conn
    conn.close()


def test_the_demo_outputs_that_copy_sage_are_all_linked(demo_case):
    copies = sum(
        1
        for row in demo_outputs.output_pairs()
        if row["response"] not in (demo_outputs.LEAKED_IDENTITY, demo_outputs.OWN_IDENTITY)
    ) + len(demo_outputs.transcripts())
    links = store.links(demo_case)
    assert len({link["output_id"] for link in links}) == copies == 249
    # each is linked to the logged answer on its own topic, from one of the extraction accounts
    for link in links:
        assert link["response_account"] in ("acct-0007", "acct-0013", "acct-0029", "acct-0036")
        assert link["similarity"] > 0.6 and link["longest_run"] >= 30
    # the identity answers copy nothing
    identity = demo_case.execute(
        "SELECT count(*) FROM items WHERE kind = 'output' AND id NOT IN"
        " (SELECT output_id FROM provenance_links WHERE target_kind = 'response')"
    ).fetchone()[0]
    assert identity == 15


def test_the_demo_outputs_that_call_themselves_sage_are_found(demo_case):
    marks = store.marks(demo_case)
    terms = {m["term"] for m in marks}
    assert terms == {"I am Sage", "trained by Northwind AI"}
    leaked = sum(1 for r in demo_outputs.output_pairs() if r["response"] == demo_outputs.LEAKED_IDENTITY)
    leaked += sum(1 for i in range(demo_outputs.TRANSCRIPTS) if i % 3 == 0)
    kinds = dict(demo_case.execute("SELECT id, kind FROM items WHERE id IN (SELECT item_id FROM provenance_marks)"))
    assert sum(1 for kind in kinds.values() if kind == "output") == leaked
    # and the engineer's email that quotes one of them: found in documents too
    assert sorted(set(kinds.values())) == ["email", "output"]
