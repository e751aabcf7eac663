"""What the write-ahead log beside a case (`CASE.casefile-wal`) can still supply.

SQLite writes every change to the WAL first and copies the pages into the case file
later (a "checkpoint"). A process killed during that copy leaves a case file shorter
than its own header says -- with the missing pages still in the WAL, where SQLite reads
them from. So a short case file is only damaged if the WAL does not hold the pages it
lacks. This reads the WAL's frame headers (24 bytes each, never the pages) as the file
format describes (https://sqlite.org/fileformat2.html#walformat), without SQLite and
without writing, so a damaged case is refused untouched.
"""

import struct
from dataclasses import dataclass, field
from pathlib import Path

WAL_MAGIC = (0x377F0682, 0x377F0683)  # checksums in little- / big-endian words
WAL_HEADER_BYTES = 32
FRAME_HEADER_BYTES = 24
PENDING_BYTE = 0x40000000  # the page holding this offset is never used by SQLite


def wal_path(case_path: Path) -> Path:
    return case_path.with_name(case_path.name + "-wal")


@dataclass
class WalContents:
    """The committed part of a WAL: the pages it holds and the database size it ends with."""

    page_size: int
    db_pages: int = 0  # size in pages after the last committed transaction; 0: nothing committed
    pages: set[int] = field(default_factory=set)


def read_wal(path: Path) -> WalContents | None:
    """The committed frames of the WAL at `path`; None if there is none SQLite would use.

    A frame belongs to the log while it carries the header's salts (older frames from
    before the log was last restarted do not); frames after the last commit frame are
    an unfinished transaction and count for nothing. The frames' checksums, which cover
    whole pages, are not recomputed: SQLite does that when it opens the case.
    """
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return None
    with handle:
        header = handle.read(WAL_HEADER_BYTES)
        if len(header) < WAL_HEADER_BYTES:
            return None
        magic, _version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(">8I", header)
        if magic not in WAL_MAGIC or page_size < 512 or page_size & (page_size - 1):
            return None
        if _checksum(header[:24], big_endian=magic & 1) != (sum1, sum2):
            return None
        contents = WalContents(page_size)
        pending: set[int] = set()
        while len(frame := handle.read(FRAME_HEADER_BYTES)) == FRAME_HEADER_BYTES:
            page, db_pages, frame_salt1, frame_salt2 = struct.unpack(">4I", frame[:16])
            if (frame_salt1, frame_salt2) != (salt1, salt2) or page == 0:
                break
            if len(handle.read(page_size)) < page_size:
                break  # a frame cut short is not part of the log
            pending.add(page)
            if db_pages:  # a commit frame: everything up to here is a completed transaction
                contents.pages |= pending
                pending.clear()
                contents.db_pages = db_pages
    return contents


def missing_pages(main_bytes: int, page_size: int, header_pages: int, wal: WalContents | None) -> int:
    """How many pages the case needs that neither the case file nor its WAL holds."""
    if wal is not None and wal.page_size == page_size and wal.db_pages:
        needed = wal.db_pages  # SQLite takes the size from the WAL's last commit
        in_wal = wal.pages
    else:
        needed, in_wal = header_pages, set()
    pending_page = PENDING_BYTE // page_size + 1
    have = main_bytes // page_size
    return sum(1 for page in range(have + 1, needed + 1) if page not in in_wal and page != pending_page)


def _checksum(data: bytes, big_endian: int) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s1 = s2 = 0
    for i in range(0, len(words), 2):
        s1 = (s1 + words[i] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[i + 1] + s1) & 0xFFFFFFFF
    return s1, s2
