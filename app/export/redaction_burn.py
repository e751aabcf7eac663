"""The redactions of one bundle: loaded once, applied wherever an item is produced.

`BundleRedactions` gives the renderer redacted copies of items and log rows (markers in
place of redacted strings, app/export/redaction_marks.py), rebuilt PDFs (redact_pdf.py)
and painted images, and the load file, exhibit list, privilege log and hash manifest
their redacted values. It remembers where each redaction landed (Bates pages, for the
redaction log) and which strings the proof (redaction_proof.py) must not find.
"""

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from app.export.redact_pdf import redact_pdf
from app.export.redaction_marks import ItemRedactor, plain
from app.store.errors import CaseFileError
from app.store.redactions import ItemRedactions, is_privilege, label, list_redactions, reason_names, redactions_by_item


@dataclass
class Landing:
    """One redaction burned into one produced page."""

    item_id: int
    redaction_id: int
    source: str  # "drawn" or "pdf"
    page: int  # drawn page index (across parts), or 0-based page of the item's PDF
    part: int | None = None


class BundleRedactions:
    def __init__(self, conn, item_ids, work: Path):
        self.by_item: dict[int, ItemRedactions] = redactions_by_item(conn, item_ids)
        self.names = reason_names(conn)
        self.work = work
        self.redactors = {i: ItemRedactor(r, self.names) for i, r in self.by_item.items() if r.strings}
        self.pdfs: dict[int, Path] = {}  # item id -> its redacted PDF in the work folder
        self.texts: dict[int, str] = {}  # item id -> the text layer of its redacted PDF
        self.produced: dict[int, str] = {}  # item id -> SHA-256 of the produced, redacted copy
        self.landings: list[Landing] = []
        self.drawn_marks: list = []  # (part, page in part, item id, redaction id), noted as markers are drawn
        ids = {rid for r in self.by_item.values() for rid in [s[2] for s in r.strings] + [b[3] for b in r.boxes]}
        self.records = {r.id: r for r in list_redactions(conn) if r.id in ids}

    def __bool__(self) -> bool:
        return bool(self.by_item)

    def label_of(self, reason: str) -> str:
        return label(self.names.get(reason, reason))

    # ---- drawing --------------------------------------------------------------------

    def item(self, item: dict) -> dict:
        redactor = self.redactors.get(item["id"])
        return redactor.item(item) if redactor else item

    def value(self, item_id: int, value):
        """A value of an item, redacted, as plain text (load files, CSV cells)."""
        redactor = self.redactors.get(item_id)
        return plain(redactor.value(value)) if redactor else value

    def pdf(self, item_id: int, data: bytes) -> bytes:
        """The item's PDF with its redactions burned in (unchanged when it has none)."""
        found = self.by_item.get(item_id)
        if not found:
            return data
        boxes: dict[int, list] = {}
        for page, box, reason, rid in found.boxes:
            boxes.setdefault(page - 1, []).append((box, self.label_of(reason), rid))
        strings = [(text, self.label_of(reason), rid) for text, reason, rid in found.strings]
        try:
            result = redact_pdf(data, boxes, strings)
        except Exception as exc:  # noqa: BLE001 -- PDFium and pypdf raise many kinds on damaged files
            raise CaseFileError(
                f"Item {item_id}'s PDF could not be redacted ({exc}). The export was stopped so that nothing "
                "it should hide is produced; leave the item out, or redact its text instead."
            ) from exc
        path = self.work / f"redacted-{item_id}.pdf"
        path.write_bytes(result.data)
        self.pdfs[item_id] = path
        self.texts[item_id] = result.text
        self.produced[item_id] = hashlib.sha256(result.data).hexdigest()
        self.landings += [Landing(item_id, rid, "pdf", page) for page, rid in result.boxes]
        return result.data

    def image(self, item_id: int, data: bytes) -> tuple[bytes, list]:
        """The image with its boxes painted over in the pixels; [(box in pixels from lower left, label, rid)]."""
        found = self.by_item.get(item_id)
        if not found or not found.boxes:
            return data, []
        with Image.open(io.BytesIO(data)) as opened:
            image = opened.convert("RGB")
        paint = ImageDraw.Draw(image)
        labels = []
        for _page, (x0, y0, x1, y1), reason, rid in found.boxes:
            paint.rectangle([x0, image.height - y1, x1, image.height - y0], fill=(0, 0, 0))
            labels.append(((x0, y0, x1, y1), self.label_of(reason), rid))
        out = io.BytesIO()
        image.save(out, "PNG")  # lossless, and without the original's metadata (EXIF, comments)
        painted = out.getvalue()
        self.produced[item_id] = hashlib.sha256(painted).hexdigest()
        return painted, labels

    # ---- after drawing --------------------------------------------------------------

    def text_of(self, item_id: int, title, text) -> tuple:
        """(title, text) of an item for the load file: from the redacted version."""
        if item_id in self.texts:
            return plain(self.value(item_id, title)), self.texts[item_id]
        if item_id not in self.by_item:
            return title, text
        title, text = self.value(item_id, title), self.value(item_id, text)
        self.produced.setdefault(item_id, hashlib.sha256((text or "").encode("utf-8")).hexdigest())
        return title, text

    def produced_hash(self, conn, item_id: int) -> str:
        """SHA-256 of the produced copy of a redacted item ('' when it is not redacted): its
        rebuilt PDF or painted image, else its redacted text as the load file gives it."""
        if item_id not in self.by_item:
            return ""
        if item_id not in self.produced:
            row = conn.execute("SELECT title, text FROM item_details WHERE id = ?", (item_id,)).fetchone()
            self.text_of(item_id, row[0], row[1])
        return self.produced[item_id]

    def place(self, bundle) -> list[tuple[int | None, Landing]]:
        """(bundle page or None, landing) of every redaction; one with no page was not drawn
        (say, text past what a field prints)."""
        for part, page_in_part, item_id, rid in self.drawn_marks:
            self.landings.append(Landing(item_id, rid, "drawn", bundle.part_first[part] + page_in_part - 1, part))
        placed = []
        seen = set()
        for landing in self.landings:
            page = _bundle_page(bundle, landing)
            key = (page, landing.item_id, landing.redaction_id)
            if key not in seen:
                seen.add(key)
                placed.append((page, landing))
        landed = {(landing.item_id, landing.redaction_id) for _page, landing in placed}
        for item_id, found in self.by_item.items():
            for rid in {s[2] for s in found.strings} | {b[3] for b in found.boxes}:
                if (item_id, rid) not in landed:
                    placed.append((None, Landing(item_id, rid, "", -1)))
        return sorted(placed, key=lambda p: (p[0] is None, p[0] or 0, p[1].item_id, p[1].redaction_id))

    def secrets(self) -> list[tuple[str, int, str]]:
        """(redacted text, item id, reason code) of every redacted string."""
        return [(text, item_id, reason) for item_id, r in self.by_item.items() for text, reason, _rid in r.strings]

    def privileged_passages(self) -> dict[int, int]:
        """{item id: how many privilege redactions (strings and boxes) it has}."""
        return {
            item_id: sum(is_privilege(s[1]) for s in r.strings) + sum(is_privilege(b[2]) for b in r.boxes)
            for item_id, r in self.by_item.items()
        }

    def privileged(self) -> dict[int, list[str]]:
        """{item id: [privilege reason codes]} of items with a privilege redaction."""
        out: dict[int, list[str]] = {}
        for item_id, r in self.by_item.items():
            codes = sorted({s[1] for s in r.strings} | {b[2] for b in r.boxes})
            if any(is_privilege(c) for c in codes):
                out[item_id] = [c for c in codes if is_privilege(c)]
        return out


def _bundle_page(bundle, landing: Landing) -> int | None:
    for segment in bundle.segments:
        first = getattr(segment, "bundle_first", None)
        if first is None or segment.exhibit is None:
            continue
        if landing.source == "drawn" and segment.source == "drawn":
            if segment.start <= landing.page < segment.start + segment.count:
                return first + landing.page - segment.start
        elif landing.source == "pdf" and segment.source == "pdf" and segment.item_id == landing.item_id:
            if landing.page < segment.count:
                return first + landing.page
    return None
