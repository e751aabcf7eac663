"""Redactions burned into a production and proved gone.

Planted secrets sit in an email body, its attachment, a log row's response and the text
layer of a PDF with a portrait and a landscape page; they are redacted by literal text,
a built-in pattern, a regular expression, a text span and a box. After the export no
secret is found by pypdf or PDFium, in decompressed content streams, metadata, the
sidecars or the load file, while the text around each one is still there.
"""

import zlib

import pypdfium2
import pytest
from pypdf import PdfReader

from app.core.cancel import run_to_end
from app.export import loadfiles, redaction_marks
from app.export.bundle import ExportSettings, export_bundle
from app.export.redaction_proof import RedactedTextFound
from app.export.selection import Selection
from app.store import redactions
from export_builders import import_paths, log_row, write_eml, write_log, write_pdf, write_png

EMAIL_SECRET = "Margaret Oyelaran-Whitcombe"
ATTACHMENT_SECRET = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e"
LOG_SECRET = "customer.jane@privatemail.example"
PDF_SECRET = "PROJECT-NIGHTJAR-7731"
BOXED = "BOXEDWORDS-QX81"
SPAN_SECRET = "the settlement figure of 4,250,000"
SECRETS = [EMAIL_SECRET, ATTACHMENT_SECRET, LOG_SECRET, PDF_SECRET, BOXED, SPAN_SECRET]
KEEP = [
    "Before the name",
    "after the name",
    "Key follows",
    "Thanks for the answer",
    "Portrait intro",
    "Landscape intro",
]


def _planted(case, tmp_path):
    write_eml(
        tmp_path / "a.eml",
        "Quarterly numbers",
        "Mon, 02 Mar 2026 10:00:00 +0000",
        f"Before the name {EMAIL_SECRET} after the name.\nWe discussed {SPAN_SECRET} in confidence.\n",
        [("creds.txt", "text/plain", f"Key follows: {ATTACHMENT_SECRET} end of key.\n".encode())],
    )
    write_log(
        tmp_path / "log.jsonl",
        [
            log_row("2026-03-01T10:00:00Z", "Who asked?", f"Thanks for the answer, mail {LOG_SECRET} soon."),
            log_row("2026-03-01T10:01:00Z", "Another prompt", "Nothing private here."),
        ],
    )
    write_pdf(
        tmp_path / "doc.pdf",
        [
            (f"Portrait intro {PDF_SECRET} portrait outro", False),
            (f"Landscape intro {PDF_SECRET} landscape outro", True),
        ],
    )
    _pdf_with_box_text(tmp_path / "boxed.pdf")
    write_png(tmp_path / "photo.png", 200, 100)
    import_paths(case, [tmp_path / n for n in ("a.eml", "log.jsonl", "doc.pdf", "boxed.pdf", "photo.png")])
    ids = {}
    for item_id, kind, title in case.conn.execute("SELECT id, kind, title FROM items"):
        ids.setdefault(kind, []).append((item_id, title))
    return ids


