"""`verify`: prove the case is what the application recorded.

Checks SQLite's own integrity, re-hashes every original, replays the audit chain,
recomputes every item's content hash (a log row's fields read back from its original,
app/store/item_fields.py) and each import's digest, checks what the content hashes leave
out (app/store/verify_rows.py, verify_custody.py), and replays tags,
notes, exhibits and redactions from the audit log against their tables. Each entry's signature is
checked against the operator keys the log registered (verify_signatures.py), and the
chain is held against the heads recorded outside the case: this computer's record,
the recorded productions and any bundle named (head_anchors.py). Each discrepancy names
its table and id; what could not be proved is said in the result's notes. The
verification itself is recorded in the audit log.
"""

import hashlib
import json
from pathlib import Path

import orjson

from app.core.cancel import CancelToken, Progress
from app.core.hashing import item_content_hash
from app.store import audit, findings, head_anchors, redactions, verify_custody, verify_rows
from app.store.verify_facts import check_facts
from app.store.verify_review import check_batches, check_production_items, check_usage
from app.store.ocr_layers import check_layers
from app.store.case_file import CaseFile
from app.store.item_fields import FieldsReader, FieldsUnreadable
from app.store.sources import rehash_source
from app.store.verify_provenance import check_provenance_links
from app.store.verify_result import Discrepancy, VerifyResult
from app.store.verify_result import compare_replayed as _compare
from app.store.verify_signatures import check_signatures


def verify_case(case: CaseFile, token: CancelToken | None = None, record: bool = True, against=()):
    """A generator yielding Progress; returns a VerifyResult. `against`: bundles (PDF or their
    .chain-head.json) whose cited chain head the case must still hold."""
    token = token or CancelToken()
    result = VerifyResult()
    conn = case.conn
    bundle_heads = [(Path(b).name, head_anchors.read_bundle_head(Path(b))) for b in against]  # unreadable: say so first
    yield Progress("Checking the database structure", 0, None, "steps")
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        result.problems += [Discrepancy("database", None, line) for line in integrity[:20]]
    entries = list(_audit_entries(conn, result))
    keys = check_signatures(conn, entries, result)
    head_anchors.check_production_heads(conn, keys, result)
    head_anchors.check_local_record(conn, result)  # before this verification's own entry moves the head
    for name, head in bundle_heads:
        head_anchors.check_bundle(conn, name, head, result)
    yield from _check_sources(conn, entries, result, token)
    yield from _check_items(conn, entries, result, token)
    yield from _check_coverage(conn, entries, result, token)
    _check_tags(conn, entries, result)
    _check_notes(conn, entries, result)
    _check_exhibits(conn, entries, result)
    _check_productions(conn, entries, result)
    _check_taxonomy(conn, entries, result)
    check_facts(conn, entries, result)
    check_batches(conn, entries, result)
    check_production_items(conn, result)
    check_usage(conn, entries, result)
    _compare("redactions", *redactions.verify_redactions(conn, entries), result)
    check_layers(conn, entries, result)
    findings.check_findings(conn, entries, result)
    check_provenance_links(conn, entries, result)
    if record:
        with case.transaction():
            case.audit(
                "verify",
                {
                    "ok": result.ok,
                    "problems": len(result.problems),
                    "checked": result.checked,
                    **({"against": [Path(b).name for b in against]} if against else {}),
                },
            )
    return result


def _audit_entries(conn, result: VerifyResult):
    prev = audit.GENESIS
    expected_seq = 1
    count = 0
    for entry in audit.entries(conn):
        count += 1
        if entry["seq"] != expected_seq:
            result.problems.append(Discrepancy("audit", expected_seq, "entry missing from the chain"))
        if entry["prev_hash"] != prev:
            result.problems.append(Discrepancy("audit", entry["seq"], "does not follow the entry before it"))
        digest = audit.entry_hash(
            entry["prev_hash"],
            entry["seq"],
            entry["ts_utc"],
            entry["actor"],
            entry["host"],
            entry["action"],
            entry["details"],
            entry["key_id"],
            entry["public_key"],
        )
        if digest != entry["hash"]:
            result.problems.append(Discrepancy("audit", entry["seq"], "entry was altered (hash mismatch)"))
        prev = entry["hash"]
        expected_seq = entry["seq"] + 1
        try:
            entry["details"] = json.loads(entry["details"])
        except ValueError:
            entry["details"] = {}
        yield entry
    result.checked["audit_entries"] = count


def _imports(entries) -> dict[int, dict]:
    return {e["details"].get("source_id"): e["details"] for e in entries if e["action"] == "import"}


