"""Writing the bundle PDF as a stream: each page's objects are copied to the file as
soon as the page is added, so memory does not grow with the page count.

pypdf reads the parts and the merged PDFs (objects, streams, inherited attributes);
this writer only renumbers references and serialises with pypdf's own object writers.
pypdf's PdfWriter, by contrast, keeps every object of the bundle until it writes
(~17 KB per page). Page object numbers are reserved up front (the page count is known
before assembly), so index links and bookmarks can point at pages not yet written.
"""

from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

CATALOG, PAGES, INFO, FIRST_PAGE = 1, 2, 3, 4
SKIP_KEYS = {"/Parent", "/Annots", "/B", "/StructParents", "/Thumb"}  # page keys not carried over


class StreamingPdfWriter:
    """Write pages one at a time; `close` adds the page tree, outline, catalog and xref."""

    def __init__(self, handle, page_count: int):
        self.out = handle
        self.page_count = page_count
        self.offsets: dict[int, int] = {}
        self.next_id = FIRST_PAGE + page_count
        self.written_pages = 0
        self.sizes: list[tuple[float, float]] = []
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def page_ref(self, index: int) -> IndirectObject:
        """The reference of the page at a 0-based index (reserved, written or not)."""
        return IndirectObject(FIRST_PAGE + index, 0, None)

    def allocate(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def write_object(self, number: int, obj) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def add_page(self, page, copier: "ObjectCopier", extra: dict) -> None:
        """Copy a page (a pypdf PageObject) with `extra` entries (stamped /Contents, /Resources, /Annots)."""
        page_dict = DictionaryObject()
        for key, value in page.items():
            if key not in SKIP_KEYS and key not in extra:
                page_dict[NameObject(key)] = copier.copy(value)
        page_dict.update(extra)
        page_dict[NameObject("/Parent")] = IndirectObject(PAGES, 0, None)
        copier.flush()
        self.write_object(FIRST_PAGE + self.written_pages, page_dict)
        self.written_pages += 1

    def close(self, outline: list[tuple[str, int]], open_page: int, info: dict) -> None:
        if self.written_pages != self.page_count:
            raise RuntimeError(f"wrote {self.written_pages} pages, {self.page_count} were reserved")
        kids = ArrayObject(self.page_ref(i) for i in range(self.page_count))
        self.write_object(
            PAGES, _dict({"/Type": NameObject("/Pages"), "/Kids": kids, "/Count": NumberObject(self.page_count)})
        )
        catalog = {
            "/Type": NameObject("/Catalog"),
            "/Pages": IndirectObject(PAGES, 0, None),
            "/PageMode": NameObject("/UseOutlines"),
            "/OpenAction": ArrayObject(
                [self.page_ref(open_page), NameObject("/XYZ"), NullObject(), NullObject(), NumberObject(1)]
            ),
        }
        if outline:
            catalog["/Outlines"] = self._outline(outline)
        self.write_object(CATALOG, _dict(catalog))
        self.write_object(INFO, _dict({k: TextStringObject(v) for k, v in info.items()}))
        self._xref()

    def _outline(self, entries: list[tuple[str, int]]) -> IndirectObject:
        root = self.allocate()
        ids = [self.allocate() for _ in entries]
        for position, ((title, page), number) in enumerate(zip(entries, ids)):
            item = {
                "/Title": TextStringObject(title),
                "/Parent": IndirectObject(root, 0, None),
                "/Dest": ArrayObject(
                    [self.page_ref(page), NameObject("/XYZ"), NullObject(), NullObject(), NullObject()]
                ),
            }
            if position:
                item["/Prev"] = IndirectObject(ids[position - 1], 0, None)
            if position + 1 < len(ids):
                item["/Next"] = IndirectObject(ids[position + 1], 0, None)
            self.write_object(number, _dict(item))
        self.write_object(
            root,
            _dict(
                {
                    "/Type": NameObject("/Outlines"),
                    "/First": IndirectObject(ids[0], 0, None),
                    "/Last": IndirectObject(ids[-1], 0, None),
                    "/Count": NumberObject(len(ids)),
                }
            ),
        )
        return IndirectObject(root, 0, None)

    def _xref(self) -> None:
        start = self.out.tell()
        size = self.next_id
        self.out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for number in range(1, size):
            offset = self.offsets.get(number)
            self.out.write(f"{offset:010d} 00000 n \n".encode() if offset is not None else b"0000000000 65535 f \n")
        trailer = _dict(
            {
                "/Size": NumberObject(size),
                "/Root": IndirectObject(CATALOG, 0, None),
                "/Info": IndirectObject(INFO, 0, None),
            }
        )
        self.out.write(b"trailer\n")
        trailer.write_to_stream(self.out)
        self.out.write(f"\nstartxref\n{start}\n%%EOF\n".encode())


class ObjectCopier:
    """Copies objects of one source PDF into the writer, renumbering references.

    Each source object is written once (shared fonts and images stay shared within a
    source); the map is dropped with the copier when the source is done.
    """

    def __init__(self, writer: StreamingPdfWriter):
        self.writer = writer
        self.numbers: dict[tuple[int, int], int] = {}
        self.pending: list[tuple[int, IndirectObject]] = []

    def copy(self, value):
        """A copy of a direct value with its references renumbered (queued for writing)."""
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            number = self.numbers.get(key)
            if number is None:
                number = self.numbers[key] = self.writer.allocate()
                self.pending.append((number, value))
            return IndirectObject(number, 0, None)
        if isinstance(value, StreamObject):
            copied = StreamObject()
            copied._data = value._data
            for key, item in value.items():
                copied[NameObject(key)] = self.copy(item)
            return copied
        if isinstance(value, DictionaryObject):
            return _dict({key: self.copy(item) for key, item in value.items() if key != "/Parent"})
        if isinstance(value, ArrayObject):
            return ArrayObject(self.copy(item) for item in value)
        return value

    def flush(self) -> None:
        """Write every queued object (and what they refer to)."""
        while self.pending:
            number, ref = self.pending.pop()
            target = ref.get_object()
            self.writer.write_object(number, NullObject() if target is None else self.copy(target))


def _dict(entries: dict) -> DictionaryObject:
    result = DictionaryObject()
    for key, value in entries.items():
        result[NameObject(key)] = value
    return result
