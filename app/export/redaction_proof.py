"""Proof that redacted text is gone from everything a reader of the production can open.

After the bundle and every file beside it are written (still under their unfinished
names), each page's text is extracted again with two engines -- pypdf and PDFium -- and
every page's content streams (and the form objects they draw) are decompressed and read
as bytes; the document's metadata and every annotation's text are read; and every
sidecar (CSV, JSON, DAT, OPT, the load file's text files) is read as text. Each redacted
string is searched for in all of them, ignoring spaces and line breaks (a string
wrapped over two lines is still found). Any hit fails the export, naming the page or
file: the work folder is removed and no file with a final name exists.

Page images of the load file are rendered from the checked PDF, so they hold what it
holds; their pixels are not read back (no OCR).
"""

import csv

import pypdfium2
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from app.store.errors import CaseFileError

ENGINES = "pypdf and PDFium"
COLUMN_SLACK = 3.0  # points: runs starting this close together are one column


class RedactedTextFound(CaseFileError):
    """A redacted string is still readable in the production; the export is stopped."""


def _normal(text: str) -> str:
    return "".join(text.split())


def prove_gone(bundle, pdf_path, files: dict) -> str:
    """Search the written PDF and files for every redacted string; returns what was checked,
    in one sentence, or raises RedactedTextFound naming where a string was found."""
    secrets = {}
    for text, item_id, reason in bundle.redactions.secrets():
        key = _normal(text)
        if key:
            secrets.setdefault(key, (item_id, bundle.redactions.names.get(reason, reason)))
    secrets = SecretFinder(secrets)
    pages = _check_pdf(bundle, pdf_path, secrets)
    checked_files = 0
    for name, path in sorted(files.items()):
        if path == pdf_path:
            continue
        for file_path in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file_path.suffix.lower() in (".tif", ".jpg", ".png"):
                continue  # page images: rendered from the checked PDF
            raw = file_path.read_bytes()
            encoding = "cp1252" if file_path.suffix.lower() == ".opt" else "utf-8"
            _search(
                raw.decode(encoding, "replace"),
                secrets,
                f"the file {name}" + (f" ({file_path.name})" if path.is_dir() else ""),
            )
            checked_files += 1
    return (
        f"{len(secrets.secrets):,} redacted passage(s) searched for in the text of {pages:,} page(s) extracted with "
        f"{ENGINES} (line by line and column by column), in their decompressed content streams, the PDF's "
        "metadata and annotations, and "
        f"{checked_files:,} file(s) beside it: none found."
    )


class SecretFinder:
    """Finds any of many strings in a text in one pass (indexed by their first characters):
    thousands of redacted strings times thousands of pages stays linear in the text."""

    PREFIX, LONG = 3, 8

    def __init__(self, secrets: dict):
        self.secrets = secrets
        self.index: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
        for key in secrets:
            short, long = self.index.setdefault(key[: self.PREFIX], ([], {}))
            if len(key) >= self.LONG:
                long.setdefault(key[: self.LONG], []).append(key)
            else:
                short.append(key)

    def find(self, normal: str) -> str | None:
        prefix, long = self.PREFIX, self.LONG
        grams = {normal[i : i + prefix] for i in range(len(normal) - prefix + 1)}
        for gram in grams.intersection(self.index):  # most pages share no prefix at all
            short, longer = self.index[gram]
            position = normal.find(gram)
            while position >= 0:
                for key in short:
                    if normal.startswith(key, position):
                        return key
                for key in longer.get(normal[position : position + long], ()):
                    if normal.startswith(key, position):
                        return key
                position = normal.find(gram, position + 1)
        return None


def _search(text: str, finder: SecretFinder, where: str) -> None:
    key = finder.find(_normal(text))
    if key is None:
        return
    item_id, reason = finder.secrets[key]
    hidden = key[:2] + "..." if len(key) > 4 else "..."
    raise RedactedTextFound(
        f"Redacted text of item {item_id} ({reason}, starting {hidden!r}) is still readable in {where}. "
        "The export was stopped and no file was written. If that text is also in an item that is not "
        "redacted, redact it there too (a rule over the whole case) or leave that item out."
    )


def _check_pdf(bundle, pdf_path, secrets: SecretFinder) -> int:
    reader = PdfReader(str(pdf_path))
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        metadata = reader.metadata or {}
        _search(" ".join(str(v) for v in metadata.values()), secrets, "the bundle's metadata")
        root = reader.trailer["/Root"].get_object()
        if "/Metadata" in root:
            _search(_bytes_text(root["/Metadata"].get_object().get_data()), secrets, "the bundle's XMP metadata")
        for index, page in enumerate(reader.pages):
            where = f"page {bundle.bates.number(index)} (page {index + 1} of the bundle)"
            text, runs = _pypdf_text(page)
            _search(text, secrets, f"{where}, as pypdf extracts it")
            _search(column_text(runs), secrets, f"{where}, read column by column")
            textpage = document[index].get_textpage()
            try:
                _search(textpage.get_text_range(), secrets, f"{where}, as PDFium extracts it")
            finally:
                textpage.close()
            _search(_content_text(page), secrets, f"{where}, in its content streams")
            _search(_annotation_text(page), secrets, f"{where}, in its annotations")
        return len(reader.pages)
    finally:
        document.close()


