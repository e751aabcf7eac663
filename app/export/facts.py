"""Facts about exhibits looked up in the case: sources, item hashes, legends, metadata.

Shared by the certificate, the hash manifest, the exhibit list and the load file.
Item ids are looked up in chunks so a long log excerpt never builds a huge query.
"""

import hashlib
import sqlite3

import orjson

from app.store.sql_lists import chunks, marks

SOURCE_COLUMNS = ("id", "original_name", "sha256", "md5", "size", "imported_utc", "operator", "custodian")
METADATA_KINDS = ("email", "attachment")  # whose fields describe them (from, to, subject, filename, hashes)
CERTIFICATE_ITEMS = 25  # items listed per exhibit in the certificate; all are in the manifest


def sources_of(conn: sqlite3.Connection, item_ids: list[int]) -> list[dict]:
    """The source files the items came from, in id order."""
    source_ids: set[int] = set()
    for part in chunks(item_ids):
        source_ids.update(
            r[0] for r in conn.execute(f"SELECT DISTINCT source_id FROM items WHERE id IN ({marks(part)})", part)
        )
    rows = (
        conn.execute(
            f"SELECT {', '.join(SOURCE_COLUMNS)} FROM sources WHERE id IN ({marks(source_ids)}) ORDER BY id",
            sorted(source_ids),
        ).fetchall()
        if source_ids
        else []
    )
    return [dict(zip(SOURCE_COLUMNS, r), name=r[1]) for r in rows]


def item_hashes(conn: sqlite3.Connection, item_ids: list[int]):
    """(id, kind, content_hash, source_id, sha256, md5, size) for the items, in the order given:
    content_hash is the item's record hash from import; sha256, md5 and size are those of the
    item's own bytes where the importer recorded them (attachments), else None. (Not a log
    row's fields: a column named sha256 there is evidence, not the row's hash.)"""
    for part in chunks(item_ids):
        found = {
            r[0]: r
            for r in conn.execute(
                "SELECT id, kind, content_hash, source_id, json_extract(f, '$.sha256'), json_extract(f, '$.md5'),"
                " json_extract(f, '$.size') FROM"
                f" (SELECT *, CASE WHEN kind IN ({marks(METADATA_KINDS)}) THEN fields END"
                f" AS f FROM item_details WHERE id IN ({marks(part)}))",
                [*METADATA_KINDS, *part],
            )
        }
        for item_id in part:
            if item_id in found:
                yield found[item_id]


def certificate_entry(conn: sqlite3.Connection, label: str, title: str, bates: str, item_ids: list[int]) -> dict:
    """What the certificate prints for one exhibit."""
    digest = hashlib.sha256()
    listed = []
    for item_id, kind, content_hash, *_rest in item_hashes(conn, item_ids):
        digest.update(content_hash.encode("ascii") + b"\n")
        if len(listed) < CERTIFICATE_ITEMS:
            listed.append({"id": item_id, "kind": kind, "content_hash": content_hash})
    return {
        "label": label,
        "title": title,
        "bates": bates,
        "sources": sources_of(conn, item_ids),
        "items": listed,
        "item_count": len(item_ids),
        "more_items": max(0, len(item_ids) - len(listed)),
        "items_digest": digest.hexdigest(),
    }


def legend_of(conn: sqlite3.Connection, item_ids: list[int]) -> str:
    """The confidentiality legend the exhibit's pages carry: the strictest one its items have."""
    legends: dict[str, int] = {}
    for part in chunks(item_ids):
        for legend, position in conn.execute(
            f"SELECT DISTINCT x.legend, x.position FROM tags t JOIN taxonomy x ON x.code = t.code"
            f" WHERE x.legend IS NOT NULL AND t.item_id IN ({marks(part)})",
            part,
        ):
            legends[legend] = position
    if not legends:
        return ""
    # The taxonomy lists designations from least to most restrictive (CONFIDENTIAL, then AEO).
    return max(legends, key=legends.get)


def item_metadata(conn: sqlite3.Connection, item_id: int) -> dict:
    """The fields a load file and a privilege log need about one item.

    Sender, recipients, subject, file name and hashes come from the fields of an email or
    an attachment only: a log row's or an output's fields are evidence, whatever their
    names (a gateway's "sha256" or "from" column is not the row's hash or sender).
    """
    row = conn.execute(
        "SELECT i.kind, i.parent_id, i.title, i.fields, i.ts_us, i.account, i.content_hash, s.original_name,"
        " s.custodian, s.sha256, s.md5, s.size FROM item_details i JOIN sources s ON s.id = i.source_id"
        " WHERE i.id = ?",
        (item_id,),
    ).fetchone()
    keys = (
        "kind",
        "parent_id",
        "title",
        "fields",
        "ts_us",
        "account",
        "content_hash",
        "source_name",
        "custodian",
        "source_sha256",
        "source_md5",
        "source_size",
    )
    meta = dict(zip(keys, row))
    meta["id"] = item_id
    described = meta["kind"] in METADATA_KINDS and meta["fields"]  # (these kinds always store theirs)
    meta["fields"] = orjson.loads(meta["fields"]) if described else {}
    return meta
