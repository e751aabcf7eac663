"""`verify`, for custody: where each original came from, the case's own settings, the text index.

A source's provenance (original name and path, file time, custodian, importer, settings,
counts, who imported it and when) is compared with its import's audit entry; the case's
name, number and time zone with the entry that created it; the text index with the
items' text (FTS5's own integrity check); and rows that belong to nothing (a payload
of no item, a part of no original) are named.
"""

import json
import sqlite3
from pathlib import PurePath, PureWindowsPath

from app.core.taxonomy import load_taxonomy
from app.store.sources import PROVENANCE_COLUMNS
from app.store import cjk_index
from app.store.verify_result import Discrepancy, VerifyResult

COUNT_COLUMNS = {
    "read_count": "read",
    "imported_count": "imported",
    "duplicate_count": "duplicates",
    "quarantined_count": "quarantined",
    "blank_count": "blank",
    "comment_count": "comment",
    "items_created": "items_created",
}
COLUMN_WORDS = {
    "original_path": "original path",
    "original_name": "original file name",
    "mtime_utc": "file's last-modified time",
    "custodian": "custodian",
    "operator": "operator",
    "host": "computer it was imported on",
    "tool_version": "Casefile version",
    "imported_utc": "time of import",
    "chunk_size": "storage layout",
    "importer": "importer",
    "settings": "import settings (time zone, mapping, ...)",
    "parent_source_id": "archive it was unpacked from",
    "member_path": "path inside its archive",
}
# Meta values the entry that created the case records; the Casefile version that created
# it and when are recorded there too from this version on.
CREATE_META = ("name", "number", "timezone", "created_utc", "created_with")


def check_provenance(conn: sqlite3.Connection, import_entries: dict[int, dict], result: VerifyResult) -> None:
    """Each source's provenance columns against its import's audit entry (`import_entries`: whole entries)."""
    old = []
    columns = ", ".join(("id", "importer", "settings", *PROVENANCE_COLUMNS, *COUNT_COLUMNS))
    for row in conn.execute(f"SELECT {columns} FROM sources ORDER BY id"):
        stored = dict(zip(("id", "importer", "settings", *PROVENANCE_COLUMNS, *COUNT_COLUMNS), row))
        entry = import_entries.get(stored["id"])
        if entry is None:
            continue  # named by the sources check: not recorded by any import
        logged = entry["details"]
        changed = []
        if stored["importer"] != logged.get("importer"):
            changed.append("importer")
        try:
            settings = json.loads(stored["settings"])
        except (TypeError, ValueError):
            settings = None
        if settings != logged.get("settings"):
            changed.append("settings")
        counts = logged.get("counts", {})
        changed += [column for column, key in COUNT_COLUMNS.items() if stored[column] != counts.get(key)]
        recorded = logged.get("source")
        if recorded is not None:
            changed += [column for column in PROVENANCE_COLUMNS if stored[column] != recorded.get(column)]
        else:  # imported before the entry recorded them: the file's name is in it, the rest is not
            old.append(stored["id"])
            if stored["original_name"] != _file_name(logged.get("file")):
                changed.append("original_name")
        for column in changed:
            words = COLUMN_WORDS.get(column) or f"count '{COUNT_COLUMNS[column]}'"
            result.problems.append(
                Discrepancy(
                    "sources",
                    stored["id"],
                    f"its {words} ({column}) differs from what its import recorded in the audit log",
                )
            )
    if old:
        which = f"source {old[0]}" if len(old) == 1 else "sources " + ", ".join(map(str, old))
        result.not_covered.append(
            f"the original path, file time, custodian, operator, computer and time of import "
            f"of {which}: the import entries of earlier Casefile versions do not record them."
        )


def _file_name(path: str | None) -> str | None:
    if not path:
        return None
    return PureWindowsPath(path).name if "\\" in path else PurePath(path).name


SIGNED_META = {"case_id"}


def check_meta(conn: sqlite3.Connection, create_entry: dict | None, result: VerifyResult) -> None:
    """The case's name, number and time zone (and more) against the entry that created the case."""
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if create_entry is None:
        result.problems.append(
            Discrepancy(
                "meta",
                None,
                "the audit log has no entry creating the case, so its name, number and time zone cannot be checked",
            )
        )
        return
    recorded = create_entry["details"]
    expected = {key: recorded[key] for key in CREATE_META if key in recorded}
    if "number" in expected:
        expected["number"] = expected["number"] or ""  # stored as "" when none was given
    for key, value in expected.items():
        if key not in meta:
            result.problems.append(Discrepancy("meta", key, "missing: the case's setting was removed"))
        elif meta[key] != value:
            result.problems.append(
                Discrepancy(
                    "meta",
                    key,
                    f"changed outside the application: {meta[key]!r} where the case was created with {value!r}",
                )
            )
    # The case id is inside every signature (app/store/verify_signatures.py): a changed id
    # breaks them all, so it is covered there rather than by the entry creating the case.
    unchecked = sorted(set(meta) - set(expected) - SIGNED_META)
    if unchecked:
        result.not_covered.append(
            f"the case settings {', '.join(unchecked)} (table meta): no audit entry records them."
        )
    result.checked["case_settings"] = len(expected)


