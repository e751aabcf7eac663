"""Building real cases for the export tests: generated inputs (JSON-lines logs, .eml
emails, PDFs, PNGs) through the real import pipeline and importers."""

import json
from email.message import EmailMessage

from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files


def import_paths(case, paths, **settings) -> None:
    run_to_end(import_files(case, paths, ImportSettings(**{"timezone": "UTC", **settings})))


def write_log(path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def log_row(ts: str, prompt: str, response: str, account: str = "acct-7", model: str = "m-large") -> dict:
    return {
        "timestamp": ts,
        "account": account,
        "api_key": "sk-test-1",
        "ip": "203.0.113.9",
        "model": model,
        "status": 200,
        "prompt": prompt,
        "response": response,
        "sha256": "0" * 64,
    }  # a gateway's hash of the request: a field of the row, not the row's hash


def write_pdf(path, pages: list[tuple[str, bool]]) -> None:
    """A PDF whose pages carry the given text; True = landscape."""
    canvas = Canvas(str(path), pagesize=A4)
    for text, is_landscape in pages:
        size = landscape(A4) if is_landscape else A4
        canvas.setPageSize(size)
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, size[1] - 72, text)
        canvas.drawString(72, 30, "original footer text")
        canvas.showPage()
    canvas.save()


def write_png(path, width: int = 320, height: int = 200) -> None:
    Image.new("RGB", (width, height), (30, 120, 200)).save(path)


def write_eml(path, subject: str, date: str, body: str, attachments: list[tuple[str, str, bytes]] = ()) -> None:
    message = EmailMessage()
    message["From"] = "Dana Smith <dana@example.com>"
    message["To"] = "lee@example.org, kim@example.org"
    message["Cc"] = "counsel@example.com"
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<{abs(hash(subject))}@example.com>"
    message.set_content(body)
    for name, mime, data in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(message))
