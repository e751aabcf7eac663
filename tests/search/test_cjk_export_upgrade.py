"""The export's --search selects Chinese and Japanese words; a case from before the CJK
index (schema m010) is indexed when it is opened, and its words are then found."""

import json
import sqlite3

from app.store.case_file import CaseFile
from app.store.item_query import ItemFilter, list_items
from cjk_cases import MESSAGES, import_paths, write_messages


def _case(tmp_path):
    path = tmp_path / "cjk.casefile"
    with CaseFile.create(path, "CJK", "CL-1", "UTC", operator="tester") as case:
        import_paths(case, write_messages(tmp_path / "mail"))
    return path


def test_export_search_selects_the_items_with_the_word(cli, tmp_path):
    path = _case(tmp_path)
    for word, names in (("密钥", ["zh-key", "zh-data"]), ("報告書", ["ja"])):
        out = tmp_path / f"{names[0]}.pdf"
        code, _out, err = cli("export", path, out, "--search", word, "--quiet")
        assert code == 0, err
        with sqlite3.connect(path) as conn:
            ids = [
                item_id
                for (item_ids,) in conn.execute(
                    "SELECT item_ids FROM production_exhibits WHERE production_id = (SELECT max(id) FROM productions)"
                )
                for item_id in json.loads(item_ids)
            ]
            titles = sorted(conn.execute(f"SELECT title FROM items WHERE id IN ({','.join('?' * len(ids))})", ids))
        assert [t for (t,) in titles] == sorted(MESSAGES[n][0] for n in names)


def _as_before_the_cjk_index(path) -> None:
    """What a case written by the Casefile before m010 holds: no items_cjk, no record of m010."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TABLE items_cjk")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_cjk_text_index'")
    conn.execute("PRAGMA user_version = 8")
    conn.close()


def test_an_existing_case_is_indexed_when_opened_and_its_words_found(cli, tmp_path):
    path = _case(tmp_path)
    _as_before_the_cjk_index(path)
    with sqlite3.connect(path) as conn:  # what the user saw: the word inside the sentence not found
        assert conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH '密钥'").fetchone()[0] == 0
    with CaseFile.open(path) as case:  # upgraded on open
        found = [row["title"] for row in list_items(case.conn, ItemFilter(search="密钥"))]
        assert found == [MESSAGES["zh-key"][0], MESSAGES["zh-data"][0]]
        in_index = case.conn.execute("SELECT count(*) FROM items_cjk").fetchone()[0]
    assert in_index == 5  # the emails with CJK text; the English one has no row
    code, out, _ = cli("items", path, "--search", "競合他社", "--json")
    assert code == 0 and [row["title"] for row in json.loads(out)] == [MESSAGES["ja"][0]]
    code, out, _ = cli("verify", path)
    assert code == 0, out


def test_a_verifier_can_tell_a_tampered_cjk_index(tmp_path):
    """items_cjk is contentless; index_discrepancies re-derives its rows from the items' text."""
    from app.store.cjk_index import index_discrepancies

    path = _case(tmp_path)
    with CaseFile.open(path) as case:
        assert list(index_discrepancies(case.conn)) == []
    conn = sqlite3.connect(path, isolation_level=None)  # edited outside Casefile
    ids = [row[0] for row in conn.execute("SELECT rowid FROM items_cjk ORDER BY rowid")]
    english = conn.execute("SELECT id FROM items WHERE title = 'Key rotation'").fetchone()[0]
    conn.execute("INSERT INTO items_cjk(items_cjk) VALUES ('delete-all')")  # the index emptied ...
    conn.execute(
        "INSERT INTO items_cjk(rowid, title, text) SELECT rowid, 'x', 'y' FROM items WHERE id IN (?, ?)",
        (ids[0], english),
    )  # ... one row replaced by other words, one added
    conn.close()
    with CaseFile.open(path) as case:
        problems = dict(index_discrepancies(case.conn))
    assert set(problems) == set(ids) | {english}
    assert "does not match" in problems[ids[0]] and "missing" in problems[ids[1]]
    assert "no Chinese" in problems[english]


def test_verify_names_a_tampered_cjk_index(tmp_path, cli):
    path = _case(tmp_path)
    conn = sqlite3.connect(path, isolation_level=None)  # edited outside Casefile
    first = conn.execute("SELECT min(rowid) FROM items_cjk").fetchone()[0]
    conn.execute("INSERT INTO items_cjk(items_cjk) VALUES ('delete-all')")  # every CJK word made unfindable
    conn.close()
    code, out, _ = cli("verify", path, "--quiet")
    assert code == 1
    assert f"items_cjk {first}: " in out