def _pdf_with_box_text(path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(72, 700, "Visible left part")
    canvas.drawString(300, 700, BOXED)
    canvas.showPage()
    canvas.save()


def _item(ids, kind, contains=""):
    return next(i for i, title in ids[kind] if contains in (title or ""))


def _redact_all(case, ids):
    email = _item(ids, "email")
    attachment = _item(ids, "attachment")
    text = case.conn.execute("SELECT text FROM item_details WHERE id = ?", (email,)).fetchone()[0]
    start = text.index(SPAN_SECRET)
    redactions.redact_span(case, email, start, start + len(SPAN_SECRET), "privileged")
    run = lambda rule: run_to_end(redactions.find_matches(case.conn, rule))  # noqa: E731
    rule = {"literal": EMAIL_SECRET}
    redactions.redact_matches(case, rule, "personal", run(rule))
    rule = {"pattern": "api-key", "item_ids": [attachment]}
    redactions.redact_matches(case, rule, "REDACT-CONFIDENTIAL", run(rule))
    rule = {"pattern": "email"}
    found = run(rule)
    redactions.redact_matches(case, rule, "Personal data", found)
    rule = {"regex": r"PROJECT-NIGHTJAR-\d+"}
    redactions.redact_matches(case, rule, "confidential", run(rule))
    boxed = _boxed_doc(case)
    redactions.redact_box(case, boxed, 1, (290, 690, 460, 720), "confidential")
    doc = next(i for i, t in ids["document"] if i != boxed)
    redactions.redact_box(case, doc, 2, (60, 20, 260, 50), "non-responsive")  # the landscape page's footer
    photo = ids["image"][0][0]
    redactions.redact_box(case, photo, 1, (20, 20, 120, 60), "personal")
    return found


def _boxed_doc(case):
    return case.conn.execute(
        "SELECT i.id FROM items i JOIN sources s ON s.id = i.source_id WHERE s.original_name = 'boxed.pdf'"
    ).fetchone()[0]


def _normal(text):
    return "".join(text.split())


def _export(case, tmp_path, **settings):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    result = run_to_end(export_bundle(case, out / "bundle.pdf", Selection(), ExportSettings(loadfile=True, **settings)))
    return out, result


@pytest.fixture
def exported(case, tmp_path):
    ids = _planted(case, tmp_path)
    found = _redact_all(case, ids)
    out, result = _export(case, tmp_path)
    return {"ids": ids, "out": out, "result": result, "case": case, "found": found}


def test_no_secret_survives_anywhere_a_reader_can_look(exported):
    out = exported["out"]
    pdf = out / "bundle.pdf"
    reader = PdfReader(str(pdf))
    pypdf_text = _normal(" ".join(p.extract_text() for p in reader.pages))
    document = pypdfium2.PdfDocument(str(pdf))
    pdfium_text = _normal(" ".join(document[i].get_textpage().get_text_range() for i in range(len(document))))
    streams = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 -- free entries of the xref
            continue
        if hasattr(obj, "get_data") and obj.get("/Subtype") not in ("/Image", "/FontFile2") and "/Length1" not in obj:
            try:
                streams.append(obj.get_data().decode("latin-1"))
            except (zlib.error, ValueError, NotImplementedError):
                continue
    stream_text = _normal(" ".join(streams))
    metadata = " ".join(str(v) for v in (reader.metadata or {}).values())
    files = {p: p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file() and p != pdf}
    sidecar_text = _normal(" ".join(files.values()))
    for secret in SECRETS:
        key = _normal(secret)
        assert key not in pypdf_text, secret
        assert key not in pdfium_text, secret
        assert key not in stream_text, secret
        assert key not in _normal(metadata), secret
        assert key not in sidecar_text, secret
    for kept in KEEP:
        assert _normal(kept) in pypdf_text and _normal(kept) in pdfium_text, kept
    assert "Visibleleftpart" in pypdf_text  # the boxed page's text outside the box is rebuilt
    for name in ("Personal data", "Confidential", "Privileged"):
        assert _normal(f"Redacted - {name}") in pdfium_text


def test_each_redacted_page_carries_its_label_and_is_logged(exported):
    out = exported["out"]
    reader = PdfReader(str(out / "bundle.pdf"))
    texts = [p.extract_text() for p in reader.pages]
    log = (out / "bundle.redactions.csv").read_text(encoding="utf-8-sig").splitlines()
    assert log[0].startswith("Bates page,Exhibit,Item,Reason")
    pages = {line.split(",")[0] for line in log[1:]}
    assert "not drawn" not in " ".join(pages)
    for bates in pages:
        index = int(bates[2:]) - 1
        assert "Redacted -" in _normal(texts[index]).replace("Redacted-", "Redacted -"), bates
    # the portrait and the landscape page of the PDF each carry a box
    landscape = [i for i, p in enumerate(reader.pages) if "Landscapeintro" in _normal(texts[i])]
    assert (
        landscape
        and float(reader.pages[landscape[0]].mediabox.width) > float(reader.pages[landscape[0]].mediabox.height) - 50
    )
    assert "Redacted-Confidential" in _normal(texts[landscape[0]])
    assert "Redacted-Non-responsive" in _normal(texts[landscape[0]])
    assert "originalfootertext" not in _normal(texts[landscape[0]])  # under the box
    assert "originalfootertext" in _normal(texts[landscape[0] - 1])  # the portrait page's is not boxed


def test_load_file_dat_manifest_and_privilege_log_come_from_the_redacted_version(exported):
    out, ids, case = exported["out"], exported["ids"], exported["case"]
    rows = loadfiles.read_dat(out / "bundle.dat")
    assert rows and not any(_normal(s) in _normal(" ".join(r.values())) for r in rows for s in SECRETS)
    texts = " ".join(p.read_text(encoding="utf-8") for p in (out / "bundle_TEXT").iterdir())
    assert "[Redacted - Personal data]" in texts and "Before the name" in texts
    manifest = (out / "bundle.hashes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert manifest[0].endswith("Produced copy SHA-256")
    email = _item(ids, "email")
    row = next(line for line in manifest if line.startswith(f"item,{email},"))
    original, produced = row.split(",")[5], row.split(",")[-1]
    assert len(produced) == 64 and produced != original
    privilege = (out / "bundle.privilege-log.csv").read_text(encoding="utf-8-sig")
    rows = privilege.splitlines()[1:]
    assert rows and all(",Redacted," in row for row in rows)
    exhibit_list = (out / "bundle.exhibits.csv").read_text(encoding="utf-8-sig")
    assert "\ue000" not in exhibit_list
    certificate = " ".join(p.extract_text() for p in PdfReader(str(out / "bundle.pdf")).pages[-3:])
    assert "pypdfandPDFium" in _normal(certificate)
    assert "none found" in exported["result"].redaction_check
    assert case.conn.execute("SELECT count(*) FROM productions").fetchone()[0] == 1


def test_an_export_whose_check_finds_a_secret_fails_and_leaves_no_files(case, tmp_path, monkeypatch):
    ids = _planted(case, tmp_path)
    _redact_all(case, ids)
    skip = redaction_marks.ItemRedactor.item

    def leaky(self, item):  # the burner "forgets" the log row's redaction
        return item if LOG_SECRET in str(item.get("fields")) else skip(self, item)

    monkeypatch.setattr(redaction_marks.ItemRedactor, "item", leaky)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RedactedTextFound, match=r"page CF\d{7}"):
        run_to_end(export_bundle(case, out / "bundle.pdf", Selection(), ExportSettings(loadfile=True)))
    assert list(out.iterdir()) == []
    assert case.conn.execute("SELECT count(*) FROM productions").fetchone()[0] == 0


def test_a_redacted_pdf_carries_no_metadata_annotations_or_attachments(case, tmp_path):
    from pypdf import PdfWriter
    from pypdf.annotations import Text

    write_pdf(tmp_path / "plain.pdf", [(f"Intro {PDF_SECRET} outro", False), ("A clean second page", False)])
    letter = PdfWriter(clone_from=str(tmp_path / "plain.pdf"))
    letter.add_metadata({"/Title": f"About {PDF_SECRET}", "/Author": "Hidden Author Name"})
    letter.add_annotation(1, Text(text="Reviewer note on the clean page", rect=(400, 700, 420, 720)))
    letter.add_attachment("secret.txt", b"attached secret bytes")
    letter.write(str(tmp_path / "letter.pdf"))
    import_paths(case, [tmp_path / "letter.pdf"])
    rule = {"literal": PDF_SECRET}
    redactions.redact_matches(case, rule, "confidential", run_to_end(redactions.find_matches(case.conn, rule)))
    out, result = _export(case, tmp_path)
    reader = PdfReader(str(out / "bundle.pdf"))
    letter_pages = [p for p in reader.pages if "Intro" in p.extract_text() or "clean second" in p.extract_text()]
    assert len(letter_pages) == 2 and not any("/Annots" in page for page in letter_pages)
    raw = (out / "bundle.pdf").read_bytes()
    assert b"Hidden Author Name" not in raw and b"EmbeddedFile" not in raw and b"attached secret" not in raw
    text = _normal(" ".join(p.extract_text() for p in reader.pages))
    assert _normal(PDF_SECRET) not in text and "Acleansecondpage" in text
    assert "Intro" in text and "outro" in text
