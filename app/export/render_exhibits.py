"""Rendering the exhibits (pass 1): drawn pages go to one reportlab canvas, existing
PDFs are only counted here and merged page by page at assembly.

The result is a list of `Segment`s: runs of pages, each either drawn (pages of the
drawn part files, counted across them) or an item's own PDF, tagged with the exhibit and item they belong to.
Items are loaded one at a time and log rows a chunk at a time, so memory stays flat.
"""

import io
from dataclasses import dataclass

import orjson
from pypdf import PdfReader

from app.core.cancel import CancelToken, Cancelled
from app.export import fonts
from app.export import render_items as draw
from app.export.layout import PageWriter
from app.export.planning import ExhibitPlan
from app.export.summaries import SUMMARY_RENDERERS, SummaryContext
from app.export.stamping import shrink_matrix
from app.store.ocr_layers import layer_of
from app.store.item_fields import FieldsReader
from app.store.item_query import get_item, item_bytes, tags_of
from app.store.sql_lists import marks

LOG_CHUNK = 500
LOG_COLUMNS = (
    "id",
    "source_id",
    "locator",
    "content_hash",
    "text",
    "fields",
    "ts_original",
    "ts_us",
    "account",
    "api_key",
    "ip",
    "model",
)


@dataclass
class Segment:
    source: str  # "drawn" (pages of the drawn part) or "pdf" (an item's own PDF)
    start: int  # first page within that source
    count: int
    exhibit: int  # index of the exhibit in the plan
    item_id: int | None = None


class SourceInfo:
    """Names, hashes and mappings of sources, looked up once each."""

    def __init__(self, conn):
        self.conn = conn
        self._cache: dict[int, dict] = {}

    def get(self, source_id: int) -> dict:
        if source_id not in self._cache:
            row = self.conn.execute(
                "SELECT original_name, sha256, settings FROM sources WHERE id = ?", (source_id,)
            ).fetchone()
            settings = orjson.loads(row[2]) if row and row[2] else {}
            self._cache[source_id] = {
                "name": row[0] if row else None,
                "sha256": row[1] if row else None,
                "mapping": settings.get("mapping") or {},
            }
        return self._cache[source_id]


