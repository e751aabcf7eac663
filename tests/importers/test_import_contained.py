"""One unreadable file, or a parser that fails part-way, never stops the rest of an import.

The pipeline's safety net under every importer: an empty or unrecognised file is stored
and quarantined whole with the reason; a file whose reader fails part-way keeps what was
read and quarantines the rest; the other files are imported and everything reconciles.
"""

import json

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.logs.json_lines import JsonLinesLogImporter
from app.importers.pipeline import import_files


def _log_lines(count: int) -> str:
    return "".join(
        json.dumps(
            {
                "timestamp": f"2026-03-01T10:00:{i:02d}Z",
                "account": f"acct-{i}",
                "prompt": f"question {i}",
                "response": f"answer {i}",
            }
        )
        + "\n"
        for i in range(count)
    )


def _folder(tmp_path):
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "api.jsonl").write_text(_log_lines(5), encoding="utf-8")
    (folder / "photo.heif").write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_unrecognised_and_empty_files_are_kept_and_quarantined_whole(case_path, tmp_path, cli):
    folder = _folder(tmp_path)
    code, out, err = cli("import", case_path, folder, "--quiet")
    assert code == 0, err
    assert "photo.heif: stored and quarantined whole: the format was not recognised" in out
    assert "empty.txt: stored and quarantined whole: the file is empty (0 bytes)" in out
    assert "imported 5" in out  # the log beside them is imported all the same

    code, out, _ = cli("quarantine", case_path, "--json")
    rows = json.loads(out)
    reasons = {r["reason"] for r in rows}
    assert any("format was not recognised" in r for r in reasons)
    assert "the file is empty (0 bytes)" in reasons
    code, out, _ = cli("quarantine", case_path)
    assert "empty.txt (the whole file): the file is empty (0 bytes)" in out

    code, out, _ = cli("verify", case_path)
    assert code == 0, out  # the unrecognised file is a stored original like any other


def test_a_whole_file_quarantine_keeps_the_original_byte_for_byte(case, tmp_path):
    folder = _folder(tmp_path)
    report = run_to_end(import_files(case, sorted(folder.iterdir()), ImportSettings()))
    heif = next(f for f in report.files if f.path.endswith("photo.heif"))
    assert heif.reconciles and (heif.read, heif.quarantined, heif.imported) == (1, 1, 0)
    stored = b"".join(
        row[0]
        for row in case.conn.execute(
            "SELECT data FROM source_chunks WHERE source_id = ? ORDER BY seq", (heif.source_id,)
        )
    )
    assert stored == (folder / "photo.heif").read_bytes()


def test_a_reader_failing_part_way_keeps_what_was_read(case, tmp_path, monkeypatch):
    original_read = JsonLinesLogImporter.read

    def failing_read(self, stream, ctx):  # a parser defect on the fourth record
        for number, record in enumerate(original_read(self, stream, ctx), start=1):
            if number == 4:
                raise RecursionError("maximum recursion depth exceeded")
            yield record

    monkeypatch.setattr(JsonLinesLogImporter, "read", failing_read)
    (tmp_path / "a.jsonl").write_text(_log_lines(6), encoding="utf-8")
    (tmp_path / "b.csv").write_text("timestamp,account,prompt\n2026-03-02T00:00:00Z,acct-9,hello\n", encoding="utf-8")
    report = run_to_end(import_files(case, [tmp_path / "a.jsonl", tmp_path / "b.csv"], ImportSettings()))

    broken, other = report.files
    assert (broken.imported, broken.quarantined) == (3, 1) and broken.reconciles
    assert other.imported == 1  # the next file is imported as usual
    locator, reason = case.conn.execute(
        "SELECT locator, reason FROM quarantine WHERE source_id = ?", (broken.source_id,)
    ).fetchone()
    assert json.loads(locator)["after"].startswith("line 3")
    assert reason == "could not be read from here on: it is nested too deeply to read"
