"""Assembly: front matter, drawn pages and merged PDFs into one stamped PDF, with the
index links, one bookmark per exhibit, the outline shown on opening, 100% zoom and the
title and subject metadata.

pypdf reads every part; pages are copied to the output as they are reached (the
streaming writer), so neither the parts nor the output are held in memory. Merged
PDFs are read one at a time from the case.
"""

import io
from bisect import bisect_right
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, NullObject, NumberObject

from app import __version__
from app.core.cancel import Progress
from app.export.merged_annotations import carried_annotations
from app.export.redaction_marks import plain
from app.export.pdf_stream_writer import ObjectCopier, StreamingPdfWriter
from app.export.render_items import short_date
from app.export.stamping import Stamp, Stamper, shrink_matrix
from app.store import head_anchors
from app.store.item_query import item_bytes

PROGRESS_EVERY = 50


@dataclass
class CertificateSegment:
    """The certificate's pages in the drawn part (it has no exhibit id)."""

    start: int
    count: int
    source: str = "drawn"
    exhibit: int | None = None
    item_id: int | None = None


class _StampedWriter:
    """Copies pages into the streaming writer, each stamped with its Bates and page number."""

    def __init__(self, handle, bundle):
        self.writer = StreamingPdfWriter(handle, bundle.total_pages)
        self.stamper = Stamper(self.writer)
        self.bundle = bundle
        self.links = _links_by_page(bundle, self.writer)

    @property
    def count(self) -> int:
        return self.writer.written_pages

    def add(self, page, copier: ObjectCopier, label: str, legend: str, shrink: bool) -> None:
        number, total = self.count, self.bundle.total_pages
        stamp = Stamp(self.bundle.bates.number(number), f"Page {number + 1} of {total}", label, legend)
        shrunk = shrink_matrix(page) if shrink else None
        extra = self.stamper.page_entries(page, copier, stamp, shrunk)
        annotations = ArrayObject(
            [*carried_annotations(page, copier, self.writer, shrunk), *self.links.get(number, ())]
        )
        if annotations:
            extra[NameObject("/Annots")] = annotations
        self.writer.add_page(page, copier, extra)


def assemble(conn, bundle, work, pdf_path, token):
    """Write the finished PDF (a generator yielding Progress; checks the cancel token)."""
    with open(pdf_path, "wb") as handle:
        out = _StampedWriter(handle, bundle)
        front = PdfReader(str(work / "front.pdf"))
        copier = ObjectCopier(out.writer)
        for page in front.pages:
            out.add(page, copier, "", "", False)
        parts = _DrawnParts(work, out.writer, bundle.part_first)
        for segment in bundle.segments:
            exhibit = bundle.exhibits[segment.exhibit] if segment.exhibit is not None else None
            label = f"Exhibit {exhibit['label']}" if exhibit else "Certificate of hashes"
            legend = exhibit["legend"] if exhibit else ""
            drawn = segment.source == "drawn"
            pages = parts.pages(segment) if drawn else _pdf_pages(conn, segment.item_id, out.writer, bundle.redactions)
            for page, copier in pages:
                out.add(page, copier, label, legend, not drawn and bundle.settings.shrink_merged)
                if out.count % PROGRESS_EVERY == 0:
                    token.raise_if_cancelled()
                    yield Progress("Merging and stamping pages", out.count, bundle.total_pages, "pages")
        yield Progress("Writing the PDF", out.count, bundle.total_pages, "pages")
        out.writer.close(_outline(bundle), 0, _metadata(bundle))


class _DrawnParts:
    """The drawn part files, read in order: one open at a time, with its own copier."""

    def __init__(self, work, writer, part_first: list[int]):
        self.work = work
        self.writer = writer
        self.part_first = part_first
        self.number = None
        self.reader = self.copier = None

    def pages(self, segment):
        """(page, copier) for each drawn page of the segment, which may span part files."""
        for index in range(segment.start, segment.start + segment.count):
            part = bisect_right(self.part_first, index) - 1
            if part != self.number:
                self.number, self.reader = part, PdfReader(str(self.work / f"drawn{part}.pdf"))
                self.copier = ObjectCopier(self.writer)
            yield self.reader.pages[index - self.part_first[part]], self.copier


def _pdf_pages(conn, item_id: int, writer, redactions=None):
    redacted = redactions.pdfs.get(item_id) if redactions else None  # the copy with its redactions burned in
    reader = PdfReader(str(redacted)) if redacted else PdfReader(io.BytesIO(item_bytes(conn, item_id)))
    if reader.is_encrypted:
        reader.decrypt("")
    copier = ObjectCopier(writer)
    return ((page, copier) for page in reader.pages)


def _links_by_page(bundle, writer) -> dict[int, ArrayObject]:
    """The index's link annotations, by the page they sit on."""
    links: dict[int, ArrayObject] = {}
    for page, rect, target in bundle.links:
        annotation = DictionaryObject()
        annotation.update(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
                NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
                NameObject("/Dest"): ArrayObject(
                    [writer.page_ref(target), NameObject("/XYZ"), NullObject(), NullObject(), NullObject()]
                ),
            }
        )
        links.setdefault(page, ArrayObject()).append(annotation)
    return links


def _outline(bundle) -> list[tuple[str, int]]:
    """One bookmark per exhibit (id, date, short description, page) and the certificate."""
    entries = []
    for exhibit in bundle.exhibits:
        title = " ".join(plain(exhibit["title"]).split())
        title = title if len(title) <= 70 else title[:67] + "..."
        entries.append(
            (
                f"{exhibit['label']}  {short_date(exhibit['first_us'])}  {title}  (p. {exhibit['first_page'] + 1})",
                exhibit["first_page"],
            )
        )
    entries.append(
        (f"Certificate of hashes and authenticity  (p. {bundle.certificate_page + 1})", bundle.certificate_page)
    )
    return entries


def _metadata(bundle) -> dict:
    number = f" {bundle.case_number}" if bundle.case_number else ""
    return {
        "/Title": f"{bundle.settings.title} - {bundle.case_name}",
        "/Subject": f"{bundle.case_name}{number}: {bundle.production_label}, {len(bundle.exhibits)} exhibits, "
        f"{bundle.bates.number(0)} - {bundle.bates.number(bundle.total_pages - 1)}",
        "/Creator": f"Casefile {__version__}",
        "/Author": bundle.settings.party or bundle.operator,
        # Machine-readable for `casefile verify --against` (app/store/head_anchors.py).
        **(
            {
                head_anchors.PDF_KEY: head_anchors.head_json(
                    bundle.head, production=bundle.production_label, created_utc=bundle.created_utc
                )
            }
            if bundle.head
            else {}
        ),
    }
