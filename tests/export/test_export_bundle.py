"""Export a real bundle and read it back with pypdf: pages, stamps, bookmarks, links,
order, privilege, scripts, landscape pages, sidecars and load files."""

import csv
import json
import re

import pytest
from PIL import Image
from pypdf import PdfReader

from app.core.cancel import run_to_end
from app.export.bundle import ExportSettings, export_bundle
from app.export.loadfiles import read_dat
from app.export.selection import Selection
from app.store import annotations
from app.store.case_file import CaseFile
from export_builders import import_paths, log_row, write_eml, write_log, write_pdf, write_png

CJK = "模型输出 蒸馏 テスト"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("bundle")
    case = CaseFile.create(root / "c.casefile", "Northwind v. Example", "CL-2026-7", "Europe/Paris", operator="tester")
    write_log(
        root / "api.jsonl",
        [
            log_row("2026-03-02T10:00:00Z", f"Explain {CJK}", "Привет, مرحبا " + "long answer " * 200),
            log_row("2026-03-02T11:00:00Z", "second prompt", "second answer"),
            log_row("2026-03-04T09:00:00Z", "third day prompt", "answer three"),
        ],
    )
    write_pdf(root / "contract.pdf", [("Contract page one portrait", False), ("Wide schedule landscape", True)])
    write_png(root / "shot.png")
    write_pdf(root / "memo.pdf", [("Attached memo text", False)])
    write_eml(
        root / "a.eml",
        "Harvesting plan",
        "Tue, 03 Mar 2026 08:00:00 +0000",
        "We will run the scripts.",
        [
            ("memo.pdf", "application/pdf", (root / "memo.pdf").read_bytes()),
            ("notes.txt", "text/plain", b"plain attachment text"),
        ],
    )
    write_eml(root / "b.eml", "Advice from counsel", "Sun, 01 Mar 2026 08:00:00 +0000", "Privileged advice body.")
    write_log(
        root / "outputs.jsonl",
        [
            {
                "created": "2026-03-05T12:00:00Z",
                "model": "m-large",
                "conversation_id": "conv-1",
                "messages": [
                    {"role": "system", "content": "Be brief."},
                    {"role": "user", "content": "Summarise the chain-of-thought policy " + CJK},
                    {"role": "assistant", "content": "Here is the summary of the policy."},
                ],
            }
        ],
    )
    import_paths(
        case,
        [
            root / "api.jsonl",
            root / "contract.pdf",
            root / "shot.png",
            root / "a.eml",
            root / "b.eml",
            root / "outputs.jsonl",
        ],
    )
    ids = {r[1]: r[0] for r in case.conn.execute("SELECT id, coalesce(title, '') FROM items")}
    privileged = [i for t, i in ids.items() if "Advice from counsel" in t]
    annotations.tag_items(case, privileged, "PRIV-AC")
    annotations.tag_items(case, [ids["contract.pdf"]], "CONFIDENTIAL")
    out = root / "bundle.pdf"
    result = run_to_end(
        export_bundle(case, out, Selection(), ExportSettings(title="Trial bundle", loadfile=True, bates_prefix="NW"))
    )
    case.close()
    return {"root": root, "out": out, "result": result, "reader": PdfReader(str(out)), "case": root / "c.casefile"}


def page_texts(reader):
    return [page.extract_text() for page in reader.pages]


def test_every_page_has_bates_and_page_n_of_m(exported):
    reader, result = exported["reader"], exported["result"]
    assert len(reader.pages) == result.pages
    for index, text in enumerate(page_texts(reader)):
        assert f"NW{index + 1:07d}" in text
        assert f"Page {index + 1} of {len(reader.pages)}" in text


def test_one_bookmark_per_exhibit_pointing_at_its_first_page(exported):
    reader = exported["reader"]
    outline = reader.outline
    assert len(outline) == exported["result"].exhibits + 1  # + the certificate
    texts = page_texts(reader)
    for entry in outline[:-1]:
        label = entry.title.split()[0]
        page = reader.get_destination_page_number(entry)
        assert f"Exhibit {label}" in texts[page]
        assert page == 0 or f"Exhibit {label}" not in texts[page - 1]
    assert "Certificate of hashes" in texts[reader.get_destination_page_number(outline[-1])]
    assert reader.page_mode == "/UseOutlines"
    assert reader.trailer["/Root"]["/OpenAction"][1] == "/XYZ"
    assert reader.trailer["/Root"]["/OpenAction"][4] == 1
    assert "Trial bundle" in reader.metadata.title and reader.metadata.subject


