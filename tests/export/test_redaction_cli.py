"""`casefile redact` and `casefile redactions` through the real CLI, then an export through it."""

import json

from pypdf import PdfReader

from export_builders import log_row, write_log, write_pdf


def test_redact_list_remove_and_export_through_the_cli(case_path, tmp_path, cli):
    write_log(
        tmp_path / "log.jsonl",
        [log_row("2026-03-01T10:00:00Z", "hello", "write to jo.bloggs@mail.example please", account="acct-9")],
    )
    write_pdf(tmp_path / "memo.pdf", [("Memo: the codename is BLUEHERON-22", False)])
    code, _out, err = cli("import", case_path, tmp_path / "log.jsonl", tmp_path / "memo.pdf", "--quiet")
    assert code == 0, err
    items = json.loads(cli("items", case_path, "--json")[1])
    pdf_id = next(i["id"] for i in items if i["kind"] == "document")

    code, out, _ = cli("redact", case_path, "--pattern-name", "email", "--reason", "personal", "--preview", "--quiet")
    assert code == 0 and out.startswith("2 match(es) in 1 item(s)") and "nothing was redacted" in out
    assert json.loads(cli("redactions", case_path, "--json")[1]) == []

    code, out, _ = cli("redact", case_path, "--pattern-name", "email", "--reason", "personal", "--quiet")
    assert code == 0 and "Redaction 1 (Personal data)" in out
    code, out, _ = cli("redact", case_path, "--pattern", r"BLUEHERON-\d+", "--item", pdf_id, "--reason", "conf")
    assert code == 1  # 'conf' is no reason
    code, out, _ = cli("redact", case_path, "--pattern", r"BLUEHERON-\d+", "--item", pdf_id, "--reason", "confidential")
    assert code == 0, out
    code, out, _ = cli(
        "redact", case_path, "--item", pdf_id, "--page", "1", "--box", "60,20,300,50", "--reason", "nonresp"
    )
    assert code == 0 and "page 1, box 60,20,300,50" in out
    code, _out, err = cli("redact", case_path, "--item", pdf_id, "--box", "1,2,3,4", "--reason", "nonresp")
    assert code == 2 and "--box needs --page" in err

    listed = json.loads(cli("redactions", case_path, "--json")[1])
    assert [(r["id"], r["kind"], r["reason_name"]) for r in listed] == [
        (1, "match", "Personal data"),
        (2, "match", "Confidential"),
        (3, "box", "Non-responsive"),
    ]
    code, out, _ = cli("redactions", case_path, "--remove", "3")
    assert code == 0 and "Removed redaction 3" in out
    assert "REDACT-PRIV" in cli("redactions", case_path, "--reasons")[1]

    code, out, err = cli("export", case_path, tmp_path / "b.pdf", "--quiet")
    assert code == 0, err
    text = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "b.pdf")).pages)
    assert "jo.bloggs" not in text and "BLUEHERON" not in text and "Memo: the codename is" in text
    assert (tmp_path / "b.redactions.csv").exists()
    code, out, _ = cli("verify", case_path)
    assert code == 0, out
