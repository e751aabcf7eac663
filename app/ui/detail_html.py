"""The detail pane's text, by item kind, as escaped HTML for a QTextBrowser.

Everything from the evidence is escaped (html.escape): an email's HTML body is never
rendered, only its text, so no script runs and no remote content is fetched. Links
to related items (attachments, the thread, the parent email) use `item:ID`.
"""

import json
import re
from html import escape

import orjson

from app.core.mapping import apply_mapping
from app.core.records import describe_locator
from app.store.item_lookups import children, item_title, thread_emails
from app.store.ocr_layers import layer_of
from app.store.source_lookups import field_mapping

PRE = "white-space: pre-wrap; font-family: monospace;"


def item_html(conn, item: dict, format_time) -> str:
    """The body of the detail pane for one item (see get_item for its keys)."""
    builder = {
        "log_entry": _log_entry,
        "email": _email,
        "attachment": _attachment,
        "output": _output,
        "document": _document,
        "image": _image,
    }.get(item["kind"], _generic)
    return builder(conn, item, format_time) + ocr_html(conn, item["id"])


def ocr_html(conn, item_id: int) -> str:
    """The item's OCR text, marked as such with its engine and confidence (never its own text)."""
    layer = layer_of(conn, item_id)
    if layer is None:
        return ""
    return _section(layer.label(), _text_block(layer.text.replace("\f", "\n\n")))


def _section(title: str, body_html: str) -> str:
    return f"<h4 style='margin-bottom:2px'>{escape(title)}</h4>{body_html}"


def _text_block(text) -> str:
    if text is None or text == "":
        return "<p><i>(empty)</i></p>"
    value = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False, indent=2)
    return f"<div style='{PRE}'>{escape(value)}</div>"


def _table(rows) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:12px; color:#555'><b>{escape(str(k))}</b></td><td>{escape(_scalar(v))}</td></tr>"
        for k, v in rows
        if v not in (None, "", [], {})
    )
    return f"<table cellspacing='0'>{cells}</table>"


def _scalar(value) -> str:
    if isinstance(value, (list, dict)):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return ", ".join(value)
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _link(item_id: int, text: str) -> str:
    return f"<a href='item:{item_id}'>{escape(text or f'item {item_id}')}</a>"


def _log_entry(conn, item, _format_time) -> str:
    mapping = field_mapping(conn, item["source_id"])
    mapped = apply_mapping(item["fields"], mapping) if mapping else {}
    parts = [
        _section("Prompt", _text_block(mapped.get("prompt"))),
        _section("Response", _text_block(mapped.get("response"))),
    ]
    summary = [
        ("Account", item["account"]),
        ("API key", item["api_key"]),
        ("IP", item["ip"]),
        ("Model", item["model"]),
        ("Status", mapped.get("status")),
    ]
    parts.append(_section("Summary", _table(summary)))
    parts.append(_section("All fields (as in the original)", _table(sorted(item["fields"].items()))))
    return "".join(parts)


def _email(conn, item, format_time) -> str:
    f = item["fields"]
    header = [
        ("From", f.get("from")),
        ("To", f.get("to")),
        ("Cc", f.get("cc")),
        ("Bcc", f.get("bcc")),
        ("Reply-To", f.get("reply_to")),
        ("Date", f.get("date")),
        ("Subject", f.get("subject")),
        ("Message-ID", f.get("message_id")),
        ("In-Reply-To", f.get("in_reply_to")),
        ("Folder", f.get("folder")),
    ]
    parts = [_table(header), _section("Message", _text_block(item["text"]))]
    if f.get("body_html_present"):
        parts.append(
            "<p><i>This message also has an HTML version. It is shown as text only: "
            "no scripts run and no remote content is loaded.</i></p>"
        )
    parts.append(_children(conn, item, "Attachments"))
    parts.append(_thread(conn, item, format_time))
    return "".join(parts)


def _children(conn, item, title: str) -> str:
    rows = children(conn, item["id"])
    if not rows:
        return ""
    entries = []
    for child_id, _kind, child_title, fields in rows:  # attachments and attached emails: fields stored
        meta = orjson.loads(fields) if fields else {}
        extra = ", ".join(str(x) for x in (meta.get("mime_type"), _size(meta.get("size"))) if x)
        entries.append(f"<li>{_link(child_id, child_title)} {escape(f'({extra})') if extra else ''}</li>")
    return _section(title, f"<ul>{''.join(entries)}</ul>")


def _size(size) -> str | None:
    return f"{size:,} bytes" if isinstance(size, int) else None


def _thread(conn, item, format_time) -> str:
    if not item["thread_id"]:
        return ""
    rows = thread_emails(conn, item["thread_id"])
    if len(rows) < 2:
        return ""
    entries = []
    for other_id, title, account, ts_us in rows:
        text = f"{format_time(ts_us)}  {account or ''}: {title or ''}"
        entries.append(
            f"<li><b>{escape(text)}</b> (this message)</li>"
            if other_id == item["id"]
            else f"<li>{_link(other_id, text)}</li>"
        )
    return _section("The thread", f"<ol>{''.join(entries)}</ol>")


