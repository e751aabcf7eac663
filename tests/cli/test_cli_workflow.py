"""The issue's walk-through through the real CLI: new, import, info, items, tag, verify."""

import gzip
import json
import sqlite3

import pytest

from app.cli import build_parser


def test_new_import_info_items_tag_verify(case_path, log_file, cli):
    code, out, err = cli("import", case_path, log_file, "--quiet", "--undated-ok")
    assert code == 0, err
    assert "read 20, imported 16, duplicates 0, quarantined 3, blank/comment 1" in out

    code, out, _ = cli("info", case_path, "--json")
    info = json.loads(out)
    assert (info["items_total"], info["items_by_kind"], info["sources"]) == (16, {"log_entry": 16}, 1)
    assert (info["quarantined"], info["undated"], info["tags"], info["exhibits"]) == (3, 1, 0, 0)

    code, out, _ = cli("items", case_path, "--json")
    items = json.loads(out)
    stamps = [i["ts_utc"] for i in items]
    assert stamps[:-1] == sorted(stamps[:-1]) and stamps[-1] is None  # chronological, undated last
    assert stamps[0] == "2026-01-01T00:00:00.000000Z"  # the epoch-seconds row
    assert {"id", "kind", "title", "ts_utc", "ts_assumed", "source_id", "parent_id", "tags"} <= set(items[0])
    naive = next(i for i in items if "Naive" in i["title"])
    assert naive["ts_assumed"] is True and items[0]["ts_assumed"] is False

    code, out, _ = cli(
        "tag", case_path, items[0]["id"], items[1]["id"], "--category", "TOS-COMPETE-TRAIN", "--note", "bulk extraction"
    )
    assert code == 0 and "Tagged 2 items" in out
    code, out, _ = cli("items", case_path, "--tag", "TOS-COMPETE-TRAIN", "--json")
    assert [i["id"] for i in json.loads(out)] == [items[0]["id"], items[1]["id"]]
    assert json.loads(out)[0]["tags"] == ["TOS-COMPETE-TRAIN"]

    code, out, _ = cli("verify", case_path)
    assert code == 0, out
    assert "Verified" in out


def test_real_process_runs_the_walkthrough(tmp_path, log_file, casefile_proc):
    case = tmp_path / "proc.casefile"
    assert casefile_proc("new", case, "--name", "Northwind v. Example").returncode == 0
    done = casefile_proc("import", case, log_file, "--undated-ok")
    assert done.returncode == 0, done.stderr
    assert "quarantined 3" in done.stdout
    done = casefile_proc("verify", case, "--json")
    assert done.returncode == 0
    assert json.loads(done.stdout)["ok"] is True
    assert casefile_proc("--version").stdout.startswith("casefile ")


def test_quarantine_keeps_malformed_lines_verbatim(imported, cli):
    code, out, _ = cli("quarantine", imported, "--json")
    records = json.loads(out)
    assert [r["locator"]["line"] for r in records] == [3, 4, 5]
    assert records[1]["raw"] == "not json at all\n"
    assert "not valid JSON" in records[0]["reason"] and "not an object" in records[2]["reason"]


def test_reimporting_the_same_file_adds_nothing(imported, log_file, cli):
    code, out, _ = cli("import", imported, log_file, "--quiet", "--undated-ok")
    assert code == 0
    assert "already imported as source 1; nothing added" in out
    assert json.loads(cli("info", imported, "--json")[1])["items_total"] == 16
    with sqlite3.connect(imported) as conn:  # the second copy, stored while it was hashed, is gone again
        stored = conn.execute("SELECT count(*), sum(length(data)) FROM source_chunks").fetchone()
        assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
    assert stored == (1, log_file.stat().st_size)


def test_gzip_is_read_transparently_and_stored_as_given(case_path, tmp_path, make_log, cli, case):
    packed = gzip.compress(make_log())
    path = tmp_path / "api-log.jsonl.gz"
    path.write_bytes(packed)
    code, out, _ = cli("import", case_path, path, "--quiet", "--undated-ok")
    assert code == 0 and "imported 16" in out
    from app.store.sources import open_source

    assert open_source(case.conn, 1).read() == packed  # the original, byte-identical


