"""Every production cites the signed audit chain head; `verify --against` holds the case to it."""

import json
import sqlite3

import pytest
from pypdf import PdfReader

from app.core.cancel import run_to_end
from app.core.signing_keys import signature_valid
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from app.store import annotations, audit
from export_builders import import_paths, log_row, write_log


@pytest.fixture
def log_case(case, tmp_path):
    rows = [
        log_row(f"2026-03-0{day}T0{hour}:00:00Z", f"prompt {day}-{hour}", f"answer {day}-{hour}")
        for day in (1, 2, 3)
        for hour in (1, 2)
    ]
    write_log(tmp_path / "api.jsonl", rows)
    import_paths(case, [tmp_path / "api.jsonl"])
    return case


def snapshot(case, path):
    """A copy of the case as it is now (SQLite's backup: the write-ahead log included)."""
    target = sqlite3.connect(path)
    case.conn.backup(target)
    target.close()
    return path


def export(case, pdf):
    return run_to_end(export_bundle(case, pdf, Selection(), ExportSettings()))


def verify(cli, path, *bundles):
    args = [a for b in bundles for a in ("--against", b)]
    code, out, _ = cli("verify", path, "--json", *args)
    return code, json.loads(out)


def test_the_certificate_the_pdf_and_the_sidecar_carry_the_signed_head(log_case, tmp_path, cli):
    seq, digest = audit.head(log_case.conn)
    result = export(log_case, tmp_path / "bundle.pdf")
    reader = PdfReader(str(tmp_path / "bundle.pdf"))
    head = json.loads(reader.metadata["/CasefileChainHead"])
    assert (head["seq"], head["hash"], head["operator"]) == (seq, digest, "tester")
    assert signature_valid(head["public_key"], audit.head_message(head["case_id"], seq, digest), head["signature"])
    certificate = " ".join(" ".join(p.extract_text().split()) for p in reader.pages[-2:])
    assert f"entry {seq}, SHA-256 {digest}" in certificate and "Head signature" in certificate
    sidecar = json.loads((tmp_path / "bundle.chain-head.json").read_text(encoding="utf-8"))
    assert sidecar["pdf_sha256"] == result.files["bundle.pdf"] and sidecar["signature"] == head["signature"]
    row = log_case.conn.execute("SELECT audit_seq, audit_hash, head_signature FROM productions").fetchone()
    assert row == (seq, digest, head["signature"])
    code, report = verify(cli, log_case.path, tmp_path / "bundle.pdf")
    assert code == 0, report["problems"]
    assert f"The bundle bundle.pdf cites audit entry {seq}; the log holds it unchanged." in report["notes"]


def test_verify_against_a_bundle_catches_a_rolled_back_case(log_case, tmp_path, cli, monkeypatch):
    older = snapshot(log_case, tmp_path / "older.casefile")
    annotations.tag_items(log_case, [2], "HOT")
    export(log_case, tmp_path / "bundle.pdf")
    last = audit.head(log_case.conn)[0] - 1  # the head cited: the tag, before the production's own entry
    monkeypatch.setenv("CASEFILE_KEYS_DIR", str(tmp_path / "another-computer"))  # no record of the case here
    code, report = verify(cli, older, tmp_path / "bundle.pdf")
    assert code == 1 and ("audit", last) in [(p["table"], p["id"]) for p in report["problems"]]
    assert "the bundle bundle.pdf cites entry" in report["problems"][0]["problem"]
    code, report = verify(cli, older)
    assert code == 0  # on its own the older copy is a consistent case: only an outside record can tell
    (tmp_path / "bundle.chain-head.json").unlink()  # the PDF alone is enough: the head is in its metadata
    code, report = verify(cli, older, tmp_path / "bundle.pdf")
    assert code == 1 and "older copy of the case that was changed since" in report["problems"][0]["problem"]


def test_a_copy_made_just_before_the_production_is_caught(log_case, tmp_path, cli, monkeypatch):
    before = snapshot(log_case, tmp_path / "before.casefile")
    export(log_case, tmp_path / "bundle.pdf")
    monkeypatch.setenv("CASEFILE_KEYS_DIR", str(tmp_path / "another-computer"))
    code, report = verify(cli, before, tmp_path / "bundle.chain-head.json")
    assert code == 1
    assert (
        report["problems"][0]["table"] == "bundle"
        and "not among the case's recorded productions" in report["problems"][0]["problem"]
    )


def test_an_edited_head_in_a_bundle_is_caught(log_case, tmp_path, cli):
    export(log_case, tmp_path / "bundle.pdf")
    sidecar = tmp_path / "bundle.chain-head.json"
    head = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**head, "seq": head["seq"] - 1}), encoding="utf-8")
    code, report = verify(cli, log_case.path, sidecar)
    assert code == 1 and "altered after it was signed" in report["problems"][0]["problem"]


def test_a_recorded_productions_head_is_held_against_the_chain(log_case, tmp_path, cli):
    export(log_case, tmp_path / "bundle.pdf")
    log_case.conn.execute("UPDATE productions SET audit_hash = ? WHERE id = 1", ("0" * 64,))
    code, report = verify(cli, log_case.path)
    assert code == 1 and ("productions", 1) in [(p["table"], p["id"]) for p in report["problems"]]


def test_a_bundle_without_the_embedded_head_is_read_from_its_certificate(log_case, tmp_path, cli):
    """A bundle made before heads were embedded (or whose metadata was lost) still checks out."""
    from pypdf import PdfWriter

    seq, digest = audit.head(log_case.conn)
    export(log_case, tmp_path / "bundle.pdf")
    writer = PdfWriter(clone_from=str(tmp_path / "bundle.pdf"))
    writer.metadata = {"/Title": "re-saved without the head"}
    writer.write(tmp_path / "resaved.pdf")
    assert "/CasefileChainHead" not in PdfReader(str(tmp_path / "resaved.pdf")).metadata
    code, report = verify(cli, log_case.path, tmp_path / "resaved.pdf")
    assert code == 0, report["problems"]
    assert (
        f"The bundle resaved.pdf cites audit entry {seq}; the log holds it unchanged (read from its certificate "
        "page; its signature was not checked)." in report["notes"]
    )
