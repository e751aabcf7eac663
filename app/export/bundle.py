"""Exporting a bundle: select, plan, draw, merge, stamp, write sidecars, record.

`export_bundle` is a generator yielding Progress and returning an ExportResult; the
CLI drives it with a progress bar and the GUI on a worker thread. Everything is
written to a hidden work folder beside the output first, under names that say
UNFINISHED; only once the production is committed are the files moved to their final
names (app/export/unfinished.py explains the order and how the next run finishes or
removes what a killed export left). A cancel or an error leaves no half-written PDF
and no production record.
"""

import hashlib
import io
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from app import __version__
from app.core.cancel import CancelToken, Progress
from app.export import assemble, facts, page_images, redaction_proof, sidecars, summaries
from app.export.redaction_burn import BundleRedactions
from app.export.sidecars import sidecar_names
from app.export.fonts import register_fonts
from app.export.layout import PAGE_SIZES, PageWriter
from app.export.planning import BatesScheme, ExhibitPlan, assign_labels, group_exhibits, parse_scheme
from app.export.productions import check_bates_free, get_production, next_bates_start, record_production
from app.export.render_cover_index import IndexRow, draw_certificate, draw_cover, draw_index, index_page_count
from app.export.render_exhibits import ExhibitRenderer, Segment
from app.export.render_items import local_time, when
from app.export.selection import Selection, select
from app.export.summaries import BundleCites, SummaryContext
from app.export.unfinished import WorkFolder, clean_unfinished, move_into_place
from app.store import head_anchors
from app.store.case_file import CaseFile, utc_now_iso
from app.store.errors import CaseFileError


PART_PAGES = 200  # drawn pages per part file: reportlab holds a part's pages in memory until it is saved


@dataclass
class ExportSettings:
    title: str = "Exhibit bundle"
    party: str = ""
    exhibit_scheme: str = "PX-0001"
    exhibit_start: int | None = None
    bates_prefix: str = "CF"
    bates_start: int | None = None  # None: the next number not yet produced under the prefix
    bates_digits: int = 7
    page_size: str = "A4"
    log_group: list[str] = field(default_factory=lambda: ["source", "day"])
    loadfile: bool = False
    shrink_merged: bool = True  # shrink merged PDF pages so the stamp band covers nothing

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ExportResult:
    production_id: int | None
    pdf: Path
    pages: int
    exhibits: int
    bates_first: str
    bates_last: str
    withheld: int
    files: dict[str, str]  # file name -> SHA-256
    notes: list[str] = field(default_factory=list)  # what was done with leftovers of stopped exports
    redaction_check: str = ""  # what the proof that redacted text is gone checked ("" without redactions)


@dataclass
class Bundle:
    """Everything known about one bundle while it is built."""

    case_name: str
    case_number: str
    zone: str
    settings: ExportSettings
    bates: BatesScheme
    plans: list[ExhibitPlan]
    withheld: list[dict]
    created_utc: str
    operator: str
    audit_seq: int
    audit_hash: str
    production_label: str = ""
    head: dict = field(default_factory=dict)  # the signed chain head the certificate and metadata cite
    pdf_sha256: str = ""  # known once the PDF is written; the chain-head sidecar names it
    front_pages: int = 0
    total_pages: int = 0
    exhibits: list[dict] = field(default_factory=list)  # per exhibit: pages, Bates, legend, item spans
    certificate_page: int = 0
    segments: list = field(default_factory=list)
    links: list = field(default_factory=list)
    part_first: list = field(default_factory=lambda: [0])  # first drawn page of each part file
    redactions: BundleRedactions | None = None  # None: nothing in the bundle is redacted
    redaction_check: str = ""
    reproduces: int | None = None  # the production being reproduced: summaries cite only productions before it


def export_bundle(
    case: CaseFile, out_path, selection: Selection, settings: ExportSettings, token: CancelToken | None = None
):
    """Export a new production (a generator yielding Progress; returns ExportResult)."""
    token = token or CancelToken()
    conn = case.conn
    yield Progress("Selecting items", 0, None, "items")
    selected = select(conn, selection)
    plans = group_exhibits(selected.rows, selected.manual, settings.log_group)
    selected.rows = []  # the plans hold what is needed; a large selection's rows need not stay in memory
    if not plans:
        raise CaseFileError("Nothing to export: no producible items match the selection.")
    assign_labels(plans, parse_scheme(settings.exhibit_scheme, settings.exhibit_start))
    start = settings.bates_start or next_bates_start(conn, settings.bates_prefix)
    check_bates_free(conn, settings.bates_prefix, start, start, settings.bates_digits)  # fail before drawing
    head = head_anchors.signed_head(case)
    bundle = Bundle(
        case.name,
        case.meta("number") or "",
        case.timezone,
        settings,
        BatesScheme(settings.bates_prefix, settings.bates_digits, start),
        plans,
        selected.withheld,
        utc_now_iso(),
        case.operator,
        head["seq"],
        head["hash"],
        head=head,
    )
    number = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM productions").fetchone()[0]
    bundle.production_label = f"Production {number}"
    return (yield from _produce(case, Path(out_path), bundle, selection, token, record=True))


