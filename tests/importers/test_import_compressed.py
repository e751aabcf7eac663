"""Compressed originals: what can be read is imported, the rest quarantined; bounded work on any input.

A broken or truncated gzip never stops the import; a file that expands beyond the
guard is not imported unless the user allows it; one enormous line or document never
takes memory in proportion to its size.
"""

import gzip
import json
import random
import re
import subprocess
import sys
import zlib
from pathlib import Path

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from case_helpers import import_reconciled, items_of

ROOT = Path(__file__).resolve().parents[2]


def _quarantine(case, source_id):
    rows = case.conn.execute(
        "SELECT locator, raw, reason FROM quarantine WHERE source_id = ? ORDER BY id", (source_id,)
    )
    return [(json.loads(locator), raw, reason) for locator, raw, reason in rows]


def _rows(count: int, seed: int = 7) -> bytes:
    noise = random.Random(seed)  # random text: compresses ~2:1, so half the file is about half the rows
    return b"".join(
        json.dumps(
            {
                "timestamp": f"2026-03-01T10:{n // 60 % 60:02d}:{n % 60:02d}Z",
                "account": f"acct-{n % 7}",
                "prompt": noise.randbytes(24).hex(),
            }
        ).encode()
        + b"\n"
        for n in range(count)
    )


def _readable(prefix: bytes) -> bytes:
    """What zlib itself can decompress from the start of a gzip: the test's own measure."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = b""
    try:
        out = inflater.decompress(prefix)
    except zlib.error:
        pass
    return out


def test_a_broken_gzip_of_17_bytes_is_quarantined_whole_and_the_import_goes_on(case_path, tmp_path, cli):
    folder = tmp_path / "evidence"
    folder.mkdir()
    broken = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"garbage"  # a gzip header, then no deflate data
    assert len(broken) == 17
    (folder / "a-broken.jsonl.gz").write_bytes(broken)
    (folder / "b-api.jsonl").write_bytes(_rows(5))
    code, out, err = cli("import", case_path, folder, "--quiet")
    assert code == 0, err
    assert "a-broken.jsonl.gz: stored and quarantined whole: the compressed file cannot be decompressed at all" in out
    assert "imported 5" in out
    code, out, _ = cli("quarantine", case_path)
    assert "a-broken.jsonl.gz (the whole file): the compressed file cannot be decompressed at all" in out
    code, out, _ = cli("verify", case_path)
    assert code == 0, out


def test_a_truncated_jsonl_gz_imports_every_readable_row_and_quarantines_the_rest(case, tmp_path):
    body = _rows(5000)
    packed = gzip.compress(body)
    cut = packed[: len(packed) * 49 // 100]
    readable = _readable(cut)
    whole_lines = readable.count(b"\n")
    assert 2000 < whole_lines < 3000 and not readable.endswith(b"\n")  # the last line is cut part-way
    path = tmp_path / "api.jsonl.gz"
    path.write_bytes(cut)

    report = import_reconciled(case, path)
    assert (report.read, report.imported, report.quarantined) == (whole_lines + 1, whole_lines, 1)
    items = items_of(case, report.source_id)
    assert items[-1]["locator"]["line"] == whole_lines  # the last whole line is imported...
    [(locator, raw, reason)] = _quarantine(case, report.source_id)
    partial = readable[readable.rindex(b"\n") + 1 :]
    # ... and the cut line after it is quarantined in its place, its bytes kept, never lost
    assert locator == {"line": whole_lines + 1, "byte_offset": len(readable) - len(partial)}
    assert raw == partial
    assert reason == (f"the compressed file ends early after {whole_lines:,} lines; the rest could not be decompressed")
    assert "ends early" in report.summary()


def test_a_gzip_truncated_inside_its_first_block_still_gives_its_rows(case, tmp_path):
    """The readable rows fit in the bytes read to choose the importer: they were all lost."""
    packed = gzip.compress(_rows(400))
    readable = _readable(packed[: len(packed) // 2])
    path = tmp_path / "short.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    report = import_reconciled(case, path)
    assert report.importer == "jsonl"
    assert report.imported == readable.count(b"\n") > 100 and report.quarantined == 1


def _email(n: int, noise: random.Random) -> bytes:
    return (
        f"From: Ana Ruiz <ana@example.com>\r\nTo: legal@example.com\r\nSubject: Batch {n}\r\n"
        f"Date: Mon, 2 Mar 2026 10:{n % 60:02d}:00 +0000\r\nMessage-ID: <m{n}@example.com>\r\n\r\n"
        + "\r\n".join(noise.randbytes(30).hex() for _ in range(40))
        + "\r\n"
    ).encode()


def test_a_truncated_eml_gz_is_quarantined_as_incomplete_and_the_import_goes_on(case, tmp_path):
    packed = gzip.compress(_email(1, random.Random(3)))
    eml = tmp_path / "a-message.eml.gz"
    eml.write_bytes(packed[: len(packed) * 2 // 3])
    log = tmp_path / "b-api.jsonl"
    log.write_bytes(_rows(3))
    report = run_to_end(import_files(case, [eml, log], ImportSettings()))
    message, rows = report.files
    assert message.importer == "eml" and message.reconciles
    assert (message.read, message.imported, message.quarantined) == (1, 0, 1)
    [(locator, _raw, reason)] = _quarantine(case, message.source_id)
    assert reason.startswith("the compressed file ends early after ")
    assert reason.endswith("; this message runs into that point, so it is incomplete")
    assert rows.imported == 3


def test_a_truncated_mbox_gz_imports_the_whole_messages_and_quarantines_the_cut_one(case, tmp_path):
    noise = random.Random(4)
    messages = [b"From ana@example.com Mon Mar  2 10:00:00 2026\r\n" + _email(n, noise) + b"\r\n" for n in range(60)]
    packed = gzip.compress(b"".join(messages))
    cut = packed[: len(packed) // 2]
    readable = _readable(cut)
    started = readable.count(b"\r\nFrom ana@example.com ") + 1
    path = tmp_path / "archive.mbox.gz"
    path.write_bytes(cut)
    report = import_reconciled(case, path)
    assert report.imported == started - 1 > 20  # every message wholly before the break
    [(locator, _raw, reason)] = _quarantine(case, report.source_id)
    assert locator["message"] == started and "this message runs into that point, so it is incomplete" in reason


def test_several_members_and_zero_padding_read_whole(case, tmp_path):
    body = _rows(30)
    path = tmp_path / "rotated.jsonl.gz"
    path.write_bytes(gzip.compress(body[:1000]) + gzip.compress(body[1000:]) + b"\x00" * 512)
    report = import_reconciled(case, path)
    assert (report.imported, report.quarantined, report.note) == (30, 0, None)


# -- the expansion guard ------------------------------------------------------------------------


def _expanding(tmp_path) -> Path:
    """3 MB of near-identical rows: the file expands ~100 times."""
    rows = b"".join(
        json.dumps({"timestamp": "2026-03-01T10:00:00Z", "account": "acct", "prompt": "same " * 20, "n": n}).encode()
        + b"\n"
        for n in range(20000)
    )
    path = tmp_path / "a-big.jsonl.gz"
    path.write_bytes(gzip.compress(rows, 9))
    assert len(rows) > 30 * path.stat().st_size
    return path


GUARD = {"expansion_ratio": 30, "expansion_floor_bytes": 1024 * 1024}  # 30x and 1 MB, not 100x and 1 GB


def test_a_file_expanding_past_the_guard_is_not_imported_and_the_import_goes_on(case, tmp_path):
    big = _expanding(tmp_path)
    other = tmp_path / "b-api.jsonl"
    other.write_bytes(_rows(4))
    report = run_to_end(import_files(case, [big, other], ImportSettings(**GUARD)))
    refused, imported = report.files
    assert refused.source_id is None and refused.read == 0
    assert re.fullmatch(
        r"a-big\.jsonl\.gz expands to more than 30 times its size \(\d+ KB -> over [\d.]+ MB so "
        r"far\), so it was not imported; if you expect this, import it again with "
        r"--allow-large-expansion \(in the import wizard: tick 'Allow large expansion'\)",
        refused.not_imported,
    ), refused.not_imported
    assert imported.imported == 4
    assert case.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1  # nothing of it stored

    allowed = run_to_end(import_files(case, [big], ImportSettings(**GUARD, allow_large_expansion=True)))
    assert allowed.files[0].imported == 20000 and allowed.files[0].reconciles


def test_the_cli_flag_lets_an_expanding_file_in(case_path, tmp_path, cli, monkeypatch):
    import app.cli.importing

    class LowGuard(ImportSettings):
        def __init__(self, **chosen):
            super().__init__(**chosen, **GUARD)

    monkeypatch.setattr(app.cli.importing, "ImportSettings", LowGuard)
    big = _expanding(tmp_path)
    code, out, err = cli("import", case_path, big, "--quiet")
    assert code == 0, err
    assert "so it was not imported; if you expect this, import it again with --allow-large-expansion" in out
    code, out, err = cli("import", case_path, big, "--quiet", "--allow-large-expansion")
    assert code == 0, err
    assert "imported 20,000" in out


# -- bounded memory -------------------------------------------------------------------------------

BOMB_MB = 200

MEASURE = """
import resource, sys, json
from pathlib import Path
from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile

