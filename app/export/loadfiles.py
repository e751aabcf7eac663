"""Load files for review platforms: Concordance DAT and Opticon OPT.

DAT uses Relativity's defaults: field separator ASCII 020, text qualifier ASCII 254
(þ), newline inside a field ASCII 174 (®), multi-value separator `;`, UTF-8 with a
BOM, a header row first, one line per document. OPT has one line per page, `Y` and
the page count on a document's first page, in Windows-1252 ("ANSI"), each page naming
its own image (app/export/page_images.py) in the images folder beside it.
"""

from pathlib import Path

from app.export import facts
from app.export.redaction_marks import plain
from app.export.render_items import when
from app.store.ocr_layers import layers_of

SEPARATOR = "\x14"
QUALIFIER = "\u00fe"
NEWLINE = "\u00ae"
DAT_FIELDS = (
    "DOCID",
    "BEGBATES",
    "ENDBATES",
    "BEGATTACH",
    "ENDATTACH",
    "PARENTID",
    "EXHIBIT",
    "PAGECOUNT",
    "CUSTODIAN",
    "FROM",
    "TO",
    "CC",
    "BCC",
    "SUBJECT",
    "DATESENT",
    "FILENAME",
    "MD5HASH",
    "SHA256HASH",
    "TEXTLINK",
    "NATIVELINK",
)


def dat_value(value) -> str:
    """One qualified field: newlines as ®, the qualifier itself never inside."""
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value if v not in (None, ""))
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", NEWLINE)
    return QUALIFIER + text.replace(QUALIFIER, "").replace(SEPARATOR, " ") + QUALIFIER


def documents(conn, bundle) -> list[dict]:
    """Every document of the bundle with its Bates range: front matter, exhibit items, certificate."""
    bates = bundle.bates.number
    docs = [
        {
            "DOCID": bates(0),
            "BEGBATES": bates(0),
            "ENDBATES": bates(bundle.front_pages - 1),
            "PAGECOUNT": bundle.front_pages,
            "SUBJECT": "Cover and index",
            "first": 0,
        }
    ]
    for exhibit in bundle.exhibits:
        family = (bates(exhibit["first_page"]), bates(exhibit["first_page"] + exhibit["page_count"] - 1))
        doc_ids = {}
        for item_id, (first, count) in exhibit["item_spans"].items():
            doc = {
                "DOCID": bates(first),
                "BEGBATES": bates(first),
                "ENDBATES": bates(first + count - 1),
                "BEGATTACH": family[0],
                "ENDATTACH": family[1],
                "EXHIBIT": exhibit["label"],
                "PAGECOUNT": count,
                "first": first,
            }
            doc["item_ids"] = exhibit["item_ids"] if item_id is None else [item_id]
            if item_id is None:
                doc.update(SUBJECT=plain(exhibit["title"]))
            else:
                doc.update(_item_fields(conn, item_id, doc_ids, bundle.redactions))
                doc_ids[item_id] = doc["DOCID"]
            docs.append(doc)
    end = bundle.total_pages - 1
    docs.append(
        {
            "DOCID": bates(bundle.certificate_page),
            "BEGBATES": bates(bundle.certificate_page),
            "ENDBATES": bates(end),
            "PAGECOUNT": end - bundle.certificate_page + 1,
            "SUBJECT": "Certificate of hashes and authenticity",
            "first": bundle.certificate_page,
        }
    )
    return docs


def _item_fields(conn, item_id: int, doc_ids: dict, redactions=None) -> dict:
    meta = facts.item_metadata(conn, item_id)
    if redactions:  # a redacted item's fields come from its redacted version
        meta = {**meta, **{k: redactions.value(item_id, meta[k]) for k in ("fields", "title", "account")}}
    f = meta["fields"]
    name = f.get("filename") or (meta["source_name"] if meta["kind"] in ("document", "image") else "")
    return {
        "PARENTID": doc_ids.get(meta["parent_id"], ""),
        "CUSTODIAN": meta["custodian"],
        "FROM": f.get("from") or (meta["account"] if meta["kind"] == "email" else ""),
        "TO": f.get("to"),
        "CC": f.get("cc"),
        "BCC": f.get("bcc"),
        "SUBJECT": f.get("subject") or meta["title"],
        "DATESENT": when(meta["ts_us"]) if meta["ts_us"] is not None else "",
        "FILENAME": name,
        "MD5HASH": f.get("md5") or (meta["source_md5"] if name == meta["source_name"] else ""),
        "SHA256HASH": f.get("sha256") or meta["content_hash"],
    }