def reproduce_production(case: CaseFile, production_id: int, out_path, token: CancelToken | None = None):
    """Re-create a recorded production: the same exhibits, order, pages and Bates numbers."""
    token = token or CancelToken()
    recorded = get_production(case.conn, production_id)
    settings = _known(ExportSettings, recorded["settings"])
    plans = [_recorded_plan(case.conn, e) for e in recorded["exhibits"]]
    bundle = Bundle(
        case.name,
        case.meta("number") or "",
        case.timezone,
        settings,
        BatesScheme(recorded["bates_prefix"], settings.bates_digits, recorded["bates_first"]),
        plans,
        [],
        recorded["created_utc"],
        recorded["operator"],
        recorded["audit_seq"],
        recorded["audit_hash"],
        f"Production {production_id}",
        head=head_anchors.production_head(case, recorded),
        reproduces=production_id,
    )
    selection = _known(Selection, recorded["selection"])
    bundle.withheld = select(case.conn, selection).withheld
    return (yield from _produce(case, Path(out_path), bundle, selection, token, record=False, reproduces=production_id))


def _known(cls, values: dict):
    """A dataclass from recorded values, ignoring keys this version does not know."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in names})


def _recorded_plan(conn, exhibit: dict) -> ExhibitPlan:
    """An exhibit as a production recorded it (a summary with what it draws and cites)."""
    kind, ref = exhibit.get("summary_kind"), exhibit.get("summary_ref")
    ids = summaries.cited_items(conn, kind, ref) if kind else exhibit["item_ids"]
    plan = ExhibitPlan(exhibit["kind"], exhibit["item_ids"], summaries.first_timestamp(conn, ids), exhibit["title"])
    plan.label = exhibit["label"]
    if kind:
        plan.summary_kind, plan.summary_ref, plan.cites = kind, ref, ids
    return plan


def _produce(
    case, out_path: Path, bundle: Bundle, selection: Selection, token, record: bool, reproduces: int | None = None
):
    out_path = out_path.resolve()
    if not out_path.parent.is_dir():
        raise CaseFileError(f"The folder {out_path.parent} does not exist.")
    if out_path.suffix.lower() != ".pdf":
        raise CaseFileError(f"The bundle's name should end in .pdf, not {out_path.name!r}.")
    _refuse_existing(out_path)
    notes = clean_unfinished(case, out_path.parent)
    work = WorkFolder(out_path.parent, case.path)
    try:
        yield from _build(case.conn, bundle, work.path, token)
        files = yield from _write_outputs(case.conn, bundle, work, out_path, token)
        token.raise_if_cancelled()
        _refuse_existing(out_path)  # again: the folder may have changed while the bundle was drawn
    except BaseException:
        work.remove()
        raise
    result = _finish(case, bundle, selection, work, out_path, files, record, reproduces)
    result.notes = notes
    return result


def _refuse_existing(out_path: Path) -> None:
    existing = [
        name
        for name in [out_path.name, *sidecar_names(out_path, True, True).values()]
        if (out_path.parent / name).exists()
    ]
    if existing:
        raise CaseFileError(
            f"{out_path.parent / existing[0]} already exists; a produced bundle is never "
            "overwritten. Choose another name."
        )


def _build(conn, bundle: Bundle, work: Path, token):
    """Pass 1 draws exhibits and the certificate; pass 2 the cover and index with known pages."""
    register_fonts()
    page_size = PAGE_SIZES.get(bundle.settings.page_size)
    if page_size is None:
        raise CaseFileError(f"The page size should be one of {', '.join(PAGE_SIZES)}.")
    undated = any(p.undated for p in bundle.plans)
    slots = len(bundle.plans) + 1 + (1 if undated else 0) + 1  # rows, certificate, section headings
    bundle.front_pages = 1 + index_page_count(slots, page_size[1])
    redactions = BundleRedactions(conn, [i for p in bundle.plans for i in p.item_ids], work)
    bundle.redactions = redactions or None

    def new_part(number: int):
        canvas = _canvas(work / f"drawn{number}.pdf", page_size, bundle.settings.title)
        canvas.redaction_marks, canvas.redaction_part = redactions.drawn_marks, number  # where boxes land
        return canvas

    writer = PageWriter(new_part(0), page_size, new_part, PART_PAGES)
    yield from _draw_exhibits(conn, bundle, writer, token)
    yield Progress("Writing the certificate", 0, None, "pages")
    _draw_certificate(conn, bundle, writer)
    writer.close()
    bundle.part_first = writer.part_first
    yield Progress("Drawing the cover and index", 0, None, "pages")
    _draw_front(bundle, work, page_size)


def _draw_exhibits(conn, bundle: Bundle, writer: PageWriter, token):
    """Items first; summaries last, once every other exhibit's pages are known, so that
    their cites give this bundle's own exhibit ids and Bates numbers."""
    renderer = ExhibitRenderer(conn, writer, bundle.zone, token, bundle.redactions)
    segments = []
    for index, plan in enumerate(bundle.plans):
        token.raise_if_cancelled()
        yield Progress("Drawing exhibits", index, len(bundle.plans), "exhibits")
        if plan.kind != "summary":
            segments += renderer.render(index, plan)
    summary_indexes = [index for index, plan in enumerate(bundle.plans) if plan.kind == "summary"]
    if summary_indexes:
        yield Progress("Drawing summary exhibits", 0, len(summary_indexes), "exhibits")
        segments += _draw_summaries(conn, bundle, renderer, segments, summary_indexes, token)
        segments.sort(key=lambda s: s.exhibit)  # bundle order (stable: an exhibit's own segments keep theirs)
    bundle.segments = segments
    bundle.exhibits = _place(bundle, segments)
    for exhibit, plan in zip(bundle.exhibits, bundle.plans):
        evidence = plan.evidence_ids
        exhibit["legend"] = facts.legend_of(conn, evidence)
        exhibit["source_names"] = "; ".join(s["name"] or f"source {s['id']}" for s in facts.sources_of(conn, evidence))
    bundle.certificate_page = bundle.front_pages + sum(e["page_count"] for e in bundle.exhibits)


