"""Issue 14's hostile files, each through `casefile import` into a real case file: the
import succeeds, the other records of the same file and the other files are imported,
what cannot be read is quarantined with its place and a reason in plain words, and
`casefile quarantine` shows it. Headers that are broken but readable are imported as
written, with a warning naming the header."""

import json

from email_builders import all_items, mbox_of, payload, simple_message

DEEP_MIME = 5_000
DEEP_JSON = 100_000
BAD_WORD = "=?utf-8?B?=?utf-8?B?="


def nested_mime(levels: int) -> bytes:
    """A message whose multipart parts are nested `levels` deep."""
    opening = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\n\n--b%d\n' % (i, i) for i in range(levels))
    closing = b"".join(b"--b%d--\n" % i for i in reversed(range(levels)))
    return (
        b"From: mallory@example.com\nTo: bob@example.com\nSubject: nested\nMIME-Version: 1.0\n"
        + opening
        + b"Content-Type: text/plain\n\nthe innermost part\n"
        + closing
    )


def nested_json(levels: int) -> str:
    """An output record with a value nested `levels` deep (brackets inside strings too)."""
    return (
        '{"prompt": "p", "response": "r", "x": '
        + '[{"a": "]}\\"[", "b": ' * (levels // 2)
        + "1"
        + "}]" * (levels // 2)
        + "}"
    )


def _import(cli, case_path, *paths, extra=()):
    code, out, err = cli("import", case_path, *paths, *extra, "--quiet")
    assert code == 0, err
    return out


def _quarantine(cli, case_path) -> tuple[list[dict], str]:
    code, text, _err = cli("quarantine", case_path)
    assert code == 0
    code, out, _err = cli("quarantine", case_path, "--json")
    return json.loads(out), text


def _titles(case_path) -> list[str]:
    return [item["title"] for item in all_items(case_path)]


def test_mime_nested_5000_deep_is_quarantined_and_the_mailbox_goes_on(tmp_path, case_path, cli):
    mailbox = tmp_path / "hostile.mbox"
    mailbox.write_bytes(
        mbox_of([simple_message(subject="Before"), nested_mime(DEEP_MIME), simple_message(subject="After")])
    )
    other = tmp_path / "other.eml"
    other.write_bytes(simple_message(subject="Other file"))
    out = _import(cli, case_path, mailbox, other)
    assert "hostile.mbox: read 3, imported 2, duplicates 0, quarantined 1" in out
    assert sorted(_titles(case_path)) == ["After", "Before", "Other file"]
    (row,), text = _quarantine(cli, case_path)
    assert row["source"] == "hostile.mbox" and row["locator"]["message"] == 2
    assert row["reason"].startswith("the message cannot be read: its MIME parts are nested too deeply")
    assert "hostile.mbox (message 2, byte " in text and "nested too deeply" in text
    assert row["raw"].startswith("From sender1@example.com")


def test_a_single_eml_nested_5000_deep_is_quarantined_whole(tmp_path, case_path, cli):
    path = tmp_path / "nested.eml"
    path.write_bytes(nested_mime(DEEP_MIME))
    out = _import(cli, case_path, path)
    assert "nested.eml: read 1, imported 0, duplicates 0, quarantined 1" in out
    (row,), text = _quarantine(cli, case_path)
    assert row["locator"] == {"message": 1} and "nested too deeply" in row["reason"]
    assert "nested.eml (message 1): the message cannot be read" in text


def test_json_nested_100000_deep_in_a_json_array_is_one_quarantined_record(tmp_path, case_path, cli):
    path = tmp_path / "outputs.json"
    records = [
        '{"prompt": "What is 2+2?", "response": "4"}',
        nested_json(DEEP_JSON),
        '{"prompt": "Capital of France?", "response": "Paris"}',
    ]
    path.write_text("[" + ",\n".join(records) + "]")
    other = tmp_path / "other.eml"
    other.write_bytes(simple_message(subject="Other file"))
    out = _import(cli, case_path, path, other)
    assert "outputs.json: read 3, imported 2, duplicates 0, quarantined 1" in out
    assert sorted(_titles(case_path)) == ["Capital of France?", "Other file", "What is 2+2?"]
    (row,), text = _quarantine(cli, case_path)
    assert row["locator"]["record"] == 2
    assert row["reason"].startswith("record 2 cannot be read: its values are nested too deeply")
    assert row["raw"] == records[1]
    assert "outputs.json (record 2, char_offset " in text


def test_a_json_document_nested_100000_deep_is_quarantined_whole_when_read_as_outputs(tmp_path, case_path, cli):
    path = tmp_path / "deep.json"
    path.write_text('{"a": ' * DEEP_JSON + "1" + "}" * DEEP_JSON)
    other = tmp_path / "outputs.jsonl"
    other.write_text('{"prompt": "hello", "response": "hi"}\n')
    out = _import(cli, case_path, path, other, extra=("--as", "outputs"))
    assert "deep.json: read 1, imported 0, duplicates 0, quarantined 1" in out
    assert "outputs.jsonl: read 1, imported 1" in out
    (row,), text = _quarantine(cli, case_path)
    assert "deep.json (record 1, char_offset 0): record 1 cannot be read: its values are nested too deeply" in text


def test_json_nested_past_what_can_be_stored_is_quarantined_in_json_lines(tmp_path, case_path, cli):
    """orjson reads 1,024 levels but writes only 254: a record of 300 or 1,000 levels was
    read and then failed the whole import when its fields were stored."""
    path = tmp_path / "outputs.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"prompt": "first", "response": "one"}',
                nested_json(300),
                nested_json(1000),
                '{"prompt": "last", "response": "two"}',
            ]
        )
        + "\n"
    )
    out = _import(cli, case_path, path)
    assert "outputs.jsonl: read 4, imported 2, duplicates 0, quarantined 2" in out
    rows, _text = _quarantine(cli, case_path)
    assert [r["locator"]["line"] for r in rows] == [2, 3]
    assert all("nested too deeply" in r["reason"] for r in rows)


