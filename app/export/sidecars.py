"""The files written beside the PDF: exhibit list, privilege log, hash manifest, the
signed audit chain head (`.chain-head.json`, read by `casefile verify --against`), and
(when asked) the DAT and OPT load files.

CSV files are UTF-8 with a BOM so that spreadsheet programs read every script.
"""

import csv
from pathlib import Path

from app.export import facts, loadfiles, redaction_proof
from app.export.redaction_marks import plain
from app.export.render_items import joined, when
from app.store import head_anchors

EXHIBIT_LIST = (
    "Exhibit",
    "Date (UTC)",
    "Description",
    "Bates begin",
    "Bates end",
    "Pages",
    "Source",
    "SHA-256",
    "Date offered",
    "Marked",
    "Admitted",
)
PRIVILEGE_LOG = (
    "Log ID",
    "Control number",
    "Family",
    "Document type",
    "Date (UTC)",
    "Author",
    "To",
    "Cc",
    "Bcc",
    "Custodian",
    "Description",
    "Basis",
    "Withheld or redacted",
    "Attorneys involved",
)
MANIFEST = (
    "Record",
    "Id",
    "Name",
    "Exhibit",
    "Bates begin",
    "SHA-256",
    "MD5",
    "Size (bytes)",
    "Item record SHA-256",
    "Acquired (UTC)",
    "Operator",
    "Custodian",
    "Produced copy SHA-256",  # a redacted item: its produced copy (rebuilt PDF, painted image or redacted text)
)
BASIS_WORDS = {"AC": "attorney-client privilege", "WP": "work product"}


def sidecar_names(out_path: Path, loadfile: bool, redacted: bool = False) -> dict[str, str]:
    stem = out_path.stem
    names = {
        "exhibits": f"{stem}.exhibits.csv",
        "privilege": f"{stem}.privilege-log.csv",
        "hashes": f"{stem}.hashes.csv",
        "head": f"{stem}.chain-head.json",
    }
    if redacted:
        names["redactions"] = f"{stem}.redactions.csv"
    if loadfile:
        names.update(dat=f"{stem}.dat", opt=f"{stem}.opt", text=f"{stem}_TEXT", images=f"{stem}_IMAGES")
        names["natives"] = f"{stem}_NATIVES"  # Word, Excel, PowerPoint files produced beside their text
    return names


def write_sidecars(conn, bundle, place, out_path: Path, image_names: list[str] | None = None) -> dict[str, Path]:
    """Write every sidecar where place(final name) says; returns {final file name: path
    written} (the extracted-text folder the DAT's TEXTLINK points into is one of them, and
    the page images the OPT names, already rendered into place(<stem>_IMAGES) as `image_names`)."""
    names = sidecar_names(out_path, bundle.settings.loadfile, bool(bundle.redactions))
    written = {}
    for name in names.values():
        written[name] = place(name)
    _csv(written[names["exhibits"]], EXHIBIT_LIST, exhibit_rows(conn, bundle))
    withheld = list(privilege_rows(conn, bundle.withheld))
    _csv(written[names["privilege"]], PRIVILEGE_LOG, [*withheld, *redacted_privilege_rows(conn, bundle, len(withheld))])
    _csv(written[names["hashes"]], MANIFEST, manifest_rows(conn, bundle))
    written[names["head"]].write_text(
        head_anchors.head_json(
            bundle.head,
            production=bundle.production_label,
            created_utc=bundle.created_utc,
            pdf_name=out_path.name,
            pdf_sha256=bundle.pdf_sha256,
        )
        + "\n",
        encoding="utf-8",
    )
    if bundle.redactions:
        redaction_proof.write_log(written[names["redactions"]], bundle)
    if bundle.settings.loadfile:
        docs = loadfiles.documents(conn, bundle)
        loadfiles.write_texts(conn, docs, written[names["text"]], names["text"], bundle.redactions)
        loadfiles.write_natives(conn, docs, written[names["natives"]], names["natives"], bundle.redactions)
        loadfiles.write_dat(written[names["dat"]], docs)
        loadfiles.write_opt(written[names["opt"]], docs, bundle, names["images"], image_names)
    return written


def _csv(path: Path, header, rows) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows([inert(cell) for cell in row] for row in rows)


def inert(cell):
    """A cell a spreadsheet will not run: text starting like a formula gets a leading '."""
    if (
        isinstance(cell, str)
        and cell[:1] in ("=", "+", "@", "\t", "\r")
        or (isinstance(cell, str) and cell[:1] == "-" and not cell[1:2].isdigit())
    ):
        return "'" + cell
    return cell


