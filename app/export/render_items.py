"""Drawing each kind of evidence: the exhibit header, emails, log excerpts, outputs,
images and text. Renderers are defensive: importers may leave any field out, and a
missing field is simply not printed.
"""

import io
import warnings as python_warnings
from datetime import timedelta

import orjson
from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from app.core.mapping import apply_mapping
from app.core.records import describe_locator
from app.core.timestamps import EPOCH, resolve_zone
from app.export import fonts, redaction_marks
from app.export.layout import BODY_SIZE, BOTTOM, FIELD_LINES, FIELD_PAGES, GREY, PageWriter

LOG_COLUMNS = [
    ("Time (UTC)", 0.15),
    ("Account / key / IP", 0.16),
    ("Model, status", 0.14),
    ("Prompt", 0.275),
    ("Response", 0.275),
]


def when(ts_us: int | None, zone_name: str = "UTC") -> str:
    """'2026-03-01 14:05:09 UTC (15:05:09 Europe/Paris)', or 'undated'."""
    if ts_us is None:
        return "undated"
    moment = EPOCH + timedelta(microseconds=ts_us)
    text = moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    if zone_name and zone_name.upper() != "UTC":
        local = moment.astimezone(resolve_zone(zone_name))
        text += f" ({local.strftime('%Y-%m-%d %H:%M:%S')} {zone_name})"
    return text


def local_time(ts_us: int | None, zone_name: str) -> str:
    """'2026-03-02 11:00 CET' in the case's display zone ('' when undated or the zone is UTC)."""
    if ts_us is None or not zone_name or zone_name.upper() == "UTC":
        return ""
    local = (EPOCH + timedelta(microseconds=ts_us)).astimezone(resolve_zone(zone_name))
    return local.strftime("%Y-%m-%d %H:%M %Z")


def short_date(ts_us: int | None) -> str:
    return "undated" if ts_us is None else (EPOCH + timedelta(microseconds=ts_us)).strftime("%Y-%m-%d")