def write_texts(conn, docs: list[dict], folder: Path, link_name: str, redactions=None) -> None:
    """Each exhibit document's text as UTF-8 in folder/DOCID.txt; sets its TEXTLINK into
    link_name, the folder's final name. A redacted item's text is its redacted version's."""
    folder.mkdir()
    for doc in docs:
        if not doc.get("item_ids"):
            continue
        with open(folder / f"{doc['DOCID']}.txt", "w", encoding="utf-8", newline="\n") as handle:
            for part in facts.chunks(doc["item_ids"]):
                order = {item_id: n for n, item_id in enumerate(part)}
                rows = conn.execute(
                    f"SELECT id, title, text FROM item_details WHERE id IN ({facts.marks(part)})", part
                ).fetchall()
                layers = layers_of(conn, part)
                for item_id, title, text in sorted(rows, key=lambda r: order[r[0]]):
                    if redactions:
                        title, text = redactions.text_of(item_id, title, text)
                    handle.write(f"{title or ''}\n{text or ''}\n\n")
                    redacted = bool(redactions) and item_id in redactions.by_item  # OCR reads under boxes too
                    if item_id in layers and not redacted:  # marked, never taken for the item's own text
                        handle.write(f"[{layers[item_id].label()}]\n{layers[item_id].text}\n\n")
        doc["TEXTLINK"] = f"{link_name}\\{doc['DOCID']}.txt"


def write_natives(conn, docs: list[dict], folder: Path, link_name: str, redactions=None) -> None:
    """The native file of each document drawn as a text rendition (Word, Excel, PowerPoint),
    copied byte for byte from the stored original into folder/DOCID.ext; sets its NATIVELINK.
    A redacted document's native is never produced: its redacted text rendition stands alone."""
    import shutil

    from app.store.sources import open_source

    folder.mkdir()
    for doc in docs:
        ids = doc.get("item_ids") or []
        if len(ids) != 1 or (redactions and ids[0] in redactions.by_item):
            continue
        row = conn.execute(
            "SELECT i.source_id, s.original_name FROM item_details i JOIN sources s ON s.id = i.source_id"
            " WHERE i.id = ? AND i.kind = 'document' AND json_extract(i.fields, '$.native')",
            (ids[0],),
        ).fetchone()
        if row is None:
            continue
        name = f"{doc['DOCID']}{Path(row[1] or '').suffix.lower()}"
        with open_source(conn, row[0]) as original, open(folder / name, "wb") as handle:
            shutil.copyfileobj(original, handle)
        doc["NATIVELINK"] = f"{link_name}\\{name}"


def write_dat(path: Path, docs: list[dict]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(SEPARATOR.join(dat_value(name) for name in DAT_FIELDS) + "\r\n")
        for doc in docs:
            handle.write(SEPARATOR.join(dat_value(doc.get(name)) for name in DAT_FIELDS) + "\r\n")


def read_dat(path: Path) -> list[dict]:
    """Parse a DAT written with these delimiters back into rows (for checks and tests)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        text = handle.read()
    lines = [line for line in text.split("\r\n") if line]
    header = [_unqualify(v) for v in lines[0].split(SEPARATOR)]
    return [
        dict(zip(header, (_unqualify(v).replace(NEWLINE, "\n") for v in line.split(SEPARATOR)))) for line in lines[1:]
    ]


def _unqualify(value: str) -> str:
    if len(value) >= 2 and value[0] == QUALIFIER and value[-1] == QUALIFIER:
        return value[1:-1]
    return value


def write_opt(path: Path, docs: list[dict], bundle, images: str, image_names: list[str], volume: str = "VOL01") -> None:
    """One line per page naming its image (`images` folder, `image_names` in page order); the
    document break `Y` and the page count on each document's first page."""
    starts = {doc["first"]: doc["PAGECOUNT"] for doc in docs}
    with open(path, "w", encoding="cp1252", errors="replace", newline="") as handle:
        for page in range(bundle.total_pages):
            first = page in starts
            handle.write(
                f"{bundle.bates.number(page)},{volume},{images}\\{image_names[page]},{'Y' if first else ''},,,"
                f"{starts[page] if first else ''}\r\n"
            )
