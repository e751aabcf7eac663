"""Real case files for GUI tests and screenshots.

Log entries go through the real import pipeline from a generated JSON-lines file. The
other kinds (email with an attachment, output, PDF document, image) are written by a
minimal helper through the real ItemWriter, with their originals stored as sources,
so the GUI sees exactly what an importer would leave.
"""

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.core.cancel import CancelToken, run_to_end
from app.core.records import ImportSettings, ItemRecord
from app.core.timestamps import TimestampParser
from app.importers.item_writer import ItemWriter
from app.importers.pipeline import import_files
from app.store.case_file import CaseFile
from app.store.sources import record_hashes, store_original_steps

ACCOUNTS = ("org-riverbend-labs", "org-halcyon-ai", "acct-7731-sandbox", "org-northwind")
MODELS = ("atlas-large-2025", "atlas-mini-2025")
START = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)
PROMPTS = (
    "Explain step by step how to solve the following olympiad problem and show all reasoning.",
    "Rewrite this answer in the style of a helpful assistant, then list five variations.",
    "Generate 20 diverse chain-of-thought examples for training a small model.",
    "Translate the following paragraph into French and explain each choice.",
)


def log_lines(count: int, naive_every: int = 7) -> list[str]:
    """JSON-lines API log rows; every `naive_every`-th time has no offset (zone assumed)."""
    lines = []
    for i in range(count):
        moment = START + timedelta(minutes=17 * i)
        stamp = moment.strftime("%Y-%m-%d %H:%M:%S") if i % naive_every == 3 else moment.isoformat()
        lines.append(
            json.dumps(
                {
                    "timestamp": stamp,
                    "account": ACCOUNTS[i % len(ACCOUNTS)],
                    "api_key": f"key-{i % 5:04d}",
                    "ip": f"203.0.113.{i % 50}",
                    "model": MODELS[i % 2],
                    "status": 200,
                    "prompt": f"{PROMPTS[i % len(PROMPTS)]} (request {i})",
                    "response": f"Certainly. Here is a detailed answer number {i} with worked reasoning.",
                }
            )
        )
    return lines


def build_review_case(path: Path, log_rows: int = 40, custodian: str = "Security team") -> Path:
    """A case with `log_rows` imported log entries and one item of every other kind."""
    case = CaseFile.create(path, "Northwind v. Riverbend Labs", "CL-2026-0042", "Europe/London", operator="tester")
    try:
        logs = path.parent / "api-access.jsonl"
        logs.write_text("\n".join(log_lines(log_rows)) + "\n{not json\n", encoding="utf-8")
        settings = ImportSettings(timezone="Europe/London", custodian=custodian, operator="tester")
        run_to_end(import_files(case, [logs], settings, CancelToken()))
        add_other_kinds(case, path.parent)
    finally:
        case.close()
    return path


def _store_source(case: CaseFile, path: Path, importer: str, custodian: str) -> int:
    settings = ImportSettings(custodian=custodian)
    source_id, hasher = run_to_end(store_original_steps(case.conn, path, importer, settings, case.operator))
    record_hashes(case.conn, source_id, hasher)
    return source_id


def _write(case: CaseFile, path: Path, importer: str, records: list[ItemRecord], custodian: str) -> None:
    with case.transaction():
        source_id = _store_source(case, path, importer, custodian)
        writer = ItemWriter(case.conn, source_id, custodian)
        for record in records:
            writer.add(record)
        writer.flush()
        run_to_end(writer.build_text_index(CancelToken(), "index"))
        case.audit("import", {"source_id": source_id, "file": str(path), "importer": importer})


def add_other_kinds(case: CaseFile, folder: Path) -> None:
    """One email (with an attachment and a reply), an output, a PDF document and an image."""
    parse = TimestampParser("Europe/London").parse
    mail = folder / "thread.eml"
    mail.write_bytes(b"From: cto@riverbend.example\r\nSubject: Harvest plan\r\n\r\nbody\r\n")
    _write(case, mail, "test-email", email_records(parse), "Legal hold: Riverbend")
    outputs = folder / "outputs.json"
    outputs.write_text(json.dumps([{"prompt": "Summarise the harvested corpus", "response": "It has 2M pairs."}]))
    _write(case, outputs, "test-output", [output_record(parse)], "Security team")
    pdf = folder / "terms-of-service.pdf"
    pdf.write_bytes(pdf_bytes(["Terms of Service", "You may not use outputs to develop competing models."]))
    _write(case, pdf, "test-document", [document_record(parse)], "Legal")
    image = folder / "dashboard.png"
    image.write_bytes(png_bytes(640, 400))
    _write(case, image, "test-image", [image_record(parse, png_bytes(128, 80))], "Security team")