def _check_sources(conn, entries, result: VerifyResult, token: CancelToken):
    imports = _imports(entries)
    rows = conn.execute("SELECT id, sha256, md5, size, original_name FROM sources ORDER BY id").fetchall()
    for index, (source_id, sha256, md5, size, name) in enumerate(rows, start=1):
        token.raise_if_cancelled()
        yield Progress(f"Re-hashing original {name}", index, len(rows), "files")
        stored, not_bytes = rehash_source(conn, source_id)
        for seq in not_bytes:
            result.problems.append(
                Discrepancy(
                    "source_chunks",
                    f"source {source_id} part {seq}",
                    f"part {seq} of the stored original of {name} is no longer stored as bytes",
                )
            )
        if (stored.sha256, stored.md5, stored.size) != (sha256, md5, size):
            result.problems.append(
                Discrepancy(
                    "sources", source_id, f"the stored original of {name} no longer matches its recorded SHA-256"
                )
            )
        logged = imports.get(source_id)
        if logged is None:
            result.problems.append(Discrepancy("sources", source_id, "not recorded by any import in the audit log"))
        elif logged.get("sha256") != sha256:
            result.problems.append(Discrepancy("sources", source_id, "recorded hash differs from the audit log"))
    for source_id in set(imports) - {r[0] for r in rows}:
        result.problems.append(Discrepancy("sources", source_id, "recorded in the audit log but missing"))
    result.checked["sources"] = len(rows)


def _check_items(conn, entries, result: VerifyResult, token: CancelToken):
    imports = _imports(entries)
    total = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    digests: dict[int, hashlib._Hash] = {}
    counts: dict[int, int] = {}
    done = 0
    cursor = conn.execute(
        "SELECT id, source_id, kind, title, text, fields, ts_original, ts_us, locator, content_hash"
        " FROM item_details ORDER BY source_id, id"
    )
    fields_reader = FieldsReader(conn)  # rows come in source and id order: each chunk read once
    for item_id, source_id, kind, title, text, fields, ts_original, ts_us, locator, stored in cursor:
        try:
            fields = fields_reader.fields_json(source_id, locator, fields)
        except FieldsUnreadable:
            result.problems.append(Discrepancy("items", item_id, "its fields cannot be read from its original"))
        else:
            if item_content_hash(kind, title, text, fields, ts_original, ts_us, locator) != stored:
                result.problems.append(Discrepancy("items", item_id, "content changed since import (hash mismatch)"))
        digest = digests.get(source_id)
        if digest is None:
            digest = digests[source_id] = hashlib.sha256()
        digest.update(stored.encode("ascii") + b"\n")
        counts[source_id] = counts.get(source_id, 0) + 1
        done += 1
        if done % 50000 == 0:
            token.raise_if_cancelled()
            yield Progress("Checking items", done, total, "items")
    for source_id, logged in imports.items():
        expected = logged.get("counts", {}).get("items_created", 0)
        if counts.get(source_id, 0) != expected:
            result.problems.append(
                Discrepancy(
                    "items",
                    f"source {source_id}",
                    f"{counts.get(source_id, 0)} items found, the import recorded {expected}",
                )
            )
        elif expected and digests[source_id].hexdigest() != logged.get("item_digest"):
            result.problems.append(
                Discrepancy(
                    "items",
                    f"source {source_id}",
                    "items differ from those the import recorded (an item or its hash was changed)",
                )
            )
    for source_id in set(counts) - set(imports):
        result.problems.append(Discrepancy("items", f"source {source_id}", "items with no import in the audit log"))
    # A text or fields row whose item is gone: the item's own check cannot see it.
    for (body_id,) in conn.execute("SELECT id FROM item_bodies WHERE id NOT IN (SELECT id FROM items)"):
        result.problems.append(
            Discrepancy("item_bodies", body_id, "text and fields of an item that is not in the case")
        )
    result.checked["items"] = done


def _check_coverage(conn, entries, result: VerifyResult, token: CancelToken):
    """What the content hashes leave out: listed values, payloads, quarantine, provenance, settings, index."""
    import_entries = {e["details"].get("source_id"): e for e in entries if e["action"] == "import"}
    imports = {source_id: entry["details"] for source_id, entry in import_entries.items()}
    yield from verify_rows.check_listing(conn, imports, result, token)
    verify_rows.check_quarantine(conn, imports, result)
    verify_rows.check_duplicates(conn, imports, result)
    verify_custody.check_provenance(conn, import_entries, result)
    created = next((e for e in entries if e["action"] == "case.create"), None)
    verify_custody.check_meta(conn, created, result)
    verify_custody.check_designations(conn, created, result)
    yield Progress("Checking the text index", 0, None, "steps")
    verify_custody.check_text_index(conn, result)
    yield Progress("Checking tags, notes, exhibits and rows that belong to nothing", 0, None, "steps")
    verify_custody.check_stray_rows(conn, result)