case_path, path = Path(sys.argv[1]), Path(sys.argv[2])
case = CaseFile.create(case_path, "Bomb", None, "UTC", operator="tester")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
settings = ImportSettings(max_field_bytes=1024 * 1024, max_text_bytes=1024 * 1024)
report = run_to_end(import_files(case, [path], settings)).files[0]
rows = case.conn.execute("SELECT locator, reason FROM quarantine").fetchall()
kinds = [row[0] for row in case.conn.execute("SELECT kind FROM items")]
case.close()
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"grown_kib": grown, "summary": report.summary(), "reconciles": report.reconciles,
                  "quarantine": rows, "kinds": kinds}))
"""


def _bomb(path: Path, first_line: bytes = b"") -> Path:
    """BOMB_MB megabytes of 'a' with no newline, compressed as it is written (~200 KB on disk)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_bounded_input import write_one_line  # the benchmark's own generator, at test size

    return write_one_line(path, BOMB_MB, first_line)


def _import_measured(tmp_path, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(tmp_path / "bomb.casefile"), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            "PYTHONPATH": str(ROOT),
            "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
        },
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_one_huge_line_in_a_log_is_quarantined_in_flat_memory(tmp_path):
    first = json.dumps({"timestamp": "2026-03-01T10:00:00Z", "prompt": "before"}).encode() + b"\n"
    result = _import_measured(tmp_path, _bomb(tmp_path / "api.jsonl.gz", first))
    assert result["reconciles"] and result["kinds"] == ["log_entry"]
    [(locator, reason)] = result["quarantine"]
    assert json.loads(locator)["line"] == 2
    assert reason == f"line of {BOMB_MB * 1024 * 1024:,} bytes exceeds the size bound of {1024 * 1024:,}"
    assert result["grown_kib"] < 60 * 1024, result  # not the 200 MB of the line


