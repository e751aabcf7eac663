"""Zip archives: members imported as files of their own, children of the archive's source; bombs, damage,
nesting and hostile names quarantined or harmless."""

import hashlib
import io
import json
import zipfile

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers import zip_archive
from app.importers.pipeline import import_files
from app.store.verify import verify_case


def jsonl(rows: int, tag: str) -> bytes:
    return b"".join(
        json.dumps(
            {
                "timestamp": f"2025-03-01T10:00:{n % 60:02d}Z",
                "account": tag,
                "prompt": f"{tag} question {n}",
                "response": "answer",
            }
        ).encode()
        + b"\n"
        for n in range(rows)
    )


def zip_of(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypted_flag(data: bytes, name: str) -> bytes:
    """The archive with member `name` marked encrypted (zipfile cannot write encrypted members)."""
    data = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    data[info.header_offset + 6] |= 0x1  # the local header's flags
    central = bytes(data).index(b"PK\x01\x02")
    while bytes(data[central + 46 : central + 46 + len(name)]) != name.encode():
        central = bytes(data).index(b"PK\x01\x02", central + 4)
    data[central + 8] |= 0x1  # the central directory's flags
    return bytes(data)


def import_all(case, *paths, **settings):
    return run_to_end(import_files(case, list(paths), ImportSettings(**settings)))


def sources(case) -> dict[str, tuple]:
    """{original_name: (id, parent_source_id, member_path, sha256, importer)}."""
    rows = case.conn.execute("SELECT original_name, id, parent_source_id, member_path, sha256, importer FROM sources")
    return {row[0]: row[1:] for row in rows}


def quarantine(case, source_id) -> list[tuple[dict, str]]:
    rows = case.conn.execute("SELECT locator, reason FROM quarantine WHERE source_id = ? ORDER BY id", (source_id,))
    return [(json.loads(locator), reason) for locator, reason in rows]


def test_members_become_sources_of_their_own_under_the_archive(case, tmp_path):
    inner = zip_of({"inner.jsonl": jsonl(4, "inner")})
    members = {
        "logs/api.jsonl": jsonl(10, "acme"),
        "notes/readme.md": b"# Notes\nKey rotation every 3 days.\n",
        "photo.heif": b"\x00\x00\x00\x18ftypheic not for us",
        "empty.txt": b"",
        "nested.zip": inner,
        "../../escape.jsonl": jsonl(2, "escape"),
    }
    path = tmp_path / "evidence.zip"
    path.write_bytes(zip_of(members))
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    report = import_all(case, path)
    labels = [f.path for f in report.files]
    assert labels == [str(path)] + [
        f"{path} > {name}"
        for name in (
            "logs/api.jsonl",
            "notes/readme.md",
            "photo.heif",
            "nested.zip",
            "nested.zip > inner.jsonl",
            "../../escape.jsonl",
        )
    ]
    assert labels[5] == f"{path} > nested.zip > inner.jsonl"
    assert all(f.reconciles for f in report.files)
    top = report.files[0]
    assert (top.importer, top.unpacked, top.read, top.quarantined) == ("zip", 5, 1, 1)
    assert "zip archive of 6 files: 5 unpacked" in top.summary()
    found = sources(case)
    archive_id = found["evidence.zip"][0]
    assert found["evidence.zip"][3] == hashlib.sha256(path.read_bytes()).hexdigest()  # the original, byte for byte
    for name, data in members.items():
        if data:
            source = found[f"evidence.zip > {name}"]
            assert source[1:4] == (archive_id, name, hashlib.sha256(data).hexdigest())
    nested_id = found["evidence.zip > nested.zip"][0]
    assert found["evidence.zip > nested.zip > inner.jsonl"][1] == nested_id
    assert quarantine(case, archive_id) == [({"member": "empty.txt"}, "the member is empty (0 bytes)")]
    heif = found["evidence.zip > photo.heif"][0]
    assert quarantine(case, heif)[0][0] == {"whole_file": True}
    assert "format was not recognised" in quarantine(case, heif)[0][1]
    per_source = dict(
        case.conn.execute(
            "SELECT s.member_path, count(*) FROM items i JOIN sources s ON s.id = i.source_id GROUP BY s.id"
        )
    )
    assert per_source == {"logs/api.jsonl": 10, "notes/readme.md": 1, "inner.jsonl": 4, "../../escape.jsonl": 2}
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before  # nothing written beside the case
    assert not (tmp_path.parent.parent / "escape.jsonl").exists()
    assert run_to_end(verify_case(case)).ok


def test_the_same_archive_again_adds_nothing_and_a_member_imported_before_is_named(case, tmp_path):
    log = tmp_path / "api.jsonl"
    log.write_bytes(jsonl(5, "acme"))
    path = tmp_path / "again.zip"
    path.write_bytes(zip_of({"api.jsonl": log.read_bytes(), "other.jsonl": jsonl(3, "other")}))
    first = import_all(case, log, path)
    assert [f.already_imported_as for f in first.files] == [None, None, 1, None]
    again = import_all(case, path)
    assert again.files[0].already_imported_as == 2 and len(again.files) == 1
    assert case.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 8


def test_a_zip_bomb_is_stopped_with_a_clear_reason_and_the_rest_imported(case, tmp_path, monkeypatch):
    monkeypatch.setattr(zip_archive, "BOMB_FLOOR", 1024 * 1024)
    path = tmp_path / "bomb.zip"
    path.write_bytes(zip_of({"zeros.jsonl": b"\0" * (30 * 1024 * 1024), "real.jsonl": jsonl(3, "acme")}))
    assert path.stat().st_size < 100_000
    report = import_all(case, path)
    assert [f.path for f in report.files] == [str(path), f"{path} > real.jsonl"]
    archive_id = report.files[0].source_id
    ((locator, reason),) = quarantine(case, archive_id)
    assert locator == {"member": "zeros.jsonl"}
    assert reason.startswith("the member would expand from ") and "zip bomb" in reason and "31,457,280" in reason
    assert report.files[1].imported == 3


def test_the_total_expansion_guard_stops_the_members_past_it(case, tmp_path, monkeypatch):
    monkeypatch.setattr(zip_archive, "MAX_EXPANDED", 700)
    path = tmp_path / "many.zip"
    parts = {f"part{n}.jsonl": jsonl(3, f"a{n}") for n in range(4)}
    parts["small.jsonl"] = jsonl(1, "s")  # would fit, but comes after the limit was reached
    assert all(300 < len(data) < 500 for data in parts.values() if len(data) > 200)
    path.write_bytes(zip_of(parts))
    report = import_all(case, path)
    assert report.files[0].unpacked == 2 and report.files[0].quarantined == 3
    reasons = [reason for _loc, reason in quarantine(case, report.files[0].source_id)]
    assert all("more than 700 bytes in all" in r for r in reasons)


def test_a_damaged_member_keeps_its_bytes_and_is_quarantined_whole(case, tmp_path):
    data = jsonl(20, "acme")
    packed = bytearray(zip_of({"api.jsonl": data, "ok.jsonl": jsonl(2, "ok")}, zipfile.ZIP_STORED))
    at = bytes(packed).index(b"acme question 7")
    packed[at] = ord("X")  # one byte changed after packing: the checksum no longer matches
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(packed))
    report = import_all(case, path)
    damaged, ok = report.files[1], report.files[2]
    assert damaged.quarantined_whole.startswith("the member is damaged and could not be read whole (its checksum")
    assert ok.imported == 2
    stored = case.conn.execute("SELECT size FROM sources WHERE id = ?", (damaged.source_id,)).fetchone()[0]
    assert stored == len(data)
    assert run_to_end(verify_case(case)).ok


