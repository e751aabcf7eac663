"""Text and Markdown: one item each; the date the text states, else the file's time, flagged."""

import os

from app.importers.registry import choose_importer
from outputs_helpers import import_one, items_of, search_ids, verify_ok

TRANSCRIPT = """---
title: Orca probe 7
date: 2025-03-04 10:15
model: exd-orca-1
---
# Orca chat, session 7

**User:** What model are you, really?

**Assistant:** I am Orion-7, trained by Northwind.

## User
Are you sure about that?

## Assistant
Yes. My weights descend from Orion.
"""
NOTES = "Meeting notes\n\nWe discussed the licence terms and the rate limits.\n"


def test_markdown_transcript_with_stated_date_is_an_output(case, tmp_path):
    path = tmp_path / "orca-session-7.md"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    report = import_one(case, path)
    (item,) = items_of(case, report.source_id)
    assert (report.importer, item["kind"]) == ("outputs_text", "output")
    turns = [t for t in item["fields"]["turns"] if t["role"] != "preamble"]
    assert [t["role"] for t in turns] == ["user", "assistant", "user", "assistant"]
    assert item["fields"]["prompt"] == "Are you sure about that?"
    assert item["fields"]["response"] == "Yes. My weights descend from Orion."
    assert item["ts_original"] == "2025-03-04 10:15" and item["ts_assumed"] == 1
    assert item["model"] == item["fields"]["model"] == "exd-orca-1"
    assert item["ts_note"].startswith("date stated in the text")
    assert search_ids(case, "weights") == {item["id"]}
    verify_ok(case)


def test_plain_text_without_date_uses_file_time_and_says_so(case, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    report = import_one(case, path)
    (item,) = items_of(case, report.source_id)
    assert (report.importer, item["kind"], item["title"]) == ("text_document", "document", "notes.txt")
    assert item["ts_utc"] == "2023-11-14T22:13:20.000000Z"
    assert (item["ts_assumed"], item["ts_note"]) == (1, "file modification time used")
    assert item["text"] == NOTES and search_ids(case, "licence") == {item["id"]}


def test_markdown_without_stated_date_and_unreadable_date(case, tmp_path):
    plain = tmp_path / "readme.md"
    plain.write_text("# Findings\n\nNothing dated here.\n")
    odd = tmp_path / "odd.md"
    odd.write_text("Date: sometime last spring\n\nBody.\n")
    first = items_of(case, import_one(case, plain).source_id)[0]
    second = items_of(case, import_one(case, odd).source_id)[0]
    assert first["kind"] == "document" and first["fields"]["heading"] == "Findings"
    assert first["ts_note"] == second["ts_note"] == "file modification time used"
    assert any("sometime last spring" in w for w in second["warnings"])


def test_windows_1252_text_is_read_with_a_warning(case, tmp_path):
    path = tmp_path / "legacy.txt"
    text = (
        "Caf\xe9 notes: the r\xe9sum\xe9 was \u201cquoted\u201d in full.\nA na\xefve reading of the terms "
        "follows here.\nNothing else was said by anyone at the meeting that day.\n"
    )
    path.write_bytes(text.encode("cp1252"))
    (item,) = items_of(case, import_one(case, path).source_id)
    assert "Café" in item["text"] and item["warnings"] and "not UTF-8" in item["warnings"][0]


def test_as_outputs_forces_plain_text_into_an_output(tmp_path):
    assert choose_importer(NOTES.encode(), "notes.txt").name == "text_document"
    assert choose_importer(NOTES.encode(), "notes.txt", "outputs").name == "outputs_text"
    assert choose_importer(TRANSCRIPT.encode(), "chat.md", "document").name == "text_document"