def test_one_huge_text_document_is_read_up_to_its_bound_in_flat_memory(tmp_path):
    result = _import_measured(tmp_path, _bomb(tmp_path / "notes.txt.gz"))
    assert result["reconciles"] and result["kinds"] == ["document"]
    [(locator, reason)] = result["quarantine"]
    rest = BOMB_MB * 1024 * 1024 - 1024 * 1024
    assert json.loads(locator) == {"byte_offset": 1024 * 1024, "byte_length": rest}
    assert reason.startswith(f"the document's text goes on for {rest:,} bytes after the first 1,048,576")
    # before: the whole text was read, decoded and indexed -- 6 times its size in memory
    assert result["grown_kib"] < 60 * 1024, result


def test_a_long_text_document_keeps_its_start_searchable_and_quarantines_the_rest(case, tmp_path):
    path = tmp_path / "transcript.txt"
    text = "Date: 2 March 2026\n" + "".join(f"line {n} of the notes: ключ 密钥\n" for n in range(3000))
    path.write_text(text, encoding="utf-8")
    report = import_reconciled(case, path, max_text_bytes=50_000)
    assert (report.imported, report.quarantined) == (1, 1)
    [document] = items_of(case, report.source_id)
    kept = document["text"].encode("utf-8")
    assert len(kept) <= 50_000 and text.encode("utf-8").startswith(kept)  # cut between characters, not inside one
    assert any("Only the first" in w for w in document["warnings"])
    [(locator, raw, _reason)] = _quarantine(case, report.source_id)
    assert locator == {"byte_offset": len(kept), "byte_length": len(text.encode("utf-8")) - len(kept)}
    assert text.encode("utf-8")[len(kept) :].startswith(raw) and len(raw) == 4096  # the start of the rest, kept


def test_stray_bytes_after_the_compressed_data_are_said_and_every_row_kept(case, tmp_path):
    path = tmp_path / "padded.jsonl.gz"
    path.write_bytes(gzip.compress(_rows(25)) + b"TRAILER from a broken copy")
    report = import_reconciled(case, path)
    assert (report.imported, report.quarantined) == (25, 1)
    [(locator, _raw, reason)] = _quarantine(case, report.source_id)
    assert locator["line"] == 26
    assert reason.startswith("the compressed file holds bytes that are not compressed data after its end")
