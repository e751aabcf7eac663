"""`casefile demo DIR`: the fictional demo case, its inputs, its review, its determinism."""

import hashlib
import ipaddress
import json
import re
import sqlite3
from pathlib import Path

import pytest

from app.demo.inputs import write_inputs

EXPECTED_ITEMS = {  # kind -> items the demo case holds
    "log_entry": 29_905,
    "email": 12,
    "attachment": 5,
    "output": 264,
    "document": 2,
    "image": 1,
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo build shared by the tests of this module: (folder, exit code, stdout)."""
    from app.cli import main

    folder = tmp_path_factory.mktemp("demo")
    code = main(["demo", str(folder), "--quiet"])
    return folder, code


def _db(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{folder / 'demo.casefile'}?mode=ro", uri=True)


def test_demo_writes_inputs_and_the_case(demo):
    folder, code = demo
    assert code == 0
    names = sorted(p.relative_to(folder / "inputs").as_posix() for p in (folder / "inputs").rglob("*") if p.is_file())
    assert "logs/api-access-2026-03.jsonl" in names and "logs/api-access-2026-04.csv" in names
    assert "correspondence/exd-production-2026-06.mbox" in names
    assert len([n for n in names if n.endswith(".eml")]) == 8
    assert {
        "documents/northwind-terms-of-service-2025-11-01.pdf",
        "documents/cease-and-desist-2026-05-12.pdf",
        "images/orca-chat-screenshot.png",
        "outputs/orca-outputs.jsonl",
    } <= set(names)
    assert (folder / "demo.casefile").is_file() and not (folder / "demo-incomplete.casefile").exists()


def test_every_input_is_imported_with_the_expected_kinds_and_counts(demo):
    folder, _ = demo
    with _db(folder) as conn:
        kinds = dict(conn.execute("SELECT kind, COUNT(*) FROM items GROUP BY kind"))
        sources = conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
        quarantined = conn.execute("SELECT reason FROM quarantine").fetchall()
    inputs = [p for p in (folder / "inputs").rglob("*") if p.is_file()]
    assert sources == len(inputs), "an input was not imported"
    assert kinds == EXPECTED_ITEMS
    assert len(quarantined) == 1  # the JSON-lines log's last line, cut short by rotation


def test_the_review_tags_hot_and_privileged_items_and_makes_exhibits(cli, demo):
    folder, _ = demo
    case = folder / "demo.casefile"
    with _db(folder) as conn:
        tags = dict(conn.execute("SELECT code, COUNT(*) FROM tags GROUP BY code"))
        hot_kinds = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT i.kind FROM tags t JOIN items i ON i.id = t.item_id WHERE t.code = 'HOT'"
            )
        }
        privileged = [
            r[0]
            for r in conn.execute(
                "SELECT i.title FROM tags t JOIN items i ON i.id = t.item_id WHERE t.code = 'PRIV-AC' ORDER BY i.id"
            )
        ]
        exhibits = conn.execute("SELECT COUNT(*) FROM exhibits").fetchone()[0]
    assert tags["HOT"] >= 10
    assert hot_kinds == {"log_entry", "email", "output", "document", "image"}
    assert len(privileged) == 3 and all("rivileged" in t or "privileged" in t for t in privileged)
    assert tags["TOS-RATE-LIMIT-CIRCUMVENTION"] > 40 and tags["NOTICE"] >= 2
    assert exhibits == 2
    code, out, _ = cli("verify", case, "--quiet")
    assert code == 0 and "intact" in out


def test_chinese_thread_is_searchable(cli, demo):
    folder, _ = demo
    code, out, _ = cli("items", folder / "demo.casefile", "--kind", "email", "--search", "数据采集项目", "--json")
    assert code == 0
    subjects = [row["title"] for row in json.loads(out)]
    assert subjects and all("数据采集项目" in s for s in subjects)


@pytest.mark.parametrize("word", ["密钥", "注册", "推理", "公司"])
def test_chinese_words_inside_the_competitors_sentences_are_found(cli, demo, word):
    """Issue 14: 每三天更换一次密钥 was found, 密钥 (key) inside it was not."""
    folder, _ = demo
    code, out, _ = cli("items", folder / "demo.casefile", "--kind", "email", "--search", word, "--json")
    assert code == 0
    subjects = [row["title"] for row in json.loads(out)]
    assert subjects and all("数据采集项目" in s for s in subjects)


def test_a_second_run_refuses_to_overwrite_unless_forced(cli, demo):
    folder, _ = demo
    before = (folder / "demo.casefile").stat().st_mtime_ns
    code, _, err = cli("demo", folder, "--quiet")
    assert code == 1 and "already exists" in err and "Traceback" not in err
    assert (folder / "demo.casefile").stat().st_mtime_ns == before


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_inputs_are_deterministic(tmp_path, demo):
    write_inputs(tmp_path / "again")
    assert _hashes(tmp_path / "again") == _hashes(demo[0] / "inputs")


def test_only_reserved_names_and_addresses_are_used(demo):
    """Fictional parties: e-mail domains are .example, IP addresses documentation ranges."""
    text = "".join(
        p.read_text("utf-8", "replace")
        for p in (demo[0] / "inputs").rglob("*")
        if p.suffix in (".eml", ".mbox", ".jsonl")
    )
    domains = set(re.findall(r"[\w.-]+@([\w.-]+\.\w+)", text))
    assert domains and all(d.endswith(".example") for d in domains), domains
    documentation = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
    addresses = {ipaddress.ip_address(a) for a in re.findall(r'"client_ip": "([\d.]+)"', text)}
    assert addresses and all(any(a in n for n in documentation) for a in addresses)


def test_the_hot_demo_evidence_exports_as_a_bundle(cli, demo, tmp_path):
    """`casefile demo` then `casefile export --tag HOT`: a bundle, the privileged email withheld."""
    from pypdf import PdfReader

    case = tmp_path / "demo.casefile"
    case.write_bytes((demo[0] / "demo.casefile").read_bytes())
    code, out, err = cli("export", case, tmp_path / "hot.pdf", "--tag", "HOT", "--bates-prefix", "NW", "--quiet")
    assert code == 0, err
    pages = PdfReader(tmp_path / "hot.pdf").pages
    assert f"{len(pages)} pages" in out and "1 privileged item withheld" in out
    text = "".join(page.extract_text() for page in pages)
    for expected in ("Northwind AI v. Example Dynamics", "NW0000001", "数据采集项目", "Orca", "CEASE AND DESIST"):
        assert expected in text, expected
    privilege_log = (tmp_path / "hot.privilege-log.csv").read_text(encoding="utf-8-sig")
    assert "Jonah Pike" in privilege_log and ",AC," in privilege_log  # counsel's privileged reply
