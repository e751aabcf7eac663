"""Assembly (pypdf): front matter, drawn pages and merged PDFs into one stamped PDF,
with the index links, one bookmark per exhibit, the outline shown on opening, 100%
zoom and the title and subject metadata.

Merged PDFs are read one at a time from the case as their pages are reached.
"""

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, Fit, NameObject, NullObject, NumberObject

from app import __version__
from app.core.cancel import Progress
from app.export.render_items import short_date
from app.export.stamping import Stamp, Stamper
from app.store.item_query import item_bytes

PROGRESS_EVERY = 50


@dataclass
class CertificateSegment:
    """The certificate's pages in the drawn part (it has no exhibit id)."""

    start: int
    count: int
    part: int = 0
    source: str = "drawn"
    exhibit: int | None = None
    item_id: int | None = None


class _StampedWriter:
    """A PdfWriter that stamps each page as it is added with its Bates and page number."""

    def __init__(self, bundle):
        self.writer = PdfWriter()
        self.stamper = Stamper(self.writer)
        self.bundle = bundle
        self.count = 0

    def add(self, page, label: str, legend: str, shrink: bool) -> None:
        number, total = self.count, self.bundle.total_pages
        added = self.writer.add_page(page)
        stamp = Stamp(self.bundle.bates.number(number), f"Page {number + 1} of {total}", label, legend)
        self.stamper.stamp(added, stamp, shrink)
        self.count += 1


def assemble(conn, bundle, work, pdf_path, token):
    """Write the finished PDF (a generator yielding Progress; checks the cancel token)."""
    out = _StampedWriter(bundle)
    for page in PdfReader(str(work / "front.pdf")).pages:
        out.add(page, "", "", False)
    parts = _DrawnParts(work)
    for segment in bundle.segments:
        exhibit = bundle.exhibits[segment.exhibit] if segment.exhibit is not None else None
        label = f"Exhibit {exhibit['label']}" if exhibit else "Certificate of hashes"
        legend = exhibit["legend"] if exhibit else ""
        drawn = segment.source == "drawn"
        pages = parts.pages(segment) if drawn else _pdf_pages(conn, segment.item_id)
        for page in pages:
            out.add(page, label, legend, not drawn and bundle.settings.shrink_merged)
            if out.count % PROGRESS_EVERY == 0:
                token.raise_if_cancelled()
                yield Progress("Merging and stamping pages", out.count, bundle.total_pages, "pages")
    if out.count != bundle.total_pages:
        raise RuntimeError(f"assembled {out.count} pages, {bundle.total_pages} were planned")
    _navigation(out.writer, bundle)
    yield Progress("Writing the PDF", out.count, bundle.total_pages, "pages")
    with open(pdf_path, "wb") as handle:
        out.writer.write(handle)


class _DrawnParts:
    """The drawn part files, read in order: one open at a time."""

    def __init__(self, work):
        self.work = work
        self.number = None
        self.reader = None

    def pages(self, segment):
        if segment.part != self.number:
            self.number, self.reader = segment.part, PdfReader(str(self.work / f"drawn{segment.part}.pdf"))
        return self.reader.pages[segment.start:segment.start + segment.count]


def _pdf_pages(conn, item_id: int):
    reader = PdfReader(io.BytesIO(item_bytes(conn, item_id)))
    if reader.is_encrypted:
        reader.decrypt("")
    return reader.pages


def _navigation(writer: PdfWriter, bundle) -> None:
    """Bookmarks, index links, opening view and metadata."""
    for exhibit in bundle.exhibits:
        title = " ".join(exhibit["title"].split())
        title = title if len(title) <= 70 else title[:67] + "..."
        writer.add_outline_item(
            title=f"{exhibit['label']}  {short_date(exhibit['first_us'])}  {title}  (p. {exhibit['first_page'] + 1})",
            page_number=exhibit["first_page"], fit=Fit.xyz())
    writer.add_outline_item(title=f"Certificate of hashes and authenticity  (p. {bundle.certificate_page + 1})",
                            page_number=bundle.certificate_page, fit=Fit.xyz())
    for page, rect, target in bundle.links:
        writer.add_annotation(page, Link(rect=rect, target_page_index=target, fit=Fit.xyz()))
    writer.page_mode = "/UseOutlines"
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([
        writer.pages[0].indirect_reference, NameObject("/XYZ"), NullObject(), NullObject(), NumberObject(1)])
    number = f" {bundle.case_number}" if bundle.case_number else ""
    writer.add_metadata({"/Title": f"{bundle.settings.title} - {bundle.case_name}",
                         "/Subject": f"{bundle.case_name}{number}: {bundle.production_label}, "
                                     f"{len(bundle.exhibits)} exhibits, {bundle.bates.number(0)} - "
                                     f"{bundle.bates.number(bundle.total_pages - 1)}",
                         "/Creator": f"Casefile {__version__}", "/Author": bundle.settings.party or bundle.operator})