def test_archives_nested_too_deep_and_encrypted_or_broken_ones_are_quarantined(case, tmp_path):
    deepest = zip_of({"level3.zip": zip_of({"deep.jsonl": jsonl(1, "deep")})})
    path = tmp_path / "deep.zip"
    path.write_bytes(encrypted_flag(zip_of({"level2.zip": deepest, "secret.jsonl": b"ciphertext"}), "secret.jsonl"))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(zip_of({"a.jsonl": jsonl(50, "a")})[:200])  # cut short: no table of contents
    report = import_all(case, path, broken)
    by_label = {f.path: f for f in report.files}
    too_deep = by_label[f"{path} > level2.zip > level3.zip > deep.jsonl"]
    assert too_deep.imported == 1  # three archives deep is still unpacked
    top = report.files[0]
    assert quarantine(case, top.source_id) == [
        ({"member": "secret.jsonl"}, "the member is encrypted; its password is not known to Casefile")
    ]
    assert "table of contents is damaged" in by_label[str(broken)].quarantined_whole
    assert all(f.reconciles for f in report.files)


def test_a_fourth_archive_deep_is_stored_and_quarantined_whole(case, tmp_path):
    data = zip_of({"deep.jsonl": jsonl(1, "deep")})
    for level in (4, 3, 2):
        data = zip_of({f"level{level}.zip": data})
    path = tmp_path / "deep.zip"
    path.write_bytes(data)
    report = import_all(case, path)
    fourth = report.files[-1]
    assert fourth.path.endswith("level3.zip > level4.zip")
    assert fourth.quarantined_whole == "a zip archive inside 3 other archives is not unpacked (too deeply nested)"


def test_the_cli_lists_the_archive_and_each_member(cli, case_path, tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(zip_of({"api.jsonl": jsonl(3, "acme"), "odd.bin": b"\x00\x01\x02\x03"}))
    code, out, err = cli("import", case_path, path, "--quiet")
    assert code == 0, err
    assert f"{path}: zip archive of 2 files: 2 unpacked" in out
    assert f"{path} > api.jsonl: read 3, imported 3" in out
    assert f"{path} > odd.bin: stored and quarantined whole: the format was not recognised" in out


def test_verify_names_a_member_moved_to_another_archive_or_path(case, tmp_path):
    import sqlite3

    path = tmp_path / "evidence.zip"
    path.write_bytes(zip_of({"logs/api.jsonl": jsonl(3, "acme"), "logs/b.jsonl": jsonl(2, "b")}))
    report = import_all(case, path)
    member, other = report.files[1].source_id, report.files[2].source_id
    assert run_to_end(verify_case(case)).ok
    case.conn.commit()
    with sqlite3.connect(case.path) as forger:  # edited outside the application
        forger.execute("UPDATE sources SET member_path = 'logs/other.jsonl' WHERE id = ?", (member,))
        forger.execute("UPDATE sources SET parent_source_id = NULL WHERE id = ?", (other,))
    result = run_to_end(verify_case(case))
    assert not result.ok
    named = {(p.table, p.id) for p in result.problems}
    assert {("sources", member), ("sources", other)} <= named
