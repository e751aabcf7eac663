"""Saved searches and saved mappings follow one rule: same refusals, same audit, same replacing."""

import json

import pytest

from app.store import audit
from app.store.errors import CaseFileError
from app.store.item_query import ItemFilter
from app.store.saved_mappings import save_mapping, saved_mapping, saved_mapping_names
from app.store.saved_searches import delete_search, save_search, saved_searches

MAPPING = {"name": "gw", "mapping": {"timestamp": "ts", "account": "org"}}


def test_a_blank_name_is_refused_in_the_same_words_for_both(case):
    with pytest.raises(CaseFileError, match="A saved search needs a name"):
        save_search(case, "  ", ItemFilter())
    with pytest.raises(CaseFileError, match="A saved mapping needs a name"):
        save_mapping(case, "  ", MAPPING)
    assert saved_searches(case) == [] and saved_mapping_names(case.conn) == []


def test_saving_again_under_a_name_replaces_it_and_the_audit_says_so_for_both(case):
    save_search(case, " mine ", ItemFilter(search="first"))
    save_search(case, "mine", ItemFilter(search="second"))
    save_mapping(case, " gw ", MAPPING)
    save_mapping(case, "gw", {"mapping": {"timestamp": "time"}})
    assert [(n, f.search) for n, f in saved_searches(case)] == [("mine", "second")]
    assert saved_mapping(case.conn, "gw") == {"timestamp": "time"}
    saves = [
        (e["action"], json.loads(e["details"])["name"], json.loads(e["details"])["replaced"])
        for e in audit.entries(case.conn)
        if e["action"].endswith(".save")
    ]
    assert saves == [
        ("search.save", "mine", False),
        ("search.save", "mine", True),
        ("mapping.save", "gw", False),
        ("mapping.save", "gw", True),
    ]


def test_deleting_a_search_that_is_not_there_says_so(case):
    with pytest.raises(CaseFileError, match="There is no saved search 'gone'"):
        delete_search(case, "gone")


def test_cli_refuses_a_blank_mapping_name_in_plain_words(case_path, tmp_path, cli):
    document = tmp_path / "gw.json"
    document.write_text('{"mapping": {"timestamp": "ts"}}', encoding="utf-8")
    code, _, err = cli("mapping", "save", case_path, " ", document)
    assert code != 0 and "A saved mapping needs a name" in err