def test_duplicate_rows_are_counted_and_linked_not_inserted(case_path, tmp_path, make_log, cli):
    path, later = tmp_path / "log.jsonl", tmp_path / "dups.jsonl"
    path.write_bytes(make_log())
    later.write_bytes(make_log(malformed=[], blank_lines=0)[:200].rsplit(b"\n", 1)[0] + b"\n")  # its first row
    code, out, _ = cli("import", case_path, path, later, "--quiet", "--undated-ok")
    assert code == 0
    assert "dups.jsonl: read 1, imported 0, duplicates 1" in out
    info = json.loads(cli("info", case_path, "--json")[1])
    assert info["duplicates"] == 1 and info["items_total"] == 16


def test_reconciliation_is_recorded_with_the_source(imported, case):
    read, imported_, dups, quarantined, blank, comment = case.conn.execute(
        "SELECT read_count, imported_count, duplicate_count, quarantined_count, blank_count, comment_count FROM sources"
    ).fetchone()
    assert read == imported_ + dups + quarantined + blank + comment == 20
    assert (imported_, quarantined, blank) == (16, 3, 1)


def test_search_and_its_syntax_error(imported, cli):
    code, out, _ = cli("items", imported, "--search", "distillation", "--json")
    assert code == 0 and len(json.loads(out)) == 1
    code, out, err = cli("items", imported, "--search", "distillation AND (")
    assert code == 1
    assert err.startswith("casefile: The search") and "Traceback" not in err and len(err.splitlines()) == 1


def test_items_date_range_and_kind(imported, cli):
    code, out, _ = cli("items", imported, "--from", "2026-01-03", "--to", "2026-01-05", "--limit", "5", "--json")
    assert [i["ts_utc"][:10] for i in json.loads(out)] == ["2026-01-03", "2026-01-04"]
    assert json.loads(cli("items", imported, "--kind", "email", "--json")[1]) == []


@pytest.mark.parametrize(
    "args",
    [
        ["import", "CASE", "missing.jsonl"],
        ["tag", "CASE", "999", "--category", "TOS-COMPETE-TRAIN"],
        ["tag", "CASE", "1", "--category", "NO-SUCH-CODE"],
        ["note", "CASE", "1", "  "],
        ["info", "nowhere.casefile"],
        ["new", "CASE", "--name", "again"],
    ],
)
def test_failures_are_one_sentence_exit_1(imported, cli, args):
    args = [str(imported) if a == "CASE" else a for a in args]
    code, out, err = cli(*args)
    assert code == 1
    assert err.startswith("casefile: ") and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_usage_exits_2(cli):
    assert cli()[0] == 2
    assert cli("tag")[0] == 2
    assert cli("items", "x.casefile", "--limit", "many")[0] == 2


def test_every_command_has_help(cli):
    commands = build_parser()._subparsers._group_actions[0].choices
    assert {"new", "import", "info", "items", "quarantine", "tag", "untag", "note", "verify", "audit"} <= set(commands)
    for name in commands:
        code, out, _ = cli(name, "--help")
        assert code == 0 and "usage: casefile" in out, name


def test_source_provenance_is_recorded(case_path, log_file, cli, case, sha256_of):
    import hashlib

    code, _, _ = cli(
        "import", case_path, log_file, "--quiet", "--undated-ok", "--custodian", "J. Doe", "--operator", "paralegal-7"
    )
    assert code == 0
    row = dict(
        zip(
            (
                "sha256",
                "md5",
                "size",
                "original_path",
                "original_name",
                "mtime_utc",
                "importer",
                "custodian",
                "operator",
                "host",
                "tool_version",
                "imported_utc",
            ),
            case.conn.execute(
                "SELECT sha256, md5, size, original_path, original_name, mtime_utc, importer, custodian, operator,"
                " host, tool_version, imported_utc FROM sources"
            ).fetchone(),
        )
    )
    data = log_file.read_bytes()
    assert row["sha256"] == sha256_of(log_file) and row["md5"] == hashlib.md5(data).hexdigest()
    assert (row["size"], row["original_name"], row["importer"]) == (len(data), "api-log.jsonl", "jsonl")
    assert (row["custodian"], row["operator"]) == ("J. Doe", "paralegal-7")
    assert row["host"] and row["tool_version"].startswith("Casefile ") and row["imported_utc"].endswith("Z")
    assert row["mtime_utc"] and row["original_path"].endswith("api-log.jsonl")


def test_keyset_pages_match_one_listing(imported, case):
    from app.store.item_query import ItemFilter, iter_items, list_items

    whole = [r["id"] for r in list_items(case.conn, ItemFilter(), limit=1000)]
    paged = [r["id"] for r in iter_items(case.conn, ItemFilter(), page=3)]
    assert paged == whole and len(whole) == 16