def _eml(tmp_path, name: str, raw: bytes):
    path = tmp_path / name
    path.write_bytes(raw)
    return path


def test_undecodable_encoded_word_in_subject_is_kept_as_written(tmp_path, case_path, cli):
    bad = _eml(
        tmp_path,
        "bad-subject.eml",
        simple_message(subject="placeholder").replace(b"Subject: placeholder", b"Subject: " + BAD_WORD.encode()),
    )
    good = _eml(tmp_path, "good.eml", simple_message(subject="Good"))
    out = _import(cli, case_path, bad, good)
    assert "bad-subject.eml: read 1, imported 1" in out and "good.eml: read 1, imported 1" in out
    email = next(i for i in all_items(case_path) if i["title"] != "Good")
    assert email["title"] == BAD_WORD and email["fields"]["subject"] == BAD_WORD
    assert any(
        w.startswith("The Subject header holds an encoded word that cannot be decoded")
        and w.endswith("it is shown as written.")
        for w in email["warnings"]
    )


def test_undecodable_encoded_word_in_received_header_is_kept_as_written(tmp_path, case_path, cli):
    raw = (
        b"Received: from relay.example.com by mx.example.com; "
        + BAD_WORD.encode()
        + b"\n"
        + simple_message(subject="Relayed", date=None)
    )
    out = _import(cli, case_path, _eml(tmp_path, "bad-received.eml", raw))
    assert "bad-received.eml: read 1, imported 1" in out
    (email,) = all_items(case_path)
    assert email["title"] == "Relayed" and email["ts_utc"] is None
    assert any(w.startswith("The Received header holds an encoded word") for w in email["warnings"])


