"""What importers yield: items, quarantined records and skipped lines.

Importers are pure streaming generators over an original's bytes; they know nothing
of the case file. The import pipeline (app/importers/pipeline.py) stores what they
yield in one transaction and reconciles the counts.
"""

from dataclasses import dataclass, field, replace

from app.core.timestamps import Timestamp

# calendar, contact, outlook_item: Outlook entries that are not e-mail (app/importers/email/pst.py);
# conversation: one message of a chat export (app/importers/chat/).
ITEM_KINDS = (
    "log_entry",
    "email",
    "attachment",
    "output",
    "document",
    "image",
    "calendar",
    "contact",
    "outlook_item",
    "conversation",
)


@dataclass
class ItemRecord:
    """One piece of evidence read from a source.

    `locator` points back into the original (line, byte_offset, mime_part, page, ...).
    `fields` holds the kind-specific fields and, for rows, every original field.
    `text` is what full-text search sees. The indexed columns (account, api_key, ip,
    model) let the review table filter millions of rows in SQL; for emails `account`
    is the sender's address.
    `dedup_key`, when set, makes a record a duplicate of an earlier item with the same
    key: it is then counted and linked to that item, not inserted again. A message (an
    email, a model output) is one piece of evidence however often it is found: any later
    copy is a duplicate, in the same file too. A log line is an event (`dedup_events`):
    the same line twice in one log is two requests, so within a source every line is an
    item, and only another source's copies are duplicates -- the k-th copy in a later
    source is a duplicate of the k-th item with that key, so the case holds a line as
    often as the source with the most copies of it holds it.
    `payloads` holds derived bytes the item needs later, by role: "content" (an
    attachment's decoded bytes), "thumbnail" (a small PNG for the GUI). An item that is
    a whole source file (a PDF, an image) needs no "content": its bytes are the original.
    """

    kind: str
    locator: dict
    title: str = ""
    text: str = ""
    fields: dict = field(default_factory=dict)
    timestamp: Timestamp | None = None
    account: str | None = None
    api_key: str | None = None
    ip: str | None = None
    model: str | None = None
    thread_id: str | None = None
    dedup_key: str | None = None
    dedup_events: bool = False
    warnings: list[str] = field(default_factory=list)
    payloads: dict[str, bytes] = field(default_factory=dict)
    children: list["ItemRecord"] = field(default_factory=list)
    # The stored JSON text of `fields` when the importer already has it (a JSON-lines
    # row is its own JSON): saves serialising a million rows a second time.
    fields_json: str | None = None
    # True when `fields` are not stored but read again from the row's bytes in the
    # original (locator byte_offset and byte_length; see app/core/row_fields.py).
    fields_in_original: bool = False


@dataclass
class Quarantined:
    """Input that could not be read as evidence: kept verbatim with where and why."""

    locator: dict
    raw: bytes | str
    reason: str


@dataclass
class Skipped:
    """A line that carries no record (blank or comment): counted, never lost."""

    locator: dict
    why: str  # "blank" or "comment"


@dataclass
class ImportSettings:
    """What the user chose for one import; stored with each source as provenance."""

    as_kind: str | None = None
    timezone: str = "UTC"
    dayfirst: bool = False
    year: int | None = None
    custodian: str | None = None
    operator: str | None = None
    mapping: dict | None = None
    mapping_name: str | None = None
    undated_ok: bool = False
    max_field_bytes: int = 10 * 1024 * 1024
    max_text_bytes: int = 32 * 1024 * 1024  # of a text document's text: the rest is quarantined
    # A compressed file stops being read once it expands past BOTH this ratio to its size
    # and this many bytes (a gzip "bomb"), unless the user allows large expansion.
    allow_large_expansion: bool = False
    expansion_ratio: int = 100
    expansion_floor_bytes: int = 1024 * 1024 * 1024
    # Mappings chosen for particular files of the import: {path: (mapping, mapping name)}.
    # The import wizard maps each set of files with the same fields on its own.
    file_mappings: dict[str, tuple[dict, str | None]] = field(default_factory=dict)
    # Formats the user chose for particular files ({path: importer name}), as `--as` does for
    # all: the import wizard's "Detected as" column, changed.
    file_kinds: dict[str, str] = field(default_factory=dict)
    # Read scanned PDFs and images with OCR after they are imported (when Tesseract is installed).
    ocr: bool = True

    def for_file(self, path) -> "ImportSettings":
        """The settings one file is imported with: its own mapping and format, if it was given them."""
        chosen, kind = self.file_mappings.get(str(path)), self.file_kinds.get(str(path))
        if chosen is None and kind is None:
            return self
        changes: dict = {"file_mappings": {}, "file_kinds": {}}
        if chosen is not None:
            changes.update(mapping=chosen[0], mapping_name=chosen[1])
        if kind is not None:
            changes["as_kind"] = kind
        return replace(self, **changes)

    def provenance(self) -> dict:
        return {
            "as": self.as_kind,
            "timezone": self.timezone,
            "dayfirst": self.dayfirst,
            "year": self.year,
            "mapping": self.mapping,
            "mapping_name": self.mapping_name,
            "undated_ok": self.undated_ok,
        } | ({"allow_large_expansion": True} if self.allow_large_expansion else {})


def describe_locator(locator: dict) -> str:
    """Where an item is in its original, for people: 'line 12, bytes 3,051-4,663'."""
    parts = []
    for key, value in locator.items():
        if key == "byte_length":
            continue
        if key == "whole_file":
            parts.append("the whole file")
        elif key == "after":
            parts.append(f"after {value}")
        elif key == "byte_offset" and "byte_length" in locator:
            parts.append(f"bytes {value:,}-{value + locator['byte_length'] - 1:,}")
        elif key == "byte_offset":
            parts.append(f"byte {value:,}")
        else:
            parts.append(f"{key} {value}")
    return ", ".join(parts)