def check_designations(conn: sqlite3.Connection, create_entry: dict | None, result: VerifyResult) -> None:
    """Each category's privilege designation, page legend and ToS flag, which no one edits in the application.

    A category's privilege decides what an export withholds; its legend is printed on every
    page. They are recorded when the case is created; for a case created before that, the
    taxonomy Casefile ships is what they were set from. Categories added later have none.
    """
    recorded = (create_entry or {}).get("details", {}).get("designations")
    if recorded is None:
        recorded = {
            c.code: [c.privilege, c.legend, int(c.records_tos_version)]
            for c in load_taxonomy()
            if c.privilege or c.legend or c.records_tos_version
        }
    for code, privilege, legend, tos in conn.execute(
        "SELECT code, privilege, legend, coalesce(records_tos_version, 0) FROM taxonomy ORDER BY position"
    ):
        expected = recorded.get(code, [None, None, 0])
        for column, value, wanted in zip(
            ("privilege", "legend", "records_tos_version"), (privilege, legend, tos), expected
        ):
            if value != wanted:
                words = {
                    "privilege": "privilege designation (what an export withholds)",
                    "legend": "legend printed on pages",
                    "records_tos_version": "'records the terms version' flag",
                }
                result.problems.append(
                    Discrepancy(
                        "taxonomy",
                        code,
                        f"its {words[column]} ({column}) changed outside "
                        f"the application: {value!r} where the case was created with "
                        f"{wanted!r}",
                    )
                )


def check_text_index(conn: sqlite3.Connection, result: VerifyResult) -> None:
    """FTS5's integrity check of every text index, against the items' text it indexes.

    An index changed behind the application's back finds items for words they do not hold,
    or misses items that hold them; the items' text itself is covered by their content hashes.
    """
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'"
        )
    ]
    for table in tables:
        try:
            conn.execute(f'INSERT INTO "{table}"("{table}", rank) VALUES (\'integrity-check\', 1)')
        except sqlite3.DatabaseError as exc:
            if not getattr(exc, "sqlite_errorname", "").startswith("SQLITE_CORRUPT"):
                # Not a mismatch: the check itself could not run (say, a tokenizer this Casefile lacks).
                result.not_covered.append(f"the text index {table}: it could not be checked ({exc}).")
                continue
            result.problems.append(
                Discrepancy(
                    table,
                    None,
                    "the text index does not match the items' text: a search could find items that do not "
                    f"hold the words, or miss items that do (SQLite: {exc}). Keep this case file as it is.",
                )
            )
    if cjk_index.CJK_TABLE in tables:
        # Contentless, so FTS5's check above only proves it self-consistent: its rows are
        # compared with what the items' titles and text give.
        for item_id, problem in cjk_index.index_discrepancies(conn):
            result.problems.append(Discrepancy(cjk_index.CJK_TABLE, item_id, problem))
    result.checked["text_indexes"] = len(tables)


def check_stray_rows(conn: sqlite3.Connection, result: VerifyResult) -> None:
    """Rows that belong to nothing, or that are no longer bytes where bytes were stored."""
    for item_id, role in conn.execute(
        "SELECT item_id, role FROM item_payloads WHERE item_id NOT IN (SELECT id FROM items)"
    ):
        result.problems.append(
            Discrepancy("item_payloads", f"item {item_id} {role}", "bytes of an item that is not in the case")
        )
    for item_id, role, kind in conn.execute(
        "SELECT item_id, role, typeof(data) FROM item_payloads WHERE typeof(data) != 'blob'"
    ):
        result.problems.append(
            Discrepancy(
                "item_payloads",
                f"item {item_id} {role}",
                f"stored as {kind}, no longer as bytes: changed outside the application",
            )
        )
    for (source_id,) in conn.execute(
        "SELECT DISTINCT source_id FROM source_chunks WHERE source_id NOT IN (SELECT id FROM sources)"
    ):
        result.problems.append(
            Discrepancy("source_chunks", f"source {source_id}", "parts of an original that is not in the case")
        )
    for table in ("quarantine", "duplicates"):
        for (source_id,) in conn.execute(
            f"SELECT DISTINCT source_id FROM {table} WHERE source_id NOT IN (SELECT id FROM sources)"
        ):
            result.problems.append(
                Discrepancy(table, f"source {source_id}", "rows of a source that is not in the case")
            )