def test_a_header_with_an_embedded_header_in_an_attached_message(tmp_path, case_path, cli):
    """compat32 refuses to write a header whose value holds a line break followed by
    'Name:' (here a form feed) -- "an embedded header" -- when the attached message's bytes
    are made; they are now written with the headers as they were read."""
    inner = b"From: x@example.com\nTo: q@example.com\nSubject: a\x0cX-Evil: b\n\ninner body\n"
    raw = (
        b"From: a@example.com\nTo: d@example.com\nSubject: outer\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=BB\n\n--BB\nContent-Type: text/plain\n\nhello\n"
        b"--BB\nContent-Type: message/rfc822\n\n" + inner + b"\n--BB--\n"
    )
    other = _eml(tmp_path, "other.eml", simple_message(subject="Other file"))
    out = _import(cli, case_path, _eml(tmp_path, "embedded.eml", raw), other)
    assert "embedded.eml: read 1, imported 1" in out
    outer, attached, _other = all_items(case_path)
    assert outer["title"] == "outer" and attached["parent_id"] == outer["id"]
    assert attached["title"] == "a\x0cX-Evil: b" and attached["text"] == "inner body\n"
    assert payload(case_path, attached["id"]).startswith(
        b"From: x@example.com\nTo: q@example.com\nSubject: a\x0cX-Evil: b\n\ninner body"
    )


def test_a_nul_byte_in_a_charset_parameter(tmp_path, case_path, cli):
    raw = (
        b"From: a@example.com\nTo: b@example.com\nSubject: nul charset\nMIME-Version: 1.0\n"
        b'Content-Type: text/plain; charset="utf\x008"\n\nthe body is still read\n'
    )
    other = _eml(tmp_path, "other.eml", simple_message(subject="Other file"))
    out = _import(cli, case_path, _eml(tmp_path, "nul-charset.eml", raw), other)
    assert "nul-charset.eml: read 1, imported 1" in out and "other.eml: read 1, imported 1" in out
    email = next(i for i in all_items(case_path) if i["title"] == "nul charset")
    assert email["text"] == "the body is still read\n"


def test_a_nul_byte_in_an_rfc2231_charset_of_a_charset_or_file_name(tmp_path, case_path, cli):
    """`charset*=` and `filename*=` name their own charset (RFC 2231); the standard library
    raises "embedded null character" on a NUL there. The message is imported, each value
    as written."""
    raw = (
        b"From: a@example.com\nTo: b@example.com\nSubject: rfc2231\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=Z\n\n--Z\nContent-Type: text/plain; charset*=utf\x008''x\n\n"
        b"body text\n--Z\nContent-Type: application/octet-stream\n"
        b"Content-Disposition: attachment; filename*=bogus\x00''report%2Epdf\n\nPDFBYTES\n--Z--\n"
    )
    mailbox = tmp_path / "rfc2231.mbox"
    mailbox.write_bytes(mbox_of([simple_message(subject="Before"), raw, simple_message(subject="After")]))
    out = _import(cli, case_path, mailbox)
    assert "rfc2231.mbox: read 3, imported 3, duplicates 0, quarantined 0" in out
    email = next(i for i in all_items(case_path) if i["title"] == "rfc2231")
    assert email["text"] == "body text"
    (attachment,) = [i for i in all_items(case_path) if i["parent_id"] == email["id"]]
    assert attachment["title"] == "report.pdf"
    assert (
        "The file name of part 2 declares a character set that cannot be used; it is shown as written."
        in email["warnings"]
    )


def test_the_csv_sniff_of_any_file_reads_a_bounded_sample(tmp_path, case_path, cli, monkeypatch):
    """Every file imported is sniffed as CSV too, and csv.Sniffer's regexes take time
    quadratic in their sample: a crafted 15 KB head (found by the fuzzer) took 5.5 s. The
    sniffer now sees at most its first 30 non-blank lines within 4 KB."""
    import csv

    seen = []
    sniff = csv.Sniffer.sniff
    monkeypatch.setattr(
        csv.Sniffer,
        "sniff",
        lambda self, sample, delimiters=None: (seen.append(len(sample)), sniff(self, sample, delimiters))[1],
    )
    crafted = tmp_path / "access.log"
    crafted.write_bytes(b"\x00" * 5000 + b"\n" * 10000 + b'"-" "agent"\n' + b"x,y\n" * 2000)
    wide = tmp_path / "wide.csv"
    wide.write_text(
        ",".join(f"column_{i}" for i in range(60))
        + "\n"
        + "\n".join(",".join(str(i * j) for i in range(60)) for j in range(300))
        + "\n"
    )
    out = _import(cli, case_path, crafted, wide)
    assert seen and max(seen) <= 4096, seen
    assert "wide.csv: read 300, imported 300" in out
