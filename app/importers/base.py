"""What every importer provides, and what it is given.

An importer is a class with a `name` (the value of `--as`), a `family` (what kind of
evidence it yields), `sniff(head, filename)` returning a confidence 0-100 from the
first bytes of the (decompressed) original, and `read(stream, ctx)` yielding
`ItemRecord`, `Quarantined` and `Skipped` as it streams through the original. It
never sees the case file: the pipeline stores what it yields.
"""

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol

from app.core.records import ImportSettings, ItemRecord, Quarantined, Skipped
from app.core.timestamps import TimestampParser

Record = ItemRecord | Quarantined | Skipped


@dataclass
class ImportContext:
    """Everything an importer may know about the file it reads and the user's choices."""

    settings: ImportSettings
    timestamps: TimestampParser
    file_name: str
    file_mtime: datetime  # aware, UTC
    file_path: Path | None = None  # for display only: read the stream, never the path
    folder: str | None = None  # the folder the file was found in, for folder imports
    # True when the stream's bytes are the original's, byte_offset for byte_offset (not a
    # decompressed .gz): a row's fields may then be read again from the original.
    stream_is_original: bool = False
    # Anything the importer wants recorded with the source (detected dialect, encoding,
    # the mapping it used). Stored in sources.settings as provenance.
    provenance: dict = field(default_factory=dict)


class Importer(Protocol):
    name: str
    family: str
    # True when the stream is handed to a library that seeks (pypdf, Pillow, olefile): the
    # importer then reads the stored copy; otherwise a forward-only stream of the file.
    random_access: bool = False

    def sniff(self, head: bytes, filename: str) -> int: ...

    def read(self, stream: BinaryIO, ctx: ImportContext) -> Iterator[Record]: ...
