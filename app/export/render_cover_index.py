"""The front matter (cover and hyperlinked index) and the closing certificate of hashes.

The index has a fixed row height, so how many pages it takes is known from the number
of rows alone, before anything is drawn: the bundle's page numbers are settled up
front and the index can be drawn last, with every exhibit's final page in it.
"""

import math
from dataclasses import dataclass

from app.export import fonts
from app.export.layout import BOTTOM, GREY, MARGIN, PageWriter

ROW_HEIGHT = 22.0
TITLE_SPACE = 46.0
SIZE = 7.5


@dataclass
class IndexRow:
    label: str
    date_utc: str
    date_local: str
    description: str
    detail: str  # kind, Bates range, short SHA-256, source
    page: int  # 0-based bundle page the row links to
    section: str = ""  # a section heading drawn before this row ("Undated exhibits")


def rows_per_page(page_height: float) -> int:
    return int((page_height - MARGIN - TITLE_SPACE - BOTTOM) // ROW_HEIGHT)


def index_slots(rows: list[IndexRow]) -> int:
    """Row slots the index needs: one per row, plus one per section heading."""
    return len(rows) + sum(1 for r in rows if r.section)


def index_page_count(slots: int, page_height: float) -> int:
    return max(1, math.ceil(slots / rows_per_page(page_height)))


def readable_utc(iso: str) -> str:
    """'2026-11-26T21:18:02.656822Z' -> '2026-11-26 21:18:02 UTC'."""
    return iso[:19].replace("T", " ") + " UTC" if iso and "T" in iso else iso


def draw_cover(writer: PageWriter, info: dict) -> None:
    """Case, bundle title, producing party, date, counts, legend."""
    writer.space(120)
    writer.paragraph(info["case_name"], fonts.BOLD, 20)
    if info.get("case_number"):
        writer.paragraph(f"Claim / case number: {info['case_number']}", fonts.SANS, 12)
    writer.space(30)
    writer.paragraph(info["title"], fonts.BOLD, 16)
    writer.space(20)
    writer.fields(
        [
            ("Produced by", info.get("party")),
            ("Date", readable_utc(info["date"])),
            ("Production", info.get("production_label")),
            ("Exhibits", f"{info['exhibits']:,}"),
            ("Pages", f"{info['pages']:,}"),
            ("Bates range", info.get("bates_range")),
            ("Withheld", info.get("withheld")),
        ],
        11,
        110,
    )
    if info.get("legends"):
        writer.space(30)
        for legend in info["legends"]:
            writer.paragraph(f"Contains material designated {legend}", fonts.BOLD, 12)
    writer.finish()


def draw_index(writer: PageWriter, rows: list[IndexRow], first_page: int) -> list[tuple[int, tuple, int]]:
    """Draw the index; returns links (bundle page index, rect, target page index)."""
    links = []
    per_page = rows_per_page(writer.height)
    slot, page = 0, first_page
    _index_title(writer, False)
    widths = (62.0, 100.0, writer.text_width - 62 - 100 - 34)
    for row in rows:
        for heading in ([row.section] if row.section else []) + [None]:
            if slot == per_page:
                writer.finish()
                page += 1
                slot = 0
                _index_title(writer, True)
            top = writer.height - MARGIN - TITLE_SPACE - slot * ROW_HEIGHT
            slot += 1
            if heading:
                fonts.draw(writer.canvas, writer.left, top - 14, heading, fonts.BOLD, 9)
                continue
            links.append((page, _draw_row(writer, row, top, widths), row.page))
    writer.finish()
    return links


def _index_title(writer: PageWriter, continued: bool) -> None:
    title = "Index (continued)" if continued else "Index"
    fonts.draw(writer.canvas, writer.left, writer.height - MARGIN - 14, title, fonts.BOLD, 13)
    y = writer.height - MARGIN - TITLE_SPACE + 6
    x = writer.left
    for heading, w in (
        ("Exhibit", 62),
        ("Date (UTC / case zone)", 100),
        ("Description / kind, Bates, SHA-256, source", 0),
    ):
        fonts.draw(writer.canvas, x, y, heading, fonts.BOLD, SIZE)
        x += w
    fonts.draw(writer.canvas, writer.right - 30, y, "Page", fonts.BOLD, SIZE)
    writer.canvas.setLineWidth(0.75)
    writer.canvas.line(writer.left, y - 3, writer.right, y - 3)
    writer.blank = False


def _draw_row(writer: PageWriter, row: IndexRow, top: float, widths) -> tuple:
    canvas, x = writer.canvas, writer.left
    first, second = top - 9, top - 18
    fonts.draw(canvas, x, first, _fit(row.label, fonts.BOLD, widths[0] - 4), fonts.BOLD, SIZE)
    fonts.draw(canvas, x + widths[0], first, row.date_utc, fonts.SANS, SIZE)
    fonts.draw(canvas, x + widths[0], second, row.date_local, fonts.SANS, SIZE - 0.5)
    left = x + widths[0] + widths[1]
    fonts.draw(canvas, left, first, _fit(row.description, fonts.SANS, widths[2] - 6), fonts.SANS, SIZE)
    canvas.setFillColorRGB(*GREY)
    fonts.draw(canvas, left, second, _fit(row.detail, fonts.SANS, widths[2] - 6), fonts.SANS, SIZE - 0.5)
    canvas.setFillColorRGB(0, 0, 0.6)
    page_text = str(row.page + 1)
    fonts.draw(canvas, writer.right - fonts.width(page_text, fonts.SANS, SIZE), first, page_text, fonts.SANS, SIZE)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setLineWidth(0.2)
    canvas.line(writer.left, top - ROW_HEIGHT + 1, writer.right, top - ROW_HEIGHT + 1)
    return (writer.left, top - ROW_HEIGHT + 1, writer.right, top)


def _fit(text: str, font: str, max_width: float) -> str:
    """Text shortened with an ellipsis to fit one line (the full text is in the exhibit)."""
    text = fonts.clean(text).replace("\n", " ")
    if fonts.width(text, font, SIZE) <= max_width:
        return text
    while text and fonts.width(text + "...", font, SIZE) > max_width:
        text = text[: max(1, int(len(text) * 0.9)) - 1] if len(text) > 40 else text[:-1]
    return text + "..."


def draw_certificate(writer: PageWriter, info: dict, exhibits: list[dict], appendix=None) -> None:
    """Hashes per exhibit and source, the audit-chain head, `appendix(writer)` if given
    (the redactions and their proof), and the declaration block."""
    writer.start_section("Certificate of hashes")
    writer.heading("Certificate of hashes and authenticity", 15)
    writer.paragraph(
        "Each exhibit in this bundle was produced from originals stored byte-identical in the case file. "
        "The SHA-256 values below identify each original source file as acquired and each item derived "
        "from it; identical hash values for the original and the copy attest that they are the same "
        "(Fed. R. Evid. 902(13), 902(14)). An item's record SHA-256 covers its content and metadata as "
        "imported; the hash manifest produced with this bundle lists every value.",
        size=8.5,
    )
    writer.space(4)
    writer.fields(
        [
            ("Case", info["case_name"]),
            ("Production", info.get("production_label")),
            ("Exported", readable_utc(info["date"])),
            ("Exported by", info.get("operator")),
            ("Tool", info.get("tool")),
            ("Audit chain head", f"entry {info['audit_seq']}, SHA-256 {info['audit_hash']}"),
            *_head_signature(info.get("head") or {}),
        ],
        8,
        100,
    )
    if (info.get("head") or {}).get("signature"):
        writer.paragraph(
            "The audit chain head is the newest entry of the case's audit log when this bundle was "
            "made, signed with the exporting operator's key. `casefile verify CASE --against` this "
            "bundle shows whether a case file still holds that entry unchanged; an older copy of the "
            "case, or a log cut short or rewritten, does not.",
            size=7.5,
        )
    for exhibit in exhibits:
        _certificate_exhibit(writer, exhibit)
    if appendix:
        appendix(writer)
    _declaration(writer)
    writer.finish()


def _head_signature(head: dict) -> list[tuple[str, str]]:
    """Who signed the head, so a reader can check the case still holds it (`casefile verify --against`)."""
    if not head.get("signature"):
        return [("Case id", head.get("case_id"))]
    return [
        ("Case id", head.get("case_id")),
        ("Head signed by", f"{head.get('operator')}, Ed25519 key {head['key_id']} (public key {head['public_key']})"),
        ("Head signature", head["signature"]),
    ]


def _certificate_exhibit(writer: PageWriter, exhibit: dict) -> None:
    writer.ensure(70)
    writer.rule()
    writer.paragraph(f"{exhibit['label']}  {exhibit['bates']}  {exhibit['title']}", fonts.BOLD, 8.5)
    for source in exhibit["sources"]:
        writer.paragraph(
            f"Source {source['name']}: SHA-256 {source['sha256']}, MD5 {source['md5']}, "
            f"{source['size']:,} bytes; acquired {source['imported_utc']} by "
            f"{source['operator'] or 'unknown'}; custodian {source['custodian'] or 'not stated'}",
            fonts.SANS,
            7.5,
            indent=8,
        )
    for item in exhibit["items"]:
        writer.line(
            f"item {item['id']}  {item['kind']:<10}  record SHA-256 {item['content_hash']}",
            fonts.MONO,
            7,
            writer.left + 8,
        )
    if exhibit["more_items"]:
        writer.paragraph(
            f"... and {exhibit['more_items']:,} more items (all in the hash manifest); SHA-256 "
            f"over all {exhibit['item_count']:,} item hashes in order: {exhibit['items_digest']}",
            fonts.SANS,
            7.5,
            indent=8,
        )


def _declaration(writer: PageWriter) -> None:
    writer.ensure(260)
    writer.rule()
    writer.heading("Declaration (Fed. R. Evid. 902(13) / 902(14))", 11)
    writer.paragraph(
        "I, the undersigned, am a person qualified to certify the records above. I declare that the exhibits "
        "in this bundle were copied from the electronic records identified above by the process recorded in "
        "the case file's audit log; that the SHA-256 hash values of the copies match those of the originals "
        "as acquired; and that the exhibits are true and accurate copies of those records.",
        size=8.5,
    )
    writer.space(14)
    for label in ("Name", "Title", "Organisation", "Date", "Signature"):
        writer.space(16)
        writer.line(f"{label}:", fonts.SANS, 9)
        writer.canvas.setLineWidth(0.5)
        writer.canvas.line(writer.left + 80, writer.y + 2, writer.left + 330, writer.y + 2)