def _draw_summaries(conn, bundle: Bundle, renderer: ExhibitRenderer, segments, indexes: list[int], token):
    """Draw the summary exhibits with cites into this bundle.

    A summary's cites depend on the pages of the exhibits before it, its own pages among
    them: each summary is first drawn on scratch pages with cites from a provisional
    placement until its page count settles (the cites' length barely varies, so once or
    twice), then drawn for real."""
    counts = dict.fromkeys(indexes, 1)
    for _attempt in range(5):
        context = _summary_context(conn, bundle, segments, counts, token)
        measured = {index: _scratch_pages(conn, bundle, renderer, index, context) for index in indexes}
        if measured == counts:
            break
        counts = measured
    context = _summary_context(conn, bundle, segments, counts, token)
    drawn = []
    for index in indexes:
        token.raise_if_cancelled()
        drawn += renderer.render(index, bundle.plans[index], context)
    if {s.exhibit: s.count for s in drawn} != counts:
        raise RuntimeError("a summary exhibit's page count changed between drawing passes")
    return drawn


def _summary_context(conn, bundle: Bundle, segments, counts: dict[int, int], token) -> SummaryContext:
    provisional = [*segments, *(Segment("drawn", 0, count, index) for index, count in counts.items())]
    provisional.sort(key=lambda s: s.exhibit)
    placed = _place(bundle, [Segment(s.source, s.start, s.count, s.exhibit, s.item_id) for s in provisional])
    cite = BundleCites(conn, placed, bundle.bates, bundle.reproduces)
    return SummaryContext(bundle.zone, cite, token, bundle.case_name)


def _scratch_pages(conn, bundle: Bundle, renderer: ExhibitRenderer, index: int, context: SummaryContext) -> int:
    """How many pages a summary takes, drawn on a canvas that is thrown away."""
    scratch = PageWriter(Canvas(io.BytesIO(), pagesize=(renderer.writer.width, renderer.writer.height)))
    ExhibitRenderer(conn, scratch, bundle.zone, context.token).render(index, bundle.plans[index], context)
    return scratch.pages