def _check_tags(conn, entries, result: VerifyResult) -> None:
    expected: dict[tuple[int, str], tuple] = {}
    for entry in entries:
        d = entry["details"]
        if entry["action"] == "tag":
            for item_id in d.get("item_ids", []):
                expected[(item_id, d["code"])] = (d.get("note"), d.get("tos_version"))
        elif entry["action"] == "untag":
            for item_id in d.get("item_ids", []):
                expected.pop((item_id, d["code"]), None)
    actual = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute("SELECT item_id, code, note, tos_version FROM tags")}
    for key in actual.keys() - expected.keys():
        result.problems.append(Discrepancy("tags", f"item {key[0]} {key[1]}", "tag not recorded in the audit log"))
    for key in expected.keys() - actual.keys():
        result.problems.append(Discrepancy("tags", f"item {key[0]} {key[1]}", "tag in the audit log is missing"))
    for key in expected.keys() & actual.keys():
        if expected[key] != actual[key]:
            result.problems.append(Discrepancy("tags", f"item {key[0]} {key[1]}", "note or version changed"))
    result.checked["tags"] = len(actual)


def _check_notes(conn, entries, result: VerifyResult) -> None:
    expected: dict[int, tuple] = {}
    for entry in entries:
        d = entry["details"]
        if entry["action"] in ("note.add", "note.edit"):
            expected[d["note_id"]] = (d["item_id"], d["text"])
        elif entry["action"] == "note.delete":
            expected.pop(d["note_id"], None)
    actual = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT id, item_id, text FROM notes")}
    _compare("notes", expected, actual, result)


def _check_exhibits(conn, entries, result: VerifyResult) -> None:
    expected: dict[int, tuple] = {}
    for entry in entries:
        d = entry["details"]
        if entry["action"] in ("exhibit.create", "exhibit.update"):
            summary = (d.get("summary_kind"), _canonical(d.get("summary_ref")))
            expected[d["exhibit_id"]] = (d["title"], d.get("description"), tuple(d["item_ids"]), *summary)
        elif entry["action"] == "exhibit.delete":
            expected.pop(d["exhibit_id"], None)
    actual = {}
    for exhibit_id, title, description, kind, ref in conn.execute(
        "SELECT id, title, description, summary_kind, summary_ref FROM exhibits"
    ):
        ids = tuple(
            r[0]
            for r in conn.execute(
                "SELECT item_id FROM exhibit_items WHERE exhibit_id = ? ORDER BY position", (exhibit_id,)
            )
        )
        actual[exhibit_id] = (title, description, ids, kind, _canonical(orjson.loads(ref)) if ref else None)
    _compare("exhibits", expected, actual, result)


def _canonical(value) -> str | None:
    """A summary exhibit's reference as canonical JSON: key order never counts as a change."""
    return None if value is None else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _check_taxonomy(conn, entries, result: VerifyResult) -> None:
    """Replay the starting taxonomy (case.create) and its audited edits against the table."""
    expected: dict[str, tuple] = {}
    complete = False  # cases created before the starting taxonomy was audited: edits only
    for entry in entries:
        d = entry["details"]
        if entry["action"] == "case.create" and "taxonomy" in d:
            expected.update((row[0], tuple(row)) for row in d["taxonomy"])
            complete = True
        elif entry["action"] in ("taxonomy.add", "taxonomy.update"):
            expected[d["code"]] = (d["code"], d["name"], d["description"], d["grp"], d["parent_code"])
    actual = {
        r[0]: tuple(r)
        for r in conn.execute("SELECT code, name, coalesce(description, ''), grp, parent_code FROM taxonomy")
    }
    if not complete:
        actual = {code: row for code, row in actual.items() if code in expected}
    expected = {code: (*row[:2], row[2] or "", *row[3:]) for code, row in expected.items()}
    _compare("taxonomy", expected, actual, result)


def _check_productions(conn, entries, result: VerifyResult) -> None:
    """Each exported bundle (its PDF hash and Bates ranges) matches its audit entry."""
    expected = {}
    for entry in entries:
        d = entry["details"]
        if entry["action"] == "production.create":
            exhibits = tuple((e["label"], e["bates_first"], e["bates_last"]) for e in d["exhibits"])
            expected[d["production_id"]] = (
                d["pdf_sha256"],
                d["bates_prefix"],
                d["bates_first"],
                d["bates_last"],
                exhibits,
            )
    actual = {}
    for row in conn.execute("SELECT id, pdf_sha256, bates_prefix, bates_first, bates_last FROM productions"):
        exhibits = tuple(
            conn.execute(
                "SELECT label, bates_first, bates_last FROM production_exhibits"
                " WHERE production_id = ? ORDER BY position",
                (row[0],),
            ).fetchall()
        )
        actual[row[0]] = (*row[1:], exhibits)
    _compare("productions", expected, actual, result)
