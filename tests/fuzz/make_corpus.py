"""Writes the fuzzers' seed files into tests/fuzz/corpus/ (run again after changing it):

    python tests/fuzz/make_corpus.py [NAME ...]

One small, well-formed file per importer, built with the project's own builders (the
e-mail tests' MIME, mailbox and Outlook builders; reportlab for the PDF; Pillow for the
images), so no third-party sample and no licence to carry (the PDF and the MIME boundaries
differ from run to run: the committed files are the seeds). Each file's name says which
importer reads it (see fuzz_harness.SEEDS).
"""

import io
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent / "email")]

from email_builders import build_msg, mbox_of, simple_message  # noqa: E402

CORPUS = HERE / "corpus"
HEADERS = (
    "Received: from relay.example.com by mx.example.com; Tue, 1 Jul 2025 10:00:03 +0000\r\n"
    "From: Alice <alice@example.com>\r\nTo: =?utf-8?q?B=C3=B6b?= <bob@example.com>\r\n"
    "Subject: =?utf-8?B?5YWz5LqO?= export\r\nDate: Tue, 1 Jul 2025 10:00:00 +0000\r\n"
    "Message-ID: <reply@example.com>\r\nIn-Reply-To: <root@example.com>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
)


def _nested_message() -> bytes:
    """Alternative text/HTML, an attached message, encoded words, a PDF-less attachment."""
    inner = simple_message(subject="=?utf-8?q?Inner_r=C3=A9sum=C3=A9?=", body="Inner body.")
    return (
        b"From: =?utf-8?b?5byg5LiJ?= <zhang@example.cn>\nTo: Bob <bob@example.com>, carol@example.com\n"
        b"Subject: =?UTF-8?B?5YWz5LqO?= report\nDate: Wed, 02 Jul 2025 09:30:00 +0800\n"
        b"Received: from relay.example.com by mx.example.com; Wed, 02 Jul 2025 09:30:05 +0800\n"
        b"Message-ID: <root.1@example.cn>\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="MIX"\n\n--MIX\n'
        b'Content-Type: multipart/alternative; boundary="ALT"\n\n--ALT\n'
        b"Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
        b"Caf=E9 notes.\n--ALT\nContent-Type: text/html; charset=utf-8\n\n"
        b"<p>Caf\xc3\xa9 <b>notes</b></p>\n--ALT--\n"
        b"--MIX\nContent-Type: message/rfc822\n\n" + inner + b"\n--MIX\n"
        b'Content-Type: text/csv; name="rows.csv"\nContent-Disposition: attachment; filename="rows.csv"\n'
        b"Content-Transfer-Encoding: base64\n\nYSxiCjEsMgo=\n--MIX--\n"
    )


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Distillation report: 40,000 prompts harvested.")
    page.showPage()
    page.drawString(72, 720, "Page two.")
    page.save()
    return out.getvalue()


def _image(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", (16, 12), (30, 90, 200))
    exif = Image.Exif()
    exif[0x0132] = "2025:03:01 10:00:00"  # DateTime
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def seeds() -> dict[str, bytes]:
    msg = build_msg(
        {
            "subject": "Quarterly export",
            "body": "Body of the Outlook message.",
            "sender_name": "Alice",
            "sender_email": "alice@example.com",
            "date": datetime(2025, 7, 1, 10, 0, tzinfo=timezone.utc),
            "recipients": [("Bob", "bob@example.com", 1)],
            "attachments": [{"name": "a.txt", "data": b"attached text", "mime": "text/plain"}],
        }
    )
    log_rows = [
        {
            "timestamp": "2025-03-01T10:00:0%dZ" % i,
            "api_key": "sk-abc%d" % i,
            "ip": "203.0.113.%d" % i,
            "status": 200,
            "model": "orion-7",
            "prompt_tokens": 12 * i,
        }
        for i in range(4)
    ]
    outputs = [
        {"prompt": "What is 2+2?", "response": "4", "model": "m1"},
        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]},
        {"conversations": [{"from": "human", "value": "Q"}, {"from": "gpt", "value": "A"}]},
    ]
    return {
        "message.eml": simple_message(subject="Seed", attachments=[("notes.txt", "text/plain", b"hello")]),
        "nested.eml": _nested_message(),
        "mailbox.mbox": mbox_of([simple_message(subject="One"), _nested_message(), simple_message(subject="Three")]),
        "outlook.msg": msg,
        "headers.msg": build_msg(
            {
                "subject": "With transport headers",
                "body": "Body.",
                "sender_name": "Alice",
                "sender_email": "alice@example.com",
                "headers": HEADERS,
                "recipients": [("Bob", "bob@example.com", 1)],
            }
        ),
        "requests.csv": b"timestamp,api_key,ip,status,model\n2025-03-01T10:00:00Z,sk-1,203.0.113.5,200,m\n"
        b'2025-03-01 10:00:01,"sk-2, quoted",203.0.113.6,429,m\n',
        "requests.tsv": b"timestamp\tapi_key\tip\tstatus\n2025-03-01T10:00:00Z\tsk-1\t203.0.113.5\t200\n"
        b"2025-03-01T10:00:01Z\tsk-2\t203.0.113.6\t500\n",
        "api.jsonl": b"".join(json.dumps(r).encode() + b"\n" for r in log_rows),
        "access.log": b'203.0.113.5 - - [01/Mar/2025:10:00:00 +0100] "POST /v1/chat/completions HTTP/1.1" 200 5120 '
        b'"-" "python-requests/2.31.0"\n10.0.0.1 - alice [01/Mar/2025:10:00:04 +0000] "GET / HTTP/1.0" '
        b"304 -\n",
        "syslog.log": b"<34>1 2025-03-01T10:00:00.003+01:00 gw01.example.com api-gw 8710 ID47 "
        b'[exampleSDID@32473 iut="3"] key sk-abc used\nMar  1 10:00:02 gw02 sshd[4242]: Accepted\n',
        "service.log": b"2025-03-01 10:00:00 INFO started\n  at frame one\n2025-03-01 10:00:01.250 +01:00 WARN next\n",
        "outputs.jsonl": b"".join(json.dumps(r).encode() + b"\n" for r in outputs),
        "outputs.json": json.dumps(outputs, indent=1).encode(),
        "transcript.md": "**User:** What model are you, really?\n\n**Assistant:** I am Orion-7.\n".encode(),
        "document.pdf": _pdf(),
        "notes.txt": "Meeting notes 1 March 2025.\nThe key rotates every three days: 每三天更换一次密钥.\n".encode(),
        "photo.png": _image("PNG"),
        "photo.jpg": _image("JPEG"),
    }


def main(names: list[str]) -> None:
    """Write the seeds named (all when none is)."""
    CORPUS.mkdir(exist_ok=True)
    for name, data in seeds().items():
        if names and name not in names:
            continue
        (CORPUS / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