def test_index_links_resolve_to_exhibit_first_pages(exported):
    reader = exported["reader"]
    first_pages = {reader.get_destination_page_number(e) for e in reader.outline}
    targets = set()
    for page in reader.pages[1:3]:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                targets.add(reader.get_page_number(annot["/Dest"][0].get_object()))
    assert targets == first_pages


def test_exhibits_are_chronological_and_privileged_items_absent(exported):
    reader = exported["reader"]
    starts = [(reader.get_destination_page_number(e), e.title) for e in reader.outline[:-1]]
    dates = [re.search(r"\d{4}-\d{2}-\d{2}|undated", title).group(0) for _, title in starts]
    dated = [d for d in dates if d != "undated"]
    assert dated == sorted(dated) and dates[: len(dated)] == dated
    assert [p for p, _ in starts] == sorted(p for p, _ in starts)
    whole = "\n".join(page_texts(reader))
    assert "Privileged advice body" not in whole and "Advice from counsel" not in whole
    with open(exported["root"] / "bundle.privilege-log.csv", encoding="utf-8-sig") as handle:
        log = list(csv.DictReader(handle))
    assert len(log) == 1 and log[0]["Basis"] == "AC" and log[0]["Withheld or redacted"] == "Withheld"
    assert "Advice" not in log[0]["Description"]


def test_cjk_cyrillic_arabic_text_is_extractable(exported):
    whole = "\n".join(page_texts(exported["reader"]))
    assert "模型输出" in whole and "テスト" in whole and "Привет" in whole


def test_output_shows_model_time_and_turns(exported):
    texts = page_texts(exported["reader"])
    page = [t for t in texts if "Here is the summary of the policy." in t]
    assert page and "m-large" in page[0] and "2026-03-05 12:00:00 UTC" in page[0] and "SYSTEM" in page[0]


def test_landscape_page_stays_landscape_and_is_stamped(exported):
    reader = exported["reader"]
    found = False
    for index, page in enumerate(reader.pages):
        text = page.extract_text()
        if "Wide schedule landscape" in text:
            found = True
            assert float(page.mediabox.width) > float(page.mediabox.height)
            assert f"NW{index + 1:07d}" in text and "CONFIDENTIAL" in text
    assert found


def test_dat_and_opt_match_the_bundle(exported):
    root, reader = exported["root"], exported["reader"]
    docs = read_dat(root / "bundle.dat")
    assert (root / "bundle.dat").read_bytes().startswith(b"\xef\xbb\xbf\xc3\xbe")
    opt = (root / "bundle.opt").read_text(encoding="cp1252").splitlines()
    assert len(opt) == len(reader.pages)
    breaks = [line.split(",")[0] for line in opt if line.split(",")[3] == "Y"]
    assert breaks == [d["BEGBATES"] for d in docs]
    exhibits = list(csv.DictReader(open(root / "bundle.exhibits.csv", encoding="utf-8-sig")))
    for exhibit in exhibits:
        mine = [d for d in docs if d["EXHIBIT"] == exhibit["Exhibit"]]
        assert mine[0]["BEGBATES"] == exhibit["Bates begin"] and mine[-1]["ENDBATES"] == exhibit["Bates end"]
        assert all(d["BEGATTACH"] == exhibit["Bates begin"] for d in mine)
    email = [d for d in docs if d["SUBJECT"] == "Harvesting plan"][0]
    attachments = [d for d in docs if d["PARENTID"] == email["DOCID"]]
    assert {d["FILENAME"] for d in attachments} == {"memo.pdf", "notes.txt"}
    assert "Dana" in email["FROM"] or "dana@example.com" in email["FROM"]


def test_production_recorded_and_audited(exported):
    with CaseFile.open(exported["case"]) as case:
        rows = case.conn.execute("SELECT bates_first, bates_last, page_count, pdf_sha256 FROM productions").fetchall()
        actions = [r[0] for r in case.conn.execute("SELECT action FROM audit")]
    assert rows[0][:3] == (1, exported["result"].pages, exported["result"].pages)
    assert rows[0][3] == exported["result"].files["bundle.pdf"]
    assert "production.create" in actions