def pdf_page_count(data: bytes) -> int | None:
    """Pages of a PDF that can be merged, or None when it cannot (damaged, locked).

    What stamping reads of each page (its boxes, rotation, resources, contents and
    annotations) is read here too: a page that fails there would fail the whole bundle
    at assembly; found here, the item's text is drawn instead."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        for page in reader.pages:
            shrink_matrix(page)
            for key in ("/Resources", "/Contents", "/Annots"):
                value = page.get(key)
                if value is not None:
                    value.get_object()
        return len(reader.pages)
    except Exception:  # noqa: BLE001 -- pypdf raises many kinds on damaged files; the text is drawn instead
        return None


class ExhibitRenderer:
    """Draws exhibits onto one PageWriter and returns their page segments."""

    def __init__(self, conn, writer: PageWriter, zone: str, token: CancelToken | None = None, redactions=None):
        self.conn = conn
        self.redactions = redactions  # BundleRedactions: what is hidden, burned in as items are drawn
        self.writer = writer
        self.zone = zone
        self.sources = SourceInfo(conn)
        self.fields = FieldsReader(conn)  # log rows' fields, read from their originals where kept only there
        self.token = token or CancelToken()

    def render(self, index: int, plan: ExhibitPlan, context: SummaryContext | None = None) -> list[Segment]:
        if plan.kind == "log_excerpt":
            return self._render_log(index, plan)
        if plan.kind == "summary":
            return self.render_summary(index, plan, context)
        segments: list[Segment] = []
        items = [self._item(i) for i in plan.item_ids]
        if not plan.title:
            plan.title = items[0].get("title") or items[0]["kind"]
        tags = sorted({code for codes in tags_of(self.conn, plan.item_ids).values() for code in codes})
        for position, item in enumerate(items):
            first = position == 0
            data = item_bytes(self.conn, item["id"]) if item["kind"] in ("document", "attachment", "image") else None
            is_pdf = bool(data) and data[:1024].lstrip().startswith(b"%PDF")
            redacted = is_pdf and bool(self.redactions) and item["id"] in self.redactions.by_item
            if redacted and pdf_page_count(data):
                data = self.redactions.pdf(item["id"], data)  # merged with its redactions burned in
            pages = pdf_page_count(data) if is_pdf else None
            start = self.writer.start_section(plan.label)
            self.writer.where = draw.full_text_at(item)
            if first:
                draw.exhibit_header(self.writer, plan.label, plan.title, items, self.zone, tags)
                item["title_shown"] = (item.get("title") or "") == plan.title
            if pages:
                self._slip_sheet(item, pages, first, redacted)
                self._ocr_text(item)
            else:
                try:
                    self._draw_item(item, data, [c for c in items if c.get("parent_id") == item["id"]])
                except Cancelled:
                    raise
                except Exception as exc:  # noqa: BLE001 -- one item never fails the bundle; its page says why
                    draw.draw_not_drawable(self.writer, plan.label, item, draw.not_drawable_reason(exc))
            self.writer.finish()
            self.writer.where = ""
            segments.append(Segment("drawn", start, self.writer.pages - start, index, item["id"]))
            if pages:
                segments.append(Segment("pdf", 0, pages, index, item["id"]))
        return segments

    def render_summary(self, index: int, plan: ExhibitPlan, context: SummaryContext | None) -> list[Segment]:
        """A summary exhibit: the header, then what its kind's renderer draws from case data."""
        start = self.writer.start_section(plan.label)
        self.writer.heading(f"Exhibit {plan.label}" if plan.label else plan.title, 15)
        if plan.label:
            self.writer.paragraph(plan.title, fonts.BOLD, 10.5)
        self.writer.paragraph(
            f"A summary drawn from the case's records; it cites {len(plan.cites):,} underlying row(s) by exhibit"
            " id and Bates range where they are produced.",
            size=8.5,
        )
        self.writer.rule()
        render = SUMMARY_RENDERERS.get(plan.summary_kind or "")
        if render is None:
            self.writer.paragraph(
                f"This version of Casefile cannot draw a summary of the kind {plan.summary_kind!r}.", fonts.BOLD
            )
        else:
            try:
                render(self.conn, self.writer, plan.summary_ref or {}, context)
            except Cancelled:
                raise
            except Exception as exc:  # noqa: BLE001 -- one exhibit never fails the bundle; its page says why
                self.writer.paragraph(f"This summary was not drawn: {draw.not_drawable_reason(exc)}.", fonts.BOLD)
        self.writer.finish()
        return [Segment("drawn", start, self.writer.pages - start, index, None)]

    def _item(self, item_id: int) -> dict:
        item = get_item(self.conn, item_id)
        return self.redactions.item(item) if self.redactions else item

    def _slip_sheet(self, item: dict, pages: int, first: bool, redacted: bool = False) -> None:
        if not first:
            self.writer.heading(item.get("title") or item["kind"], 11.5)
        if redacted:
            self.writer.paragraph(
                f"The PDF follows with its redactions burned in: {pages} page(s), stamped. A page with a "
                "redaction is a picture of the original page with the redacted areas removed; its metadata, "
                "annotations and attachments are not produced."
            )
        else:
            self.writer.paragraph(f"The original PDF follows: {pages} page(s), merged unchanged and stamped.")

    def _draw_item(self, item: dict, data: bytes | None, children: list[dict]) -> None:
        kind = item["kind"]
        f = item.get("fields") or {}
        is_image = kind == "image" or str(f.get("mime_type") or "").startswith("image/")
        if kind == "email":
            draw.draw_email(self.writer, item, self.zone, children)
        elif is_image and data:
            labels = []
            if self.redactions:
                data, labels = self.redactions.image(item["id"], data)
            draw.draw_image(self.writer, item, data, labels)
        elif kind == "attachment":
            draw.draw_attachment(self.writer, item, self.zone)
        elif kind == "output":
            draw.draw_output(self.writer, item, self.zone)
        elif kind == "log_entry":
            draw.draw_log_rows(
                self.writer, [item], {item["source_id"]: self.sources.get(item["source_id"])["mapping"]}, True
            )
        else:
            if kind == "document" and data and data[:1024].lstrip().startswith(b"%PDF"):
                self.writer.paragraph(
                    "The original PDF could not be merged (damaged or locked); its extracted text follows."
                )
            if f.get("native"):
                self.writer.paragraph(draw.native_note(item))
            draw.draw_text_item(self.writer, item, self.zone)
        self._ocr_text(item)

    def _ocr_text(self, item: dict) -> None:
        """The item's OCR text, if it has one: derived, drawn after the item (before a merged
        scan's pages) under its own marked heading, never passed off as the item's own text."""
        layer = layer_of(self.conn, item["id"])
        if layer is None:
            return
        if self.redactions and item["id"] in self.redactions.by_item:
            # OCR text reads what is under a box too: never produced for a redacted item
            self.writer.paragraph("OCR text not produced: this item has redactions.")
            return
        draw.draw_ocr_text(self.writer, layer)

    def _render_log(self, index: int, plan: ExhibitPlan) -> list[Segment]:
        ends = self._log_rows(sorted({plan.item_ids[0], plan.item_ids[-1]}, key=plan.item_ids.index))
        source = self.sources.get(ends[0]["source_id"])
        if not plan.title:
            plan.title = (
                f"API log excerpt, {draw.short_date(plan.first_us)}: {len(plan.item_ids):,} row(s) "
                f"from {source['name'] or 'source ' + str(ends[0]['source_id'])}"
            )
        for row in ends:
            info = self.sources.get(row["source_id"])
            row["source_name"], row["source_sha256"] = info["name"], info["sha256"]
        tags = sorted({code for codes in tags_of(self.conn, plan.item_ids).values() for code in codes})
        start = self.writer.start_section(plan.label)
        draw.exhibit_header(self.writer, plan.label, plan.title, ends, self.zone, tags, len(plan.item_ids))
        mappings = {}
        for offset in range(0, len(plan.item_ids), LOG_CHUNK):
            self.token.raise_if_cancelled()
            rows = self._log_rows(plan.item_ids[offset : offset + LOG_CHUNK])
            for row in rows:
                mappings.setdefault(row["source_id"], self.sources.get(row["source_id"])["mapping"])
            draw.draw_log_rows(self.writer, rows, mappings, offset == 0)
        self.writer.finish()
        return [Segment("drawn", start, self.writer.pages - start, index, None)]

    def _log_rows(self, ids: list[int]) -> list[dict]:
        order = {item_id: n for n, item_id in enumerate(ids)}
        rows = [
            dict(zip(LOG_COLUMNS, r))
            for r in self.conn.execute(
                f"SELECT {', '.join(LOG_COLUMNS)} FROM item_details WHERE id IN ({marks(ids)})", ids
            )
        ]
        for row in rows:
            row["locator"] = orjson.loads(row["locator"]) if row["locator"] else {}
            row["fields"] = self.fields.fields(row["source_id"], row["locator"], row["fields"])
            row["source_name"] = self.sources.get(row["source_id"])["name"]
        if self.redactions:
            rows = [self.redactions.item(row) for row in rows]
        return sorted(rows, key=lambda r: order[r["id"]])