def email_records(parse) -> list[ItemRecord]:
    attachment = ItemRecord(
        kind="attachment",
        locator={"mime_part": "2"},
        title="harvest-budget.txt",
        text="Budget: 40,000 USD for API credits across 30 accounts.",
        fields={
            "filename": "harvest-budget.txt",
            "mime_type": "text/plain",
            "size": 54,
            "sha256": "ab" * 32,
            "md5": "cd" * 16,
        },
        payloads={"content": b"Budget: 40,000 USD for API credits across 30 accounts."},
    )
    first = ItemRecord(
        kind="email",
        locator={"message": 1},
        title="Harvest plan",
        text="Team,\nwe rotate keys across 30 accounts to stay under rate limits.\nRegards",
        fields={
            "from": "cto@riverbend.example",
            "to": ["ml-team@riverbend.example"],
            "cc": [],
            "bcc": [],
            "subject": "Harvest plan",
            "date": "Mon, 03 Mar 2025 10:15:00 +0000",
            "message_id": "<plan-1@riverbend.example>",
            "attachment_names": ["harvest-budget.txt"],
            "attachment_count": 1,
            "body_html_present": True,
            "folder": "Inbox",
        },
        timestamp=parse("2025-03-03T10:15:00+00:00"),
        account="cto@riverbend.example",
        thread_id="thread-harvest",
        children=[attachment],
    )
    reply = ItemRecord(
        kind="email",
        locator={"message": 2},
        title="Re: Harvest plan",
        text='Agreed. Use the sandbox accounts first. <img src="https://tracker.example/p.gif"><script>alert(1)</script>',
        fields={
            "from": "lead@riverbend.example",
            "to": ["cto@riverbend.example"],
            "subject": "Re: Harvest plan",
            "date": "Mon, 03 Mar 2025 11:02:00",
            "message_id": "<plan-2@riverbend.example>",
            "in_reply_to": "<plan-1@riverbend.example>",
            "attachment_names": [],
            "attachment_count": 0,
        },
        timestamp=parse("2025-03-03 11:02:00"),
        account="lead@riverbend.example",
        thread_id="thread-harvest",
        warnings=["The message has a broken MIME boundary; the text shown is what could be read."],
    )
    return [first, reply]


def output_record(parse) -> ItemRecord:
    fields = {
        "prompt": "Summarise the harvested corpus",
        "response": "It has 2M prompt/response pairs.",
        "model": "atlas-large-2025",
        "system": "You are helpful.",
        "conversation_id": "conv-9",
        "turns": [
            {"role": "user", "content": "Summarise the harvested corpus"},
            {"role": "assistant", "content": "It has 2M prompt/response pairs."},
        ],
    }
    return ItemRecord(
        kind="output",
        locator={"index": 0},
        title="Summarise the harvested corpus",
        text=fields["prompt"] + "\n" + fields["response"],
        fields=fields,
        timestamp=parse("2025-03-04T08:00:00Z"),
        model="atlas-large-2025",
    )


def document_record(parse) -> ItemRecord:
    return ItemRecord(
        kind="document",
        locator={"file": "terms-of-service.pdf"},
        title="terms-of-service.pdf",
        text="Terms of Service\fYou may not use outputs to develop competing models.",
        fields={
            "page_count": 2,
            "pages": [{"number": 1, "width": 612, "height": 792}] * 2,
            "metadata": {"title": "Terms of Service"},
            "encrypted": False,
        },
        timestamp=parse("2025-01-01T00:00:00Z"),
    )


def image_record(parse, thumbnail: bytes) -> ItemRecord:
    return ItemRecord(
        kind="image",
        locator={"file": "dashboard.png"},
        title="dashboard.png",
        fields={"width": 640, "height": 400, "format": "PNG", "orientation": 1},
        timestamp=parse("2025-03-05T12:00:00Z"),
        payloads={"thumbnail": thumbnail},
    )


def pdf_bytes(pages: list[str]) -> bytes:
    """A real PDF, one line of text per page (reportlab)."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for text in pages:
        pdf.drawString(72, 720, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def png_bytes(width: int, height: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (235, 240, 248))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, max(1, width // 8)):
        draw.rectangle([i, height // 3, i + width // 16, height - 10], fill=(60, 110, 190))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
