"""`casefile facts`, `proof` and `chronology` from the terminal."""

import json

from docx import Document
from pypdf import PdfReader


def test_add_edit_list_and_delete_facts(imported, cli):
    code, out, err = cli(
        "facts", imported, "--add", "Keys rotated", "--date", "2026-01-02", "--element", "CLAIM-CONTRACT/BREACH",
        "--item", "2", "--item", "3", "--status", "disputed", "--witness", "Dana", "--operator", "tester",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == "Added fact 1."
    code, _, err = cli("facts", imported, "--edit", "1", "--status", "undisputed", "--opposing", "They deny it")
    assert code == 0, err
    _, out, _ = cli("facts", imported, "--json")
    listed = json.loads(out)
    assert listed[0]["items"] == [2, 3] and listed[0]["status"] == "undisputed"
    assert listed[0]["opposing"] == "They deny it" and listed[0]["start_utc"].startswith("2026-01-02")
    code, _, err = cli("facts", imported, "--add", "Nonsense", "--element", "NOPE")
    assert code == 1 and "not a claim or claim element" in err
    code, _, err = cli("facts", imported, "--edit", "1")
    assert code == 1 and "needs something to change" in err
    assert cli("facts", imported, "--delete", "1")[0] == 0
    _, out, _ = cli("facts", imported)
    assert out.startswith("No facts yet")


def test_proof_and_chronology_write_pdf_csv_and_word(imported, cli, tmp_path):
    cli("facts", imported, "--add", "Assent", "--element", "CLAIM-CONTRACT/ASSENT", "--item", "2")
    code, out, err = cli(
        "proof", imported, tmp_path / "proof.pdf", "--csv", tmp_path / "proof.csv", "--docx", tmp_path / "proof.docx"
    )
    assert code == 0, err
    assert "no production yet" in err and "elements have no evidence" in out
    assert "not produced" in (tmp_path / "proof.csv").read_text(encoding="utf-8-sig")
    assert Document(str(tmp_path / "proof.docx")).tables
    assert PdfReader(str(tmp_path / "proof.pdf")).pages
    code, out, err = cli("chronology", imported, tmp_path / "chrono.pdf", "--docx", tmp_path / "chrono.docx")
    assert code == 0 and "1 fact(s)" in out
    code, _, err = cli("proof", imported, tmp_path / "x.pdf", "--production", "9")
    assert code == 1 and "no production 9" in err and not (tmp_path / "x.pdf").exists()
