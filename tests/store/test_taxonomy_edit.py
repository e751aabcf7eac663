"""Each case's taxonomy is its own: categories added, renamed, described -- audited and verified."""

import json
import sqlite3

import pytest

from app.store import annotations, taxonomy_edit
from app.store.errors import CaseFileError


def codes(case) -> list[str]:
    return [c.code for c in case.taxonomy()]


def test_new_case_has_the_default_taxonomy(case, cli, case_path):
    assert {"TOS-COMPETE-TRAIN", "CLAIM-DTSA/IMPROPER-MEANS", "ASSENT-TO-TERMS", "PRIV-AC", "HOT"} <= set(codes(case))
    code, out, _ = cli("taxonomy", case_path, "--json")
    listed = json.loads(out)
    assert code == 0 and listed[0]["code"] == "TOS-COMPETE-TRAIN" and listed[0]["records_tos_version"] is True


def test_added_element_sits_under_its_claim_and_can_be_tagged(case, imported):
    row = taxonomy_edit.add_category(case, "REASONABLE-MEASURES", "Reasonable measures", parent="CLAIM-DTSA")
    assert row["code"] == "CLAIM-DTSA/REASONABLE-MEASURES" and row["grp"] == "CLAIMS"
    order = codes(case)
    claim = order.index("CLAIM-DTSA")
    assert order[claim + 1 : claim + 5] == [
        "CLAIM-DTSA/SECRECY-MEASURES",
        "CLAIM-DTSA/IMPROPER-MEANS",
        "CLAIM-DTSA/ECONOMIC-VALUE",
        "CLAIM-DTSA/REASONABLE-MEASURES",
    ]
    assert annotations.tag_items(case, [2], "CLAIM-DTSA/REASONABLE-MEASURES") == [2]


def test_rename_and_describe_return_before_and_after(case):
    change = taxonomy_edit.rename_category(case, "HOT", "Key document")
    assert (change["before"]["name"], change["after"]["name"]) == ("Hot document", "Key document")
    change = taxonomy_edit.describe_category(case, "HOT", "Key to the liability case.")
    assert change["after"]["description"] == "Key to the liability case."
    actions = [r[0] for r in case.conn.execute("SELECT action FROM audit ORDER BY seq")]
    assert actions[-2:] == ["taxonomy.update", "taxonomy.update"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"code": "HOT", "name": "again", "group": "HANDLING"}, "already exists"),
        ({"code": "bad code!", "name": "x", "group": "FACTS"}, "not a usable code"),
        ({"code": "NEW-ONE", "name": "x", "group": "NO-SUCH-GROUP"}, "one of: TOS, CLAIMS"),
        (
            {"code": "CLAIM-DTSA/IMPROPER-MEANS/SUB", "name": "x", "parent": "CLAIM-DTSA/IMPROPER-MEANS"},
            "not a category that can have elements",
        ),
        ({"code": "NEW-ONE", "name": " ", "group": "FACTS"}, "needs a name"),
    ],
)
def test_bad_additions_are_refused(case, kwargs, message):
    before = codes(case)
    with pytest.raises(CaseFileError, match=message):
        taxonomy_edit.add_category(case, **kwargs)
    assert codes(case) == before


def test_edits_through_the_cli_verify_and_tampering_is_named(case_path, cli):
    assert cli("taxonomy", case_path, "--add", "SCRAPING-TOOLS", "--name", "Scraping tools", "--group", "FACTS")[0] == 0
    assert cli("taxonomy", case_path, "--rename", "NOTICE", "--name", "Notice of breach")[0] == 0
    assert cli("taxonomy", case_path, "--describe", "NOTICE", "--description", "Letters sent.")[0] == 0
    code, out, _ = cli("taxonomy", case_path)
    assert "SCRAPING-TOOLS" in out and "Notice of breach" in out
    assert cli("verify", case_path)[0] == 0
    conn = sqlite3.connect(case_path)
    conn.execute("UPDATE taxonomy SET name = 'Nothing' WHERE code = 'SCRAPING-TOOLS'")
    conn.execute("UPDATE taxonomy SET description = 'quietly changed' WHERE code = 'TOS-COMPETE-TRAIN'")
    conn.commit()
    conn.close()
    code, out, _ = cli("verify", case_path)
    assert code == 1
    assert "taxonomy SCRAPING-TOOLS" in out and "taxonomy TOS-COMPETE-TRAIN" in out


def test_cli_usage_errors(case_path, cli):
    assert cli("taxonomy", case_path, "--add", "X-Y")[0] == 2
    assert cli("taxonomy", case_path, "--add", "A", "--rename", "B", "--name", "n")[0] == 2
    code, _, err = cli("taxonomy", case_path, "--rename", "NOPE", "--name", "n")
    assert code == 1 and "no category 'NOPE'" in err
