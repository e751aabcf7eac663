"""The import pipeline: store and hash, stream, insert, index, reconcile -- in ONE transaction.

`import_files` is a generator: it yields `Progress` and returns an `ImportReport`.
The GUI runs it on a worker thread, the CLI with a progress bar. Everything it writes
(originals, items, quarantine, duplicates, the text index, the audit entry) commits
together at the end; a cancel, an error or a killed process leaves the case as it was.

Per file: the original is stored and hashed in one pass (app.store.sources); the
importer is chosen from the stored copy; records are parsed from the file (hashed
again as it is read, and refused if it changed) while the item writer's thread inserts
and indexes the previous batch (app.importers.item_writer). A large import into a case
nobody else has open writes its pages straight into the case file rather than through
the write-ahead log (app.store.direct_writes).
"""

import io
import sqlite3
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from app.core.cancel import Cancelled, CancelToken, Progress
from app.core.hashing import canonical_json
from app.core.records import ImportSettings, Quarantined, Skipped, describe_locator
from app.core.timestamps import TimestampParser
from app.importers.archive_unpack import Member, list_archive, unpack_members
from app.importers.base import ImportContext
from app.importers.compressed import (
    ExpansionCheck,
    ExpansionRefused,
    early_end_note,
    inner_name,
    open_decompressed,
    read_head,
    unreadable_start,
    until_the_break,
)
from app.importers.bulk_load import large_for_case, rebuild_indexes, set_indexes_aside
from app.importers.chat.slack import SlackExportImporter, is_slack_export
from app.importers.dedup_keys import DedupKeys
from app.importers.item_writer import ItemWriter
from app.importers.ocr import read_items, tesseract_missing
from app.importers.registry import FormatNotRecognised, choose_importer
from app.importers.zip_archive import ZipArchiveImporter
from app.store.case_file import CaseFile
from app.store.direct_writes import writing_directly
from app.store.ocr_layers import needing_ocr
from app.store.recovery import describe_files
from app.store.sources import CheckedFileReader, keep_if_new, open_source, source_provenance, store_original_steps

HEAD_BYTES = 64 * 1024
OCR_IMPORTERS = ("pdf", "image")  # files whose items may be scans: read by OCR after they are imported
PROGRESS_EVERY = 2000  # records between progress reports and cancel checks
PROGRESS_SECONDS = 0.5  # ... or sooner when records are slow (e-mails with large attachments)
GIL_TURN_SECONDS = 0.0005


@dataclass
class FileReport:
    """What happened to one input file: the reconciliation the user is shown."""

    path: str
    source_id: int | None = None
    importer: str | None = None
    already_imported_as: int | None = None
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    quarantined: int = 0
    blank: int = 0
    comment: int = 0
    items_created: int = 0  # imported records plus their children (attachments)
    error: str | None = None
    quarantined_whole: str | None = None  # why the file is kept only as a stored original
    unpacked: int = 0  # an archive's files unpacked and imported as sources of their own (reported after it)
    not_imported: str | None = None  # why nothing of it was stored (a compressed file expanding too far)
    note: str | None = None  # what the user should know beyond the counts (a compressed file ending early)

    @property
    def reconciles(self) -> bool:
        return self.read == self.imported + self.duplicates + self.quarantined + self.blank + self.comment

    def summary(self) -> str:
        if self.already_imported_as is not None:
            return f"{self.path}: already imported as source {self.already_imported_as}; nothing added."
        if self.error:
            return f"{self.path}: {self.error}"
        if self.quarantined_whole:
            return f"{self.path}: stored and quarantined whole: {self.quarantined_whole}."
        if self.not_imported:
            return f"{self.path}: {self.not_imported}."
        if self.importer == ZipArchiveImporter.name:
            return (
                f"{self.path}: zip archive of {self.unpacked + self.quarantined:,} files: {self.unpacked:,} "
                f"unpacked and imported as files of their own (listed after it), {self.quarantined:,} "
                f"quarantined"
            )
        return (
            f"{self.path}: read {self.read:,}, imported {self.imported:,}, duplicates "
            f"{self.duplicates:,}, quarantined {self.quarantined:,}, blank/comment "
            f"{self.blank + self.comment:,}" + (f" -- {self.note}" if self.note else "")
        )


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    ocr_read: int = 0  # scanned PDFs and images given an OCR text layer by this import
    ocr_note: str | None = None  # why scans were left without OCR text (Tesseract missing), and how to add it

    @property
    def totals(self) -> dict:
        keys = ("read", "imported", "duplicates", "quarantined", "blank", "comment", "items_created")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys}