def test_hash_manifest_lists_every_source_and_exhibit_item(exported):
    with open(exported["root"] / "bundle.hashes.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    with CaseFile.open(exported["case"]) as case:
        sources = dict(case.conn.execute("SELECT original_name, sha256 FROM sources").fetchall())
        produced = case.conn.execute("SELECT item_ids FROM production_exhibits").fetchall()
    listed = {r["Name"]: r["SHA-256"] for r in rows if r["Record"] == "source"}
    assert listed == {name: sha for name, sha in sources.items() if name != "b.eml"}  # b.eml is withheld
    items = [r for r in rows if r["Record"] == "item"]
    assert len(items) == sum(len(json.loads(r[0])) for r in produced)
    memo = [r for r in items if r["Name"] == "attachment" and r["Size (bytes)"]]
    assert memo and all(len(r["MD5"]) == 32 and len(r["SHA-256"]) == 64 for r in memo)
    log_rows = [r for r in items if r["Name"] == "log_entry"]
    assert log_rows and all(r["SHA-256"] == "" for r in log_rows)  # the log's own "sha256" column is not it


def test_arabic_is_shaped_right_to_left_with_its_logical_text_attached(exported):
    logical = "مرحبا".encode("utf-16-be").hex().upper()
    pages = [p for p in exported["reader"].pages if "Привет" in p.extract_text()]
    content = pages[0].get_contents().get_data().decode("latin-1")
    assert "/ActualText" in content and logical in content
    shaped = pages[0].extract_text()
    assert any(0xFE70 <= ord(c) <= 0xFEFF for c in shaped)  # joined (presentation) letter forms drawn


def test_dat_textlinks_point_at_each_documents_text(exported):
    root = exported["root"]
    docs = [d for d in read_dat(root / "bundle.dat") if d["TEXTLINK"]]
    assert docs and all((root / d["TEXTLINK"].replace("\\", "/")).is_file() for d in docs)
    email = [d for d in docs if d["SUBJECT"] == "Harvesting plan"][0]
    assert "We will run the scripts." in (root / email["TEXTLINK"].replace("\\", "/")).read_text(encoding="utf-8")
    with CaseFile.open(exported["case"]) as case:
        sidecars = json.loads(case.conn.execute("SELECT sidecars FROM productions").fetchone()[0])
    assert set(sidecars) == {
        "bundle.exhibits.csv",
        "bundle.privilege-log.csv",
        "bundle.hashes.csv",
        "bundle.chain-head.json",
        "bundle.dat",
        "bundle.opt",
        "bundle_TEXT",
        "bundle_IMAGES",
        "bundle_NATIVES",
    }


def test_the_opt_names_an_image_of_every_page_as_a_review_platform_loads_it(exported):
    root, reader = exported["root"], exported["reader"]
    with open(root / "bundle.opt", encoding="cp1252") as handle:
        lines = [line.rstrip("\r\n").split(",") for line in handle]
    assert len(lines) == len(reader.pages) and len({line[0] for line in lines}) == len(lines)
    images = [root / line[2].replace("\\", "/") for line in lines]
    assert all(path.is_file() and path.stem == line[0] for path, line in zip(images, lines))  # named by Bates number
    first = Image.open(images[0])
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert first.format == "TIFF" and first.mode == "1" and first.info["dpi"][0] == 300
    assert abs(first.size[0] - width * 300 / 72) < 1.5 and abs(first.size[1] - height * 300 / 72) < 1.5
    screenshot = [i for i, text in enumerate(page_texts(reader)) if "shot.png" in text]
    assert screenshot and images[screenshot[0]].suffix == ".jpg"  # a page in colour keeps its colour
    stamped = Image.open(images[-1]).convert("L").crop((0, first.size[1] - 200, first.size[0], first.size[1]))
    assert stamped.getextrema()[0] == 0  # the Bates band is on the image too


def test_a_withheld_log_rows_own_from_and_to_columns_are_not_its_author_or_recipients(tmp_path):
    case = CaseFile.create(tmp_path / "c.casefile", "Columns", operator="tester")
    row = {
        **log_row("2026-03-02T10:00:00Z", "Ask counsel", "Counsel says"),
        "from": "spoof@harvest.example",
        "to": "someone@harvest.example",
    }
    write_log(tmp_path / "api.jsonl", [row, log_row("2026-03-02T11:00:00Z", "other", "row")])
    import_paths(case, [tmp_path / "api.jsonl"])
    annotations.tag_items(case, [1], "PRIV-AC")
    run_to_end(export_bundle(case, tmp_path / "b.pdf", Selection(), ExportSettings()))
    case.close()
    with open(tmp_path / "b.privilege-log.csv", encoding="utf-8-sig") as handle:
        withheld = list(csv.DictReader(handle))
    assert [(r["Document type"], r["Author"], r["To"]) for r in withheld] == [("log entry", "acct-7", "")]