def _pypdf_text(page) -> tuple[str, list[tuple[float, float, str]]]:
    """pypdf's text of a page, and each run of it with where it starts (one pass)."""
    runs: list[tuple[float, float, str]] = []
    text = page.extract_text(visitor_text=lambda t, cm, tm, _font, _size: runs.append(_placed(t, cm, tm)))
    return text or "", runs


def _placed(text: str, cm, tm) -> tuple[float, float, str]:
    """(x, y) on the page where pypdf found a run of text."""
    x, y = tm[4], tm[5]
    return cm[0] * x + cm[2] * y + cm[4], cm[1] * x + cm[3] * y + cm[5], text


def column_text(runs: list[tuple[float, float, str]]) -> str:
    """The page's text read column by column: a table cell's text wrapped over several lines
    comes out whole, not interleaved with the cells beside it as a line-by-line reading gives
    it. Runs of text starting at (nearly) the same x are one column, read top to bottom."""
    columns: list[list] = []  # [x of the column's first run, [(-y, text)]]
    for x, y, text in sorted(runs, key=lambda r: r[0]):
        if not text.strip():
            continue
        if columns and x - columns[-1][0] <= COLUMN_SLACK:
            columns[-1][1].append((-y, text))
        else:
            columns.append([x, [(-y, text)]])
    return "\n".join(text for _x, column in columns for _y, text in sorted(column, key=lambda r: r[0]))


def _bytes_text(data: bytes) -> str:
    return data.decode("latin-1")


def _content_text(page) -> str:
    """The page's decompressed content streams and those of the form objects it draws, as bytes."""
    parts = []
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    for stream in contents if isinstance(contents, ArrayObject) else [contents] if contents is not None else []:
        parts.append(stream.get_object().get_data())  # decoded bytes, not parsed: parsing costs 10x
    seen: set[int] = set()
    stack = [page.get("/Resources")]
    while stack:
        resources = stack.pop()
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            continue
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if id(obj) in seen or not isinstance(obj, StreamObject) or obj.get("/Subtype") != "/Form":
                continue
            seen.add(id(obj))
            parts.append(obj.get_data())
            stack.append(obj.get("/Resources"))
    return " ".join(_bytes_text(p) for p in parts)


def _annotation_text(page) -> str:
    out = []
    for ref in page.get("/Annots") or []:
        annotation = ref.get_object()
        for key in ("/Contents", "/T", "/TU", "/V", "/RC"):
            value = annotation.get(key)
            if value is not None:
                out.append(str(value.get_object()))
    return " ".join(out)


# ---- the certificate's statement and the redaction log -------------------------------

LOG_COLUMNS = ("Bates page", "Exhibit", "Item", "Reason", "Kind", "What", "Who", "When (UTC)", "Redaction")


def draw_statement(writer, bundle) -> None:
    """The certificate appendix: what is redacted and how the export proved it gone."""
    redactions = bundle.redactions
    count = len(redactions.records)
    items = len(redactions.by_item)
    writer.ensure(120)
    writer.space(8)
    writer.heading("Redactions", 12)
    writer.paragraph(
        f"{count:,} redaction(s) in {items:,} item(s) are burned in: drawn text is removed before it is drawn and "
        "replaced by a box naming the reason; a page of a merged PDF with a redaction is replaced by a picture of "
        "the page with the boxes painted into its pixels and a text layer rebuilt only from the characters outside "
        "the boxes (nothing of the original page is carried over); an image is painted over in its pixels. The "
        "metadata, annotations, attachments and form fields of a redacted document are not carried.",
        size=9,
    )
    writer.space(4)
    writer.paragraph(
        f"Proof: after this bundle and the files beside it were written, Casefile extracted the text of every page "
        f"again with two engines ({ENGINES}), decompressed every page's content streams, read the metadata and "
        "annotations and every file beside the bundle (the exhibit list, privilege log, hash manifest, redaction "
        "log and the load file's text and fields), and searched them for each redacted passage, ignoring spaces "
        "and line breaks. The export is refused if any is found, so this bundle exists only because none was. "
        "The redaction log lists each redaction by Bates page; the hash manifest gives each redacted item's "
        "produced copy's SHA-256 beside the original's.",
        size=9,
    )


def log_rows(bundle):
    """One row per redaction per Bates page it is burned into (a row without a page: not drawn)."""
    redactions = bundle.redactions
    exhibit_of = {}
    for exhibit in bundle.exhibits:
        for item_id in exhibit["item_ids"]:
            exhibit_of.setdefault(item_id, exhibit["label"])
    for page, landing in redactions.place(bundle):
        record = redactions.records.get(landing.redaction_id)
        if record is None:
            continue
        kind = {"span": "text span", "box": "box", "match": "match"}[record.kind]
        if record.kind == "box":
            what = f"box on page {record.page}"
        elif record.kind == "span":
            what = f"characters {record.start}-{record.end} of the item's text"
        else:
            rule = record.rule or {}
            what = (
                f"built-in pattern {rule['pattern']}"
                if rule.get("pattern")
                else "regular expression"
                if rule.get("regex") is not None
                else "text match"
            )
        yield (
            bundle.bates.number(page) if page is not None else "not drawn (past what the page prints)",
            exhibit_of.get(landing.item_id, ""),
            landing.item_id,
            redactions.names.get(record.reason, record.reason),
            kind,
            what,
            record.who or "",
            record.created_utc,
            record.id,
        )


def write_log(path, bundle) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(LOG_COLUMNS)
        out.writerows(log_rows(bundle))
