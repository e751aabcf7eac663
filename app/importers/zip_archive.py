"""Zip archives: every member is imported as a file of its own, a child of the archive's source.

The archive is stored as the original, like any file. Each member is then read from that
stored copy (never extracted to disk: a member's name, `../../etc/passwd` or not, is
only a label), stored as a source of its own with its own SHA-256 and MD5 and a link to
the archive's source (`sources.parent_source_id`, `sources.member_path`), and imported
by the importer its bytes call for -- so `verify` proves a member's bytes like any
original's, and an exhibit names the member it came from. A member that is itself a zip
is unpacked the same way, up to MAX_DEPTH archives deep.

What cannot be read is quarantined in the archive's source, with the member's path and
the reason: an encrypted member, a compression method Python cannot read, a member whose
size or expansion looks like a zip bomb (decided from the sizes the archive declares,
which bound what `zipfile` will ever produce), a damaged member (checksum), and members
past the guard on the archive's total expanded size. The importer itself only sniffs;
the pipeline (app.importers.pipeline) does the storing, as only it sees the case.
"""

import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive's end record
# Formats that are zip files inside but documents to a user: not unpacked into their XML parts.
NOT_ARCHIVES = {
    "docx",
    "docm",
    "xlsx",
    "xlsm",
    "pptx",
    "pptm",
    "odt",
    "ods",
    "odp",
    "odg",
    "epub",
    "jar",
    "apk",
    "ipa",
    "xpi",
    "vsix",
    "nupkg",
    "whl",
    "kmz",
    "3mf",
    "pages",
    "numbers",
    "key",
}
MAX_DEPTH = 3  # an archive in an archive in an archive; deeper ones are quarantined
# A member that expands more than BOMB_RATIO times AND to more than BOMB_FLOOR bytes is not
# read: real logs compress 10-20x, a zip bomb thousands of times.
BOMB_RATIO = 200
BOMB_FLOOR = 256 * 1024 * 1024
# No archive expands to more than this in total (all members, nested archives included).
MAX_EXPANDED = 64 * 1024**3


class ArchiveError(ValueError):
    """The archive as a whole cannot be read (its directory is damaged)."""


@dataclass
class ZipMember:
    """One file inside an archive: its path there, sizes, and why it cannot be read (if so)."""

    path: str
    size: int
    compressed: int
    info: zipfile.ZipInfo
    problem: str | None = None


class ZipArchiveImporter:
    name = "zip"
    family = "archive"
    is_archive = True  # the pipeline imports its members; `read` is never called for it
    random_access = True

    def sniff(self, head: bytes, filename: str) -> int:
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return 95 if head.startswith(ZIP_MAGIC) and extension not in NOT_ARCHIVES else 0

    def read(self, stream, ctx):
        raise ArchiveError(
            f"{ctx.file_name} is a zip archive: its members are imported one by one as files "
            f"of their own; name a member file instead."
        )


class ExpansionBudget:
    """What the members of one archive (nested ones included) may still expand to."""

    def __init__(self, limit: int | None = None):
        self.left = MAX_EXPANDED if limit is None else limit

    def take(self, size: int) -> bool:
        """False from the first member past the limit on: the rest are refused too, not picked to fit."""
        if size > self.left:
            self.left = -1
            return False
        self.left -= size
        return True


def open_archive(stream: BinaryIO, label: str) -> zipfile.ZipFile:
    """The archive of a seekable stream, or ArchiveError in plain words."""
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveError(
            f"{label}: the zip archive cannot be read (its table of contents is damaged or missing: {exc})."
        ) from exc


def archive_members(archive: zipfile.ZipFile, budget: ExpansionBudget) -> Iterator[ZipMember]:
    """The archive's files in their stored order, each with the reason it cannot be read, if any."""
    for info in archive.infolist():
        if info.is_dir():
            continue  # a folder entry holds no bytes; its files are listed on their own
        member = ZipMember(info.filename, info.file_size, info.compress_size, info)
        member.problem = _problem(archive, info, budget)
        yield member


def _problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: ExpansionBudget) -> str | None:
    if info.flag_bits & 0x1:
        return "the member is encrypted; its password is not known to Casefile"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        return f"the member is compressed with a method Casefile cannot read (zip method {info.compress_type})"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > BOMB_FLOOR and ratio > BOMB_RATIO:
        return (
            f"the member would expand from {info.compress_size:,} to {info.file_size:,} bytes ({ratio:,.0f} "
            f"times), which is how a zip bomb looks; it was not unpacked"
        )
    if info.file_size == 0:
        return "the member is empty (0 bytes)"
    if not budget.take(info.file_size):
        return (
            f"the archive's members would expand to more than {MAX_EXPANDED:,} bytes in all; this member "
            f"({info.file_size:,} bytes) and the rest past that limit were not unpacked"
        )
    try:
        archive.open(info).close()  # its local header: a damaged one is said here, not half-way through
    except MEMBER_ERRORS as exc:
        return f"the member cannot be read ({type(exc).__name__}: {exc})"
    return None


def open_member(archive: zipfile.ZipFile, member: ZipMember) -> "CheckedMember":
    """A stream of the member's bytes (zipfile never gives more than its declared size)."""
    return CheckedMember(archive.open(member.info), member.info.CRC)


class CheckedMember:
    """A member's bytes with their checksum taken here: a damaged member's bytes are kept, then said.

    zipfile raises on a bad checksum during the last read and hands over none of that
    read's bytes; with its own check off (`_expected_crc`), every byte is stored and the
    mismatch is raised after the last one.
    """

    def __init__(self, stream, expected_crc: int):
        self._stream = stream
        self._stream._expected_crc = None
        self._expected = expected_crc
        self._crc = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if data:
            self._crc = zlib.crc32(data, self._crc)
        elif self._crc != self._expected:
            raise zipfile.BadZipFile("Bad CRC-32: the member's checksum does not match its bytes")
        return data

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._stream.close()


# Errors reading a member's bytes: a damaged member (bad checksum, cut short) or an
# unreadable compression. Quarantined with the member; the next member is read.
MEMBER_ERRORS = (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, ValueError)