def exhibit_rows(conn, bundle):
    for exhibit in bundle.exhibits:
        yield (
            exhibit["label"],
            when(exhibit["first_us"]),
            plain(exhibit["title"]),
            bundle.bates.number(exhibit["first_page"]),
            bundle.bates.number(exhibit["first_page"] + exhibit["page_count"] - 1),
            exhibit["page_count"],
            exhibit["source_names"],
            exhibit["sha256"],
            "",
            "",
            "",
        )


def privilege_rows(conn, withheld: list[dict]):
    """One row per withheld item, described without revealing its content."""
    for number, row in enumerate(sorted(withheld, key=lambda r: r["id"]), start=1):
        meta = facts.item_metadata(conn, row["id"])
        f = meta["fields"]
        family = _family_root(conn, row["id"])
        basis = row.get("basis") or ""
        yield (
            f"PRIV-{number:04d}",
            f"CTRL-{row['id']:08d}",
            f"FAM-{family:08d}",
            meta["kind"].replace("_", " "),
            when(meta["ts_us"]),
            f.get("from") or meta["account"] or "",
            joined(f.get("to")),
            joined(f.get("cc")),
            joined(f.get("bcc")),
            meta["custodian"] or "",
            _description(meta["kind"], basis),
            basis,
            "Withheld",
            "",
        )


def redacted_privilege_rows(conn, bundle, numbered: int):
    """One row per produced item with a privilege redaction: 'Redacted', not 'Withheld'."""
    if not bundle.redactions:
        return
    first_page = {}
    for exhibit in bundle.exhibits:
        for item_id, (first, _count) in exhibit["item_spans"].items():
            if item_id is not None:
                first_page.setdefault(item_id, first)
    value = bundle.redactions.value
    passages = bundle.redactions.privileged_passages()
    for number, (item_id, codes) in enumerate(sorted(bundle.redactions.privileged().items()), start=numbered + 1):
        meta = facts.item_metadata(conn, item_id)
        f = meta["fields"]
        page = first_page.get(item_id)
        names = ", ".join(bundle.redactions.names.get(c, c) for c in codes)
        yield (
            f"PRIV-{number:04d}",
            bundle.bates.number(page) if page is not None else f"CTRL-{item_id:08d}",
            f"FAM-{_family_root(conn, item_id):08d}",
            meta["kind"].replace("_", " "),
            when(meta["ts_us"]),
            value(item_id, f.get("from") or meta["account"] or ""),
            value(item_id, joined(f.get("to"))),
            value(item_id, joined(f.get("cc"))),
            value(item_id, joined(f.get("bcc"))),
            meta["custodian"] or "",
            f"{_kind_words(meta['kind'])} produced with {passages.get(item_id, 0)} passage(s) or area(s) "
            f"redacted as privileged ({names}).",
            names,
            "Redacted",
            "",
        )


def _kind_words(kind: str) -> str:
    return {"email": "Email communication", "attachment": "Attachment"}.get(kind, kind.replace("_", " ").capitalize())


def _family_root(conn, item_id: int) -> int:
    while True:
        parent = conn.execute("SELECT parent_id FROM items WHERE id = ?", (item_id,)).fetchone()[0]
        if parent is None:
            return item_id
        item_id = parent


def _description(kind: str, basis: str) -> str:
    words = " and ".join(BASIS_WORDS.get(b.strip(), b.strip()) for b in basis.split(",") if b.strip())
    what = {"email": "Email communication", "attachment": "Attachment to a withheld communication"}.get(
        kind, kind.replace("_", " ").capitalize()
    )
    return f"{what} withheld as protected by {words or 'privilege'}."


def manifest_rows(conn, bundle):
    """Every source, then every exhibit item: what a certification by hash relies on."""
    seen: set[int] = set()
    for exhibit in bundle.exhibits:
        for source in facts.sources_of(conn, exhibit["item_ids"]):
            if source["id"] not in seen:
                seen.add(source["id"])
                yield (
                    "source",
                    source["id"],
                    source["name"],
                    "",
                    "",
                    source["sha256"],
                    source["md5"],
                    source["size"],
                    "",
                    source["imported_utc"],
                    source["operator"] or "",
                    source["custodian"] or "",
                    "",
                )
    for exhibit in bundle.exhibits:
        sources = {s["id"]: s for s in facts.sources_of(conn, exhibit["item_ids"])}
        begin = bundle.bates.number(exhibit["first_page"])
        for item_id, kind, record_hash, source_id, sha256, md5, size in facts.item_hashes(conn, exhibit["item_ids"]):
            source = sources.get(source_id, {})
            yield (
                "item",
                item_id,
                kind,
                exhibit["label"],
                begin,
                sha256 or "",
                md5 or "",
                size or "",
                record_hash,
                source.get("imported_utc", ""),
                source.get("operator") or "",
                source.get("custodian") or "",
                bundle.redactions.produced_hash(conn, item_id) if bundle.redactions else "",
            )
