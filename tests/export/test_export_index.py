"""A long index over several pages, hand-made exhibits, log grouping by account, Letter pages."""

import re
from datetime import datetime, timedelta, timezone

from pypdf import PdfReader

from app.core.cancel import run_to_end
from app.export import bundle
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from app.store import annotations
from export_builders import import_paths, log_row, write_log

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _days(count: int) -> list[dict]:
    return [
        log_row(
            (START + timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            f"prompt {n}",
            f"answer {n}",
            account=f"acct-{n % 3}",
        )
        for n in range(count)
    ]


def _link_targets(reader, pages) -> list[int]:
    targets = []
    for page in pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            targets.append(reader.get_page_number(annot["/Dest"][0].get_object()))
    return targets


def test_index_over_several_pages_links_every_exhibit(case, tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "PART_PAGES", 10)  # drawn pages spread over several part files
    write_log(tmp_path / "api.jsonl", _days(80))
    import_paths(case, [tmp_path / "api.jsonl"])
    result = run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings(page_size="Letter")))
    reader = PdfReader(str(tmp_path / "b.pdf"))
    assert result.exhibits == 80 and float(reader.pages[0].mediabox.height) == 792
    first_pages = [reader.get_destination_page_number(e) for e in reader.outline]
    index_pages = range(1, first_pages[0])
    assert len(index_pages) >= 3
    assert _link_targets(reader, [reader.pages[i] for i in index_pages]) == first_pages
    for n, page in enumerate(first_pages[:-1]):
        text = reader.pages[page].extract_text()
        assert f"PX-{n + 1:04d}" in text and f"answer {n}" in text


def test_hand_made_exhibit_and_grouping_by_account(case, tmp_path):
    write_log(tmp_path / "api.jsonl", _days(6))
    import_paths(case, [tmp_path / "api.jsonl"])
    exhibit_id = annotations.create_exhibit(case, "Key rows chosen by counsel", [5, 2])
    reader_for = lambda name: PdfReader(str(tmp_path / name))  # noqa: E731
    run_to_end(export_bundle(case, tmp_path / "m.pdf", Selection(exhibit_ids=[exhibit_id]), ExportSettings()))
    titles = [e.title for e in reader_for("m.pdf").outline]
    assert len(titles) == 2 and "Key rows chosen by counsel" in titles[0]
    run_to_end(export_bundle(case, tmp_path / "a.pdf", Selection(), ExportSettings(log_group=["source", "account"])))
    assert len(reader_for("a.pdf").outline) == 3 + 1  # three accounts + the certificate


def test_long_content_paginates_and_nothing_is_cut_off(case, tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "PART_PAGES", 2)  # one long exhibit spread over several part files
    words = " ".join(f"w{n}" for n in range(4000))
    write_log(tmp_path / "api.jsonl", [log_row("2026-02-01T00:00:00Z", "ж" * 700, words)])
    import_paths(case, [tmp_path / "api.jsonl"])
    result = run_to_end(export_bundle(case, tmp_path / "long.pdf", Selection(), ExportSettings()))
    reader = PdfReader(str(tmp_path / "long.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert result.pages > 6 and text.count("ж") == 700
    found = [int(m) for m in __import__("re").findall(r"\bw(\d+)\b", text)]
    assert found == list(range(4000))
    assert "(continued)" in reader.pages[3].extract_text()


def test_a_long_source_name_never_hides_the_short_hash_in_the_index(case, tmp_path):
    path = tmp_path / ("api-gateway-export-of-every-request-from-the-harvesting-accounts-" * 3 + ".jsonl")
    write_log(path, _days(2))
    import_paths(case, [path])
    run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings()))
    reader = PdfReader(str(tmp_path / "b.pdf"))
    index_text = reader.pages[1].extract_text()
    record_hashes = [r[0][:12] for r in case.conn.execute("SELECT content_hash FROM items ORDER BY ts_us")]
    assert re.findall(r"SHA-256 ([0-9a-f]{12})", index_text) == record_hashes  # one-item exhibits: the record hash
    assert "api-gateway-export" in index_text and "..." in index_text  # the name is what was shortened