def _draw_certificate(conn, bundle: Bundle, writer: PageWriter) -> None:
    writer.start_section()
    first = writer.pages
    entries = [
        facts.certificate_entry(conn, e["label"], e["title"], e["bates_range"], plan.evidence_ids)
        for e, plan in zip(bundle.exhibits, bundle.plans)
    ]
    for exhibit, entry in zip(bundle.exhibits, entries):
        one = entry["item_count"] == 1 and entry["items"]
        exhibit["sha256"] = entry["items"][0]["content_hash"] if one else entry["items_digest"]
    appendix = (lambda w: redaction_proof.draw_statement(w, bundle)) if bundle.redactions else None
    draw_certificate(writer, _info(bundle), entries, appendix)
    bundle.segments.append(assemble.CertificateSegment(first, writer.pages - first))
    bundle.total_pages = bundle.certificate_page + writer.pages - first


def _draw_front(bundle: Bundle, work: Path, page_size) -> None:
    front = _canvas(work / "front.pdf", page_size, bundle.settings.title)
    writer = PageWriter(front, page_size)
    legends = sorted({e["legend"] for e in bundle.exhibits if e["legend"]})
    draw_cover(writer, {**_info(bundle), "legends": legends})
    bundle.links = draw_index(writer, _index_rows(bundle), 1)
    front.save()
    if writer.pages != bundle.front_pages:
        raise RuntimeError(f"the index took {writer.pages} pages, {bundle.front_pages} were planned")