def joined(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    return "" if value is None else str(value)


def full_text_at(item: dict) -> str:
    """Where the full text of an item is, said where a field is cut short on the page."""
    source = item.get("source_name") or f"source {item['source_id']}"
    locator = describe_locator(item.get("locator") or {})
    return (
        f"The full record is item {item['id']} in the case file, from {source}"
        f"{', ' + locator if locator else ''}; its SHA-256 is in the certificate and the hash manifest."
    )


def exhibit_header(
    writer: PageWriter, label: str, title: str, items: list[dict], zone: str, tags: list[str], count: int | None = None
) -> None:
    """The block every exhibit starts with: id, date, source, locator, hashes, tags.

    items: the exhibit's items, or for a long log excerpt its first and last rows (count: how many).
    """
    first = items[0]
    count = len(items) if count is None else count
    writer.heading(f"Exhibit {label}" if label else title, 15)
    if label and title:
        writer.paragraph(title, fonts.BOLD, 10.5)
    writer.space(4)
    sources = {}
    for item in items:
        sources.setdefault(item["source_id"], (item.get("source_name"), item.get("source_sha256")))
    dated = [i["ts_us"] for i in items if i["ts_us"] is not None]
    writer.fields(
        [
            ("Date", when(min(dated), zone) if dated else "undated"),
            (
                "Source",
                "; ".join(f"{name or 'source ' + str(sid)} (SHA-256 {sha})" for sid, (name, sha) in sources.items()),
            ),
            ("Locator", _locators(items)),
            ("Record SHA-256", first["content_hash"] if count == 1 else f"{count:,} items; see the certificate"),
            ("Items", ", ".join(str(i["id"]) for i in items[:20]) + (" ..." if count > len(items[:20]) else "")),
            ("Tags", ", ".join(tags)),
        ],
        size=8,
    )
    writer.rule()


def _locators(items: list[dict]) -> str:
    first, last = items[0].get("locator") or {}, items[-1].get("locator") or {}
    text = describe_locator(first)
    if len(items) > 1 and last:
        text += " to " + describe_locator(last)
    return text


def item_heading(writer: PageWriter, item: dict, text: str) -> None:
    """The item's own heading, unless the exhibit header just above already shows it."""
    if not item.get("title_shown"):
        writer.heading(text, 11.5)


def draw_email(writer: PageWriter, item: dict, zone: str, children: list[dict]) -> None:
    f = item.get("fields") or {}
    item_heading(writer, item, item.get("title") or f.get("subject") or "(no subject)")
    names = f.get("attachment_names") or [c.get("title") for c in children]
    writer.fields(
        [
            ("From", f.get("from") or item.get("account")),
            ("To", joined(f.get("to"))),
            ("Cc", joined(f.get("cc"))),
            ("Bcc", joined(f.get("bcc"))),
            ("Reply-To", f.get("reply_to")),
            ("Date", f.get("date") or item.get("ts_original")),
            ("Date (UTC)", when(item["ts_us"], zone)),
            ("Received", f.get("date_received")),
            ("Subject", f.get("subject") or item.get("title")),
            ("Message-ID", f.get("message_id")),
            ("In-Reply-To", f.get("in_reply_to")),
            ("Folder", f.get("folder")),
            ("Attachments", joined(names)),
        ]
    )
    writer.rule()
    writer.paragraph(item.get("text") or "(no body text)")


def draw_attachment(writer: PageWriter, item: dict, zone: str) -> None:
    f = item.get("fields") or {}
    item_heading(writer, item, f"Attachment: {item.get('title') or f.get('filename') or '(unnamed)'}")
    writer.fields(
        [
            ("File name", f.get("filename")),
            ("Type", f.get("mime_type")),
            ("Size", f.get("size")),
            ("SHA-256", f.get("sha256")),
            ("MD5", f.get("md5")),
        ]
    )
    writer.rule()
    writer.paragraph(item.get("text") or "(no text could be extracted from this attachment)")


def draw_output(writer: PageWriter, item: dict, zone: str) -> None:
    f = item.get("fields") or {}
    item_heading(writer, item, item.get("title") or "Model output")
    writer.fields(
        [
            ("Model", f.get("model") or item.get("model")),
            ("Time", when(item["ts_us"], zone)),
            ("Conversation", f.get("conversation_id") or item.get("thread_id")),
            ("Account", item.get("account")),
        ]
    )
    writer.rule()
    turns = f.get("turns") if isinstance(f.get("turns"), list) else []
    if f.get("system") and not any(isinstance(t, dict) and t.get("role") == "system" for t in turns):
        _turn(writer, "system", f["system"])
    for turn in turns:
        if isinstance(turn, dict):
            _turn(writer, turn.get("role") or "turn", turn.get("content"))
    if not turns:
        if f.get("prompt") or f.get("response"):
            _turn(writer, "prompt", f.get("prompt"))
            _turn(writer, "response", f.get("response"))
        else:
            writer.paragraph(item.get("text"))


def _turn(writer: PageWriter, role: str, content) -> None:
    if not isinstance(content, str):
        content = orjson.dumps(content, option=orjson.OPT_INDENT_2).decode() if content is not None else ""
    writer.ensure(30)
    writer.line(role.upper(), fonts.BOLD, 8.5)
    writer.paragraph(content, fonts.SANS, 9, indent=10)
    writer.space(6)


NATIVE_NAMES = {"word": "Word document", "excel": "Excel workbook", "powerpoint": "PowerPoint presentation"}


def native_note(item: dict) -> str:
    """What a reader of a text rendition must know: the native file is produced beside it."""
    name = NATIVE_NAMES.get((item.get("fields") or {}).get("format"), "native file")
    return (
        f"Text rendition of a {name}. The native file is produced alongside this bundle "
        "(the load file's NATIVELINK); formatting, formulas and images appear only in the native."
    )


def draw_ocr_text(writer: PageWriter, layer) -> None:
    """An item's OCR text under its own heading: what OCR read, with its confidence."""
    item_heading(writer, {}, layer.label())
    writer.paragraph(
        "Derived by optical character recognition from the item's images; not part of the original and "
        "possibly wrong where the confidence is low."
    )
    _draw_pages(writer, layer.text)


def draw_text_item(writer: PageWriter, item: dict, zone: str) -> None:
    """A document or item without drawable bytes: its text, page breaks kept."""
    item_heading(writer, item, item.get("title") or item["kind"])
    _draw_pages(writer, item.get("text") or "")


def _draw_pages(writer: PageWriter, text: str) -> None:
    budget, start = FIELD_LINES, 0  # the lines are counted for the whole text, not each of its pages
    first_page = writer.pages
    for number, page in enumerate(text.split("\f")):
        if number and writer.pages - first_page >= FIELD_PAGES - 1:
            writer.not_printed(len(text) - start + 1)  # from the page break on
            return
        if number:
            writer.new_page()
        lines, left_out = fonts.wrap_capped(page or "(no text)", fonts.SANS, BODY_SIZE, writer.text_width, budget)
        for text_line in lines:
            writer.line(text_line)
        budget, start = budget - len(lines), start + len(page) + 1
        if left_out or budget <= 0 and start < len(text):
            writer.not_printed(left_out + max(0, len(text) - start + 1))
            return


def draw_image(writer: PageWriter, item: dict, data: bytes | None, labels=()) -> None:
    """The picture scaled to fit what is left of the page, aspect kept. Raises when it
    cannot be decoded (the renderer then draws the placeholder saying why). labels: the
    redaction boxes already painted into the pixels, [((x0, y0, x1, y1) pixels from the
    lower left, label, redaction id)], each labelled on the page."""
    item_heading(writer, item, item.get("title") or "Image")
    f = item.get("fields") or {}
    writer.fields(
        [
            ("Size", f"{f.get('width')} x {f.get('height')} px" if f.get("width") else None),
            ("Format", f.get("format")),
            ("EXIF time", f.get("exif_datetime")),
        ],
        size=8,
    )
    picture = ImageReader(_decoded(data))
    pixel_w, pixel_h = picture.getSize()
    available_h = writer.y - BOTTOM - 6
    if available_h < 120:
        writer.new_page()
        available_h = writer.y - BOTTOM - 6
    scale = min(writer.text_width / pixel_w, available_h / pixel_h, 2.0)
    w, h = pixel_w * scale, pixel_h * scale
    writer.y -= h + 4
    writer.canvas.drawImage(picture, writer.left, writer.y, w, h)
    for (x0, y0, x1, y1), text, redaction_id in labels:
        redaction_marks.label_box(
            writer.canvas, writer.left + x0 * scale, writer.y + y0 * scale, (x1 - x0) * scale, (y1 - y0) * scale, text
        )
        redaction_marks.note(writer.canvas, item["id"], redaction_id)
    writer.blank = False


def _decoded(data: bytes | None) -> Image.Image:
    """The whole picture decoded now, so that damaged data fails here, naming the item,
    and not when reportlab writes the page (which names only its own object)."""
    try:
        with python_warnings.catch_warnings():
            python_warnings.simplefilter("error", Image.DecompressionBombWarning)  # too large to draw safely
            image = Image.open(io.BytesIO(data or b""))
            image.load()
    except Exception as exc:  # noqa: BLE001 -- Pillow raises many kinds on damaged data
        raise NotDrawable(f"the image cannot be decoded ({_plain(exc)})") from exc
    return image


class NotDrawable(Exception):
    """An item that cannot be drawn; the message says why in plain words."""


def _plain(exc: BaseException) -> str:
    """An error's own words, without the library's object names."""
    if isinstance(exc, UnidentifiedImageError):
        return "not a readable image"
    text = " ".join(line for line in str(exc).splitlines() if not line.startswith("identity=")).strip()
    return text[:300] or type(exc).__name__


def not_drawable_reason(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, NotDrawable) else f"it could not be drawn ({_plain(exc)})"


def draw_not_drawable(writer: PageWriter, label: str, item: dict, reason: str) -> None:
    """In place of an item that cannot be drawn: which item it is and why. One item
    never fails the bundle."""
    f = item.get("fields") or {}
    writer.ensure(110)
    writer.space(6)
    writer.heading("This item could not be drawn", 12)
    writer.fields(
        [
            ("Exhibit", label),
            ("Item", f"{item['id']} ({str(item.get('kind') or '').replace('_', ' ')})"),
            ("File", f.get("filename") or item.get("source_name") or item.get("title")),
            ("Where", describe_locator(item.get("locator") or {})),
            ("Reason", reason[:1].upper() + reason[1:]),
        ]
    )
    writer.space(4)
    writer.paragraph(
        "The original is kept unchanged in the case file; its SHA-256 is in the certificate and "
        "the hash manifest of this bundle.",
        size=9,
    )


def log_rows(rows: list[dict], mappings: dict[int, dict]) -> list[list[str]]:
    """Table cells of log rows: time, who, model/status, prompt, response. A row that
    cannot be drawn says so in its own cells; the others are drawn."""
    cells = []
    for row in rows:
        try:
            cells.append(_log_cells(row, mappings))
        except Exception as exc:  # noqa: BLE001 -- one row never fails the bundle
            cells.append(
                [
                    row.get("ts_original") or "",
                    "",
                    "",
                    f"This row could not be drawn: {not_drawable_reason(exc)}. {full_text_at(row)}",
                    "",
                ]
            )
    return cells


def _log_cells(row: dict, mappings: dict[int, dict]) -> list[str]:
    mapped = apply_mapping(row.get("fields") or {}, mappings.get(row["source_id"]) or {})
    prompt, response = mapped.get("prompt"), mapped.get("response")
    if prompt is None and response is None:
        prompt = row.get("text")
    who = [row.get("account"), row.get("api_key"), row.get("ip")]
    what = [row.get("model") or mapped.get("model"), _text(mapped.get("status"))]
    stamp = (
        when(row["ts_us"]).replace(" UTC", "") if row["ts_us"] is not None else (row.get("ts_original") or "undated")
    )
    return [stamp, "\n".join(w for w in who if w), "\n".join(w for w in what if w), _text(prompt), _text(response)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def draw_log_rows(writer: PageWriter, rows: list[dict], mappings: dict[int, dict], first: bool) -> None:
    """One chunk of a log excerpt's table (the column heads only before the first chunk)."""
    if first:
        writer.line("Log rows in chronological order; times in UTC.", fonts.SANS, 8, colour=GREY)
    writer.table(LOG_COLUMNS, log_rows(rows, mappings), header=first, wheres=[full_text_at(row) for row in rows])