def _attachment(conn, item, _format_time) -> str:
    parts = []
    if item["parent_id"]:
        parts.append(f"<p>Attached to {_link(item['parent_id'], item_title(conn, item['parent_id']) or '')}</p>")
    f = item["fields"]
    parts.append(
        _table(
            [
                ("File name", f.get("filename")),
                ("Type", f.get("mime_type")),
                ("Size", _size(f.get("size"))),
                ("SHA-256", f.get("sha256")),
                ("MD5", f.get("md5")),
            ]
        )
    )
    parts.append(_section("Text", _text_block(item["text"])))
    parts.append(_children(conn, item, "Contains"))
    return "".join(parts)


def _output(_conn, item, _format_time) -> str:
    f = item["fields"]
    parts = [_table([("Model", f.get("model") or item["model"]), ("Conversation", f.get("conversation_id"))])]
    if f.get("system"):
        parts.append(_section("System prompt", _text_block(f["system"])))
    parts.append(_section("Prompt", _text_block(f.get("prompt"))))
    parts.append(_section("Response", _text_block(f.get("response"))))
    turns = f.get("turns") or []
    if turns:
        body = "".join(
            f"<p><b>{escape(str(t.get('role', '?')))}</b></p>{_text_block(t.get('content'))}"
            for t in turns
            if isinstance(t, dict)
        )
        parts.append(_section(f"Conversation ({len(turns)} turns)", body))
    return "".join(parts)


def _document(_conn, item, _format_time) -> str:
    f = item["fields"]
    pages = (item["text"] or "").split("\f")
    body = (
        "".join(f"<p style='color:#777'>— page {n} —</p>{_text_block(text)}" for n, text in enumerate(pages, start=1))
        if item["text"]
        else "<p><i>No text could be extracted.</i></p>"
    )
    rows = [("Pages", f.get("page_count")), ("Encrypted", "yes" if f.get("encrypted") else None)]
    rows += pdf_metadata_rows(f.get("metadata"))
    return _table(rows) + _section("Text", body)


PDF_NAMES = {"CreationDate": "Created", "ModDate": "Modified", "Trapped": "Trapped for print"}
PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz+\-])?(\d{2})?'?(\d{2})?'?")


def pdf_metadata_rows(metadata) -> list[tuple[str, str]]:
    """A PDF's document information as labelled rows: 'Created 2024-05-01 09:30:00 +02:00',
    'Trapped for print: no' -- not the dictionary it is stored as (`{"Trapped": "/False"}`)."""
    if not isinstance(metadata, dict):
        return []
    rows = []
    for key, value in metadata.items():
        name = str(key).lstrip("/")
        label = PDF_NAMES.get(name) or re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).capitalize()
        rows.append((label, _pdf_value(str(value))))
    return rows


def _pdf_value(value: str) -> str:
    """'/False' -> 'no'; a PDF date 'D:20240501093000+02'00'' -> '2024-05-01 09:30:00 +02:00'."""
    named = {"/False": "no", "/True": "yes", "/Unknown": "unknown"}.get(value)
    if named:
        return named
    date = PDF_DATE.fullmatch(value.strip())
    if date:
        year, month, day, hour, minute, second, sign, off_h, off_m = date.groups()
        text = f"{year}-{month or '01'}-{day or '01'} {hour or '00'}:{minute or '00'}:{second or '00'}"
        if sign in ("Z", "z"):
            return text + " UTC"
        if sign:
            return f"{text} {sign}{off_h or '00'}:{off_m or '00'}"
        return text
    return value.lstrip("/") if value.startswith("/") else value


def _image(_conn, item, _format_time) -> str:
    f = item["fields"]
    return (
        _table(
            [
                ("Size", f"{f.get('width')} × {f.get('height')} px" if f.get("width") else None),
                ("Format", f.get("format")),
                ("EXIF date", f.get("exif_datetime")),
                ("Orientation", f.get("orientation")),
            ]
        )
        + "<p>The image is in the Image tab.</p>"
    )


def _generic(_conn, item, _format_time) -> str:
    return _section("Text", _text_block(item["text"])) + _section("Fields", _table(sorted(item["fields"].items())))


def provenance_html(item: dict) -> str:
    """Source, custodian, locator and hashes: always visible under the item."""
    locator = describe_locator(item["locator"])
    stamp = (
        "undated"
        if item["ts_original"] is None
        else (f"“{item['ts_original']}” read in {item['ts_zone']} ({'assumed' if item['ts_assumed'] else 'stated'})")
    )
    rows = [
        ("Source", f"{item['source_name']} (source #{item['source_id']})"),
        ("Custodian", item["custodian"]),
        ("Locator", locator),
        ("Original time", stamp),
        ("UTC", item["ts_utc"]),
        ("Item hash", item["content_hash"]),
        ("Source SHA-256", item["source_sha256"]),
    ]
    return _table(rows)


def warnings_of(item: dict) -> list[str]:
    """Everything a reviewer must notice about an item, in plain sentences."""
    warnings = list(item["warnings"] or [])
    if item["ts_assumed"]:
        warnings.append(f"The time zone was assumed ({item['ts_zone']}); the source did not state it.")
    if item["ts_note"]:
        warnings.append(f"Time: {item['ts_note']}.")
    if item["ts_us"] is None:
        warnings.append("This item has no readable date; it is listed as undated.")
    return warnings