def _canvas(path: Path, page_size, title: str) -> Canvas:
    rl_config.useA85 = 0  # Flate alone: ASCII85 on top only makes parts 25% larger and slower to write
    canvas = Canvas(str(path), pagesize=page_size, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    return canvas


def _place(bundle: Bundle, segments) -> list[dict]:
    """Bundle pages and Bates numbers of each exhibit (and of each item within it)."""
    exhibits = []
    page = bundle.front_pages
    for index, plan in enumerate(bundle.plans):
        own = [s for s in segments if s.exhibit == index]
        items: dict = {}
        for segment in own:
            segment.bundle_first = page
            span = items.setdefault(segment.item_id, [page, 0])
            span[1] += segment.count
            page += segment.count
        first = own[0].bundle_first
        count = page - first
        exhibits.append(
            {
                "label": plan.label,
                "title": plan.title,
                "kind": plan.kind,
                "item_ids": plan.item_ids,
                "first_us": plan.first_us,
                "first_page": first,
                "page_count": count,
                "bates_first": bundle.bates.start + first,
                "bates_last": bundle.bates.start + page - 1,
                "bates_range": f"{bundle.bates.number(first)} - {bundle.bates.number(page - 1)}",
                "item_spans": items,
                "legend": "",
                "position": index,
                "summary_kind": plan.summary_kind,
                "summary_ref": plan.summary_ref,
            }
        )
    return exhibits


def _info(bundle: Bundle) -> dict:
    withheld = f"{len(bundle.withheld):,} privileged item(s); see the privilege log" if bundle.withheld else None
    return {
        "case_name": bundle.case_name,
        "case_number": bundle.case_number,
        "title": bundle.settings.title,
        "party": bundle.settings.party,
        "date": bundle.created_utc,
        "exhibits": len(bundle.plans),
        "pages": bundle.total_pages,
        "production_label": bundle.production_label,
        "bates_range": f"{bundle.bates.number(0)} - {bundle.bates.number(max(0, bundle.total_pages - 1))}",
        "withheld": withheld,
        "operator": bundle.operator,
        "tool": f"Casefile {__version__}",
        "audit_seq": bundle.audit_seq,
        "audit_hash": bundle.audit_hash,
        "head": bundle.head,
    }


def _index_rows(bundle: Bundle) -> list[IndexRow]:
    rows, undated_started = [], False
    for exhibit in bundle.exhibits:
        section = ""
        if exhibit["first_us"] is None and not undated_started:
            section, undated_started = "Undated exhibits", True
        local = local_time(exhibit["first_us"], bundle.zone)
        rows.append(
            IndexRow(
                exhibit["label"],
                when(exhibit["first_us"]).replace(":00 UTC", " UTC")[:20]
                if exhibit["first_us"] is not None
                else "undated",
                local,
                exhibit["title"],
                # Source last: a long file name is what gets shortened to fit, never the hash.
                f"{exhibit['kind'].replace('_', ' ')} | {exhibit['bates_range']} | "
                f"SHA-256 {exhibit['sha256'][:12]} | {exhibit['source_names']}",
                exhibit["first_page"],
                section,
            )
        )
    rows.append(
        IndexRow(
            "",
            "",
            "",
            "Certificate of hashes and authenticity",
            "appendix: hashes of every exhibit's items and sources; declaration",
            bundle.certificate_page,
            "Appendix",
        )
    )
    return rows


def _write_outputs(conn, bundle: Bundle, work: WorkFolder, out_path: Path, token):
    """The stamped PDF and its sidecars, in the work folder under unfinished names;
    returns {final name: (path, SHA-256)}."""
    pdf = work.place(out_path.name)
    yield from assemble.assemble(conn, bundle, work.path, pdf, token)
    files = {out_path.name: (pdf, _sha256(pdf))}
    bundle.pdf_sha256 = files[out_path.name][1]
    image_names = None
    if bundle.settings.loadfile:  # the OPT names an image of every page
        folder = work.place(sidecar_names(out_path, True)["images"])
        image_names = yield from page_images.write_page_images(pdf, folder, bundle, token)
    yield Progress("Writing the exhibit list, privilege log and hash manifest", 0, None, "files")
    for name, path in sidecars.write_sidecars(conn, bundle, work.place, out_path, image_names).items():
        files[name] = (path, _sha256(path))
    if bundle.redactions:
        yield Progress("Proving the redacted text gone", 0, None, "pages")
        bundle.redaction_check = redaction_proof.prove_gone(bundle, pdf, {n: p for n, (p, _sha) in files.items()})
    return files


def _sha256(path: Path) -> str:
    """SHA-256 of a file; of a folder, over its sorted "name SHA-256" lines."""
    if path.is_dir():
        listing = "".join(f"{p.name} {_sha256(p)}\n" for p in sorted(path.iterdir()))
        return hashlib.sha256(listing.encode("utf-8")).hexdigest()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _finish(
    case,
    bundle: Bundle,
    selection: Selection,
    work: WorkFolder,
    out_path: Path,
    files: dict,
    record: bool,
    reproduces: int | None,
) -> ExportResult:
    """Commit the production, then give its files their final names.

    In this order a kill never leaves a file with a final name that no production
    records; a kill after the commit leaves complete files that the next run moves."""
    hashes = {name: sha for name, (_path, sha) in files.items()}
    production_id = reproduces
    work.complete(out_path.name, hashes, reproduces)
    try:
        with case.transaction():
            if record:
                production_id = _record(case, bundle, selection, out_path, hashes)
            else:
                case.audit(
                    "production.reproduce", {"production_id": reproduces, "pdf_name": out_path.name, "files": hashes}
                )
    except BaseException:
        work.remove()
        raise
    try:
        move_into_place(work.path, out_path.parent, files)
    except OSError as exc:
        work.release()
        raise CaseFileError(
            f"Production {production_id} was recorded, but its files could not be put beside {out_path.name} "
            f"({exc}). They are complete in {work.path}; the next export into {out_path.parent} moves them "
            "into place."
        ) from exc
    work.remove()
    return ExportResult(
        production_id,
        out_path,
        bundle.total_pages,
        len(bundle.plans),
        bundle.bates.number(0),
        bundle.bates.number(bundle.total_pages - 1),
        len(bundle.withheld),
        hashes,
        redaction_check=bundle.redaction_check,
    )


def _record(case, bundle: Bundle, selection: Selection, out_path: Path, hashes: dict) -> int:
    first, last = bundle.bates.start, bundle.bates.start + bundle.total_pages - 1
    check_bates_free(case.conn, bundle.bates.prefix, first, last, bundle.bates.digits)
    settings = {**bundle.settings.as_dict(), "bates_start": first}
    production = {
        "created_utc": bundle.created_utc,
        "operator": bundle.operator,
        "title": bundle.settings.title,
        "selection": selection.as_dict(),
        "settings": settings,
        "bates_prefix": bundle.bates.prefix,
        "bates_first": first,
        "bates_last": last,
        "page_count": bundle.total_pages,
        "exhibit_count": len(bundle.plans),
        "pdf_name": out_path.name,
        "pdf_sha256": hashes[out_path.name],
        "sidecars": {k: v for k, v in hashes.items() if k != out_path.name},
        "audit_seq": bundle.audit_seq,
        "audit_hash": bundle.audit_hash,
        "head_key_id": bundle.head.get("key_id"),
        "head_signature": bundle.head.get("signature"),
    }
    return record_production(case, production, bundle.exhibits)