def import_files(case: CaseFile, paths, settings: ImportSettings, token: CancelToken | None = None):
    """Import files into the case as one all-or-nothing operation (a generator).

    `paths` holds paths, or (path, folder) pairs for files found in a folder import.
    """
    token = token or CancelToken()
    folders = [p[1] if isinstance(p, tuple) else None for p in paths]
    paths = [Path(p[0] if isinstance(p, tuple) else p) for p in paths]
    report = ImportReport()
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is not a readable file.")
    large = large_for_case(case.conn, sum(path.stat().st_size for path in paths))
    # Marked as under way first: if the process is killed, the next opening names what was discarded.
    with (
        writing_directly(case.conn, large) as direct,
        case.transaction("import", describe_files(paths)),
        _short_gil_turns(),
    ):
        aside = None  # the listing indexes set aside, decided when the first new file is stored
        dedup = DedupKeys(case.conn, direct)  # what the files of this operation have seen, across files
        try:
            for index, (path, folder) in enumerate(zip(paths, folders)):
                file_report = FileReport(str(path))
                report.files.append(file_report)
                file_settings = settings.for_file(path)
                stored = yield from _store_original(case, path, file_settings, token, file_report)
                if stored is None:
                    continue
                if aside is None:
                    new_bytes = stored[1].size + sum(p.stat().st_size for p in paths[index + 1 :])
                    aside = set_indexes_aside(case.conn, new_bytes)
                archive = yield from _import_one(case, path, *stored, file_settings, token, file_report, dedup, folder)
                if archive is not None:
                    yield from unpack_members(
                        case,
                        archive,
                        file_settings,
                        token,
                        _MemberImports(case, path, file_settings, token, dedup, folder, report.files),
                    )
        finally:
            dedup.close()
        yield from _read_scans(case, report, settings, token)
        yield from rebuild_indexes(case.conn, aside or [], token)
    return report


def _read_scans(case: CaseFile, report: ImportReport, settings: ImportSettings, token: CancelToken):
    """OCR text for the scanned PDFs and images this import brought in, in its transaction.

    Only files read as PDFs or images are looked at (a log import never gets here). Without
    Tesseract the import is complete all the same, and the report says how to add the text."""
    sources = [f.source_id for f in report.files if f.importer in OCR_IMPORTERS and f.source_id is not None]
    if not sources or not settings.ocr:
        return
    wanted = needing_ocr(case.conn, source_ids=sources)
    if not wanted:
        return
    missing = tesseract_missing()
    if missing:
        report.ocr_note = f"{len(wanted):,} scanned page file(s) have no text to search. {missing}"
        return
    details = yield from read_items(case, wanted, token, "Reading scanned pages (OCR)")
    report.ocr_read = len(details["layers"])


