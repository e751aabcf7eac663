"""Unpacking an archive during an import: each readable member stored as a source of its own, then imported.

The pipeline stores and reads the archive like any file; its "records" are only the
members that cannot be unpacked (quarantined in the archive's source, see
app.importers.zip_archive). Then each readable member is read from the stored archive
into a source of its own (hashed as it is stored, linked to the archive's source) and
imported from that stored copy exactly as a file would be: sniffed, read by its importer,
quarantined whole when empty or not recognised, or unpacked in turn when it is a zip.
A member whose bytes cannot all be read (a checksum that does not match, data cut short)
keeps what could be read and is quarantined whole with the reason.
"""

import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePosixPath

from app.core.records import Quarantined
from app.importers.zip_archive import (
    MAX_DEPTH,
    MEMBER_ERRORS,
    ArchiveError,
    ExpansionBudget,
    ZipMember,
    archive_members,
    open_archive,
    open_member,
)
from app.store.sources import insert_member_source, keep_if_new, store_stream_steps


@dataclass
class Member:
    """A file unpacked from an archive, as the pipeline imports it (it has no path on disk)."""

    archive_source_id: int
    path: str  # inside the archive, as the archive names it
    name: str  # its file name, for choosing the importer
    mtime: datetime  # its date in the archive (zip stores no zone: read as UTC)
    depth: int  # how many archives it is inside
    budget: ExpansionBudget
    damage: str | None = None  # why its bytes could not all be read: it is then quarantined whole


@dataclass
class Archive:
    """A stored archive ready to unpack: the members to unpack and those quarantined."""

    source_id: int
    label: str  # how the import's report names it
    zip: zipfile.ZipFile
    members: list[ZipMember]
    quarantined: list[Quarantined]
    depth: int
    budget: ExpansionBudget


def list_archive(stream, source_id: int, label: str, inside: Member | None) -> tuple[Archive | None, str | None]:
    """(the Archive, None), or (None, why it is quarantined whole): damaged, or nested too deep."""
    depth = inside.depth + 1 if inside else 1
    if depth > MAX_DEPTH:
        return None, f"a zip archive inside {MAX_DEPTH} other archives is not unpacked (too deeply nested)"
    budget = inside.budget if inside else ExpansionBudget()
    try:
        archive = open_archive(stream, label)
    except ArchiveError as exc:
        return None, str(exc)
    readable, quarantined = [], []
    for member in archive_members(archive, budget):
        if member.problem:
            quarantined.append(Quarantined({"member": member.path}, None, member.problem))
        else:
            readable.append(member)
    return Archive(source_id, label, archive, readable, quarantined, depth, budget), None


def unpack_members(case, archive: Archive, settings, token, imports):
    """Store and import each readable member of `archive` (a generator of Progress).

    `imports` (the pipeline's) makes each member's report (`new_report(label)`) and imports
    a stored member (`read(source_id, hasher, report, member)`, returning an Archive when
    the member is one).
    """
    try:
        for found in archive.members:
            token.raise_if_cancelled()
            nested = yield from _unpack_one(case, archive, found, settings, token, imports)
            if nested is not None:
                yield from unpack_members(case, nested, settings, token, imports)
    finally:
        archive.zip.close()


def _unpack_one(case, archive: Archive, found: ZipMember, settings, token, imports):
    """Store one member as a source of its own and import it; the Archive it is, if it is one."""
    conn = case.conn
    report = imports.new_report(f"{archive.label} > {found.path}")
    mtime = _member_time(found.info) or datetime.fromtimestamp(0, timezone.utc)
    conn.execute("SAVEPOINT store_member")
    source_id = insert_member_source(
        conn, archive.source_id, found.path, mtime.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), settings, case.operator
    )
    try:
        stream = open_member(archive.zip, found)
    except MEMBER_ERRORS as exc:  # listed as readable, yet its header cannot be read now
        conn.execute("ROLLBACK TO store_member")
        conn.execute("RELEASE store_member")
        report.error = f"could not be unpacked ({_plain(exc)}); it stays in the stored archive"
        return None
    with stream:
        hasher, error = yield from store_stream_steps(
            conn, source_id, stream, f"Unpacking {found.path}", found.size, token, MEMBER_ERRORS
        )
    report.already_imported_as = keep_if_new(conn, "store_member", source_id, hasher)
    if report.already_imported_as is not None:
        return None
    damage = None
    if error is not None:
        damage = (
            f"the member is damaged and could not be read whole ({_plain(error)}); the {hasher.size:,} "
            f"bytes that could be read are kept"
        )
    member = Member(
        archive.source_id,
        found.path,
        PurePosixPath(found.path).name or found.path,
        mtime,
        archive.depth,
        archive.budget,
        damage,
    )
    return (yield from imports.read(source_id, hasher, report, member))


def _member_time(info: zipfile.ZipInfo) -> datetime | None:
    try:
        return datetime(*info.date_time, tzinfo=timezone.utc)
    except ValueError:  # a zero or impossible date in the archive
        return None


def _plain(error: BaseException) -> str:
    if isinstance(error, zipfile.BadZipFile) and "CRC" in str(error):
        return "its checksum does not match: the bytes are not those that were packed"
    if isinstance(error, EOFError):
        return "its compressed data ends early"
    return f"{type(error).__name__}: {error}"