@contextmanager
def _short_gil_turns():
    """Let the writer's thread take the GIL back sooner while an import runs.

    It needs the GIL briefly between SQLite statements; with Python's default 5 ms turns
    it often waited for the parsing thread's turn to end (1M rows: 58.9 s -> 54.4 s with
    0.5 ms turns). Python-wide, so it is put back afterwards.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(GIL_TURN_SECONDS)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def _store_original(case: CaseFile, path: Path, settings: ImportSettings, token: CancelToken, report: FileReport):
    """Store and hash the original (a generator); (source_id, hasher), or None if already in the case."""
    conn = case.conn
    conn.execute("SAVEPOINT store_original")
    check = None if settings.allow_large_expansion else ExpansionCheck(settings, path)
    try:
        source_id, hasher = yield from store_original_steps(
            conn, path, "?", settings, case.operator, token, check and check.feed
        )
    except ExpansionRefused as refused:  # nothing of the file stays: it can be imported again, allowed
        conn.execute("ROLLBACK TO store_original")
        conn.execute("RELEASE store_original")
        report.not_imported = str(refused)
        return None
    report.already_imported_as = keep_if_new(conn, "store_original", source_id, hasher)
    return None if report.already_imported_as is not None else (source_id, hasher)


def _import_one(
    case: CaseFile,
    path: Path,
    source_id: int,
    hasher,
    settings: ImportSettings,
    token: CancelToken,
    report: FileReport,
    dedup: DedupKeys,
    folder: str | None = None,
    member: Member | None = None,
):
    """Read one stored original into items (a generator); an Archive to unpack next, if it is one.

    `member`: the original is a file unpacked from an archive, not `path` itself.
    """
    conn = case.conn
    raw = open_source(conn, source_id)  # from here on only the stored (hashed) copy is read
    name = member.name if member else path.name
    report.source_id = source_id
    whole_file_reason = member.damage if member else None
    archive = None
    if whole_file_reason:
        importer = _NoImporter()
    elif hasher.size == 0:
        whole_file_reason = "the file is empty (0 bytes)"
        importer = _NoImporter()
    elif (whole_file_reason := unreadable_start(raw)) is not None:
        importer = _NoImporter()
    else:
        try:
            importer = _pick_importer(raw, name, settings)
        except FormatNotRecognised as exc:
            whole_file_reason = str(exc)
            importer = _NoImporter()
    if getattr(importer, "is_archive", False):
        archive, whole_file_reason = list_archive(open_source(conn, source_id), source_id, report.path, member)
    report.importer = importer.name
    report.quarantined_whole = whole_file_reason
    conn.execute("UPDATE sources SET importer = ? WHERE id = ?", (importer.name, source_id))
    ctx = ImportContext(
        settings=settings,
        timestamps=TimestampParser(
            settings.timezone or case.timezone,
            settings.dayfirst,
            settings.year or (member.mtime if member else _file_mtime(path)).year,
        ),
        file_name=name,
        file_path=path,
        file_mtime=member.mtime if member else _file_mtime(path),
        folder=folder,
    )
    token.raise_if_cancelled()
    writer = ItemWriter(conn, source_id, settings.custodian, dedup)
    # Records are read from the file while the writer's thread writes to the case (the case's
    # connection is busy then); the file is hashed again as it is read and must match. Formats
    # read by a library that seeks (a PDF, an image, an Outlook file: one record each) read
    # the stored copy.
    checked = None if member or getattr(importer, "random_access", False) else CheckedFileReader(path)
    try:
        raw = open_source(conn, source_id) if checked is None else io.BufferedReader(checked, buffer_size=1024 * 1024)
        gunzip = None
        if whole_file_reason is not None:
            records = iter([Quarantined({"whole_file": True}, None, whole_file_reason)])
        elif archive is not None:
            records = iter(archive.quarantined)  # its readable members are unpacked after it
            report.unpacked = len(archive.members)
            ctx.provenance.update(archive="zip", members=len(archive.members) + len(archive.quarantined))
        else:
            stream, gunzip = open_decompressed(raw, settings)
            ctx.stream_is_original = gunzip is None
            if gunzip is not None and getattr(importer, "random_access", False):
                stream = io.BytesIO(stream.read())  # its library seeks; kept in memory, not in a temporary file
            records = until_the_break(_contained(importer.read(stream, ctx)), gunzip, importer.name)
        label = f"Importing {name}"
        next_report = time.monotonic() + PROGRESS_SECONDS
        for count, record in enumerate(records, start=1):
            _count(record, report)
            writer.add(record)
            if count % PROGRESS_EVERY == 0 or time.monotonic() >= next_report:
                token.raise_if_cancelled()
                done, total, unit = (
                    importer.progress() if hasattr(importer, "progress") else (raw.tell(), hasher.size, "bytes")
                )
                yield Progress(label, done, total, unit, count)
                next_report = time.monotonic() + PROGRESS_SECONDS
        report.note = early_end_note(gunzip)
        if checked is not None and checked.finish() != hasher.sha256:
            raise IOError(f"{path} changed while it was being imported; import it again when it is complete.")
        yield from writer.build_text_index(token, f"Indexing text of {name}")
    except BaseException:  # a cancel, an error, the generator closed: the rollback follows
        writer.close(discard=True)
        raise
    finally:
        writer.close()  # before the transaction ends either way: no statement may still be running
        if checked is not None:
            checked.close()
    report.imported, report.duplicates = writer.imported, writer.duplicates
    report.quarantined, report.items_created = writer.quarantined, writer.items_created
    provenance = {**settings.provenance(), **ctx.provenance}
    counts = {
        "read": report.read,
        "imported": report.imported,
        "duplicates": report.duplicates,
        "quarantined": report.quarantined,
        "blank": report.blank,
        "comment": report.comment,
        "items_created": report.items_created,
    }
    conn.execute(
        "UPDATE sources SET settings = ?, read_count = ?, imported_count = ?, duplicate_count = ?,"
        " quarantined_count = ?, blank_count = ?, comment_count = ?, items_created = ? WHERE id = ?",
        (
            canonical_json(provenance),
            report.read,
            report.imported,
            report.duplicates,
            report.quarantined,
            report.blank,
            report.comment,
            report.items_created,
            source_id,
        ),
    )
    case.audit(
        "import",
        {
            "source_id": source_id,
            "sha256": hasher.sha256,
            "md5": hasher.md5,
            "size": hasher.size,
            "file": str(path),
            "importer": importer.name,
            "settings": provenance,
            "counts": counts,
            "item_digest": writer.digest(),
            "first_item_id": writer.first_id,
            "last_item_id": writer.last_id,
            **({"archive_source_id": member.archive_source_id, "member": member.path} if member else {}),
            **writer.coverage_digests(),
            "source": source_provenance(conn, source_id),
        },
    )
    return archive


class _MemberImports:
    """How unpack_members reports and imports the files it unpacks: as files, from their stored copies."""

    def __init__(
        self,
        case: CaseFile,
        path: Path,
        settings: ImportSettings,
        token: CancelToken,
        dedup: DedupKeys,
        folder: str | None,
        reports: list,
    ):
        self.case, self.path, self.settings, self.token = case, path, settings, token
        self.dedup, self.folder, self.reports = dedup, folder, reports

    def new_report(self, label: str) -> FileReport:
        self.reports.append(FileReport(label))
        return self.reports[-1]

    def read(self, source_id: int, hasher, report: FileReport, member: Member):
        return (
            yield from _import_one(
                self.case,
                self.path,
                source_id,
                hasher,
                self.settings,
                self.token,
                report,
                self.dedup,
                self.folder,
                member,
            )
        )


class _NoImporter:
    """Stands in for the importer of a file that is stored and quarantined whole."""

    name = "none"
    random_access = False


def _contained(records):
    """The importer's records; if reading fails part-way, the rest of the file is quarantined.

    The safety net under every importer (which should quarantine a bad record itself and go
    on): what was read before the failure is kept, the rest becomes one quarantine row that
    says where it starts and why, and the import goes on with the next file. A cancel and a
    failure of the case file itself still stop the whole operation (and roll it back).
    """
    last = None
    try:
        for record in records:
            last = record
            yield record
    except (Cancelled, sqlite3.Error):
        raise
    except Exception as exc:  # noqa: BLE001 -- any parser failure becomes a stated quarantine
        place = {"after": describe_locator(last.locator)} if last is not None else {"whole_file": True}
        yield Quarantined(place, None, f"could not be read from here on: {unreadable_reason(exc)}")


def unreadable_reason(exc: BaseException) -> str:
    """Why a file could not be read, in words (the exception's own text is kept at the end).

    A damaged or cut-short gzip never gets here: app/importers/compressed.py ends its output
    at the break and the pipeline quarantines the rest with the place (`until_the_break`)."""
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "a record is too large to read"
    if isinstance(exc, UnicodeDecodeError):
        return f"it is not valid {exc.encoding} text at byte {exc.start:,}"
    return f"the reader stopped with an error ({type(exc).__name__}: {exc})"


def _count(record, report: FileReport) -> None:
    if isinstance(record, Skipped):
        if record.why == "comment":
            report.comment += 1
        else:
            report.blank += 1
    report.read += 1


def _pick_importer(raw: io.BufferedReader, name: str, settings: ImportSettings):
    """The importer for a stored original, from its first bytes (decompressed) and its name.

    A zip archive is unpacked whatever `--as` says: that names the format of its members.
    """
    head = read_head(raw, HEAD_BYTES)
    if ZipArchiveImporter().sniff(head, name):
        # a Slack workspace export is one piece of evidence, read as a whole, not unpacked
        if settings.as_kind in (SlackExportImporter.name, "chat") or is_slack_export(raw):
            return SlackExportImporter()
        return ZipArchiveImporter()
    return choose_importer(head, inner_name(name), settings.as_kind)


def _file_mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
