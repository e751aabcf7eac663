"""The measurements bench/run.py makes, each in its own process (its peak memory is its own).

    python bench/run_workers.py KIND ARG...     # prints one JSON line

`BENCH_TREE=DIR` runs the application code of another checkout (e.g. `git archive` of an
older commit) with these same measurements: a before/after of one change on one machine.
"""

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import bench_import  # noqa: E402
from floor import _sentence_pool, _vocabulary, measure_floor, peak_rss_mb  # noqa: E402

TREE = os.environ.get("BENCH_TREE")
if TREE:  # the other checkout's `app` first (bench modules above put this one's root on the path)
    sys.path[:] = [TREE] + [p for p in sys.path if Path(p or ".").resolve() != ROOT]

REPEAT = 3
SECOND_CUSTODIAN = "Second custodian"


def floor(log: str, folder: str) -> dict:
    Path(folder).mkdir(parents=True, exist_ok=True)
    return {**measure_floor(Path(log), Path(folder) / "floor.db"), "peak_mb": peak_rss_mb()}


def import_log(log: str, case_path: str) -> dict:
    """The real import (bench_import.run_import) into a new case, which is kept."""
    Path(case_path).unlink(missing_ok=True)
    return bench_import.run_import(Path(log), Path(case_path), verify=False)


def prepare(case_path: str, extra_log: str) -> dict:
    """Make the case reviewable like a real one (not timed): a second custodian's small log,
    and one item in 200 tagged (a tag filter that selects few rows)."""
    from app.core.cancel import run_to_end
    from app.core.records import ImportSettings
    from app.importers.pipeline import import_files
    from app.store import annotations
    from app.store.case_file import CaseFile

    with CaseFile.open(case_path, operator="bench") as case:
        if not case.conn.execute("SELECT 1 FROM sources WHERE custodian = ?", (SECOND_CUSTODIAN,)).fetchone():
            run_to_end(import_files(case, [Path(extra_log)], ImportSettings(custodian=SECOND_CUSTODIAN)))
        code = case.taxonomy()[0].code
        ids = [r[0] for r in case.conn.execute("SELECT id FROM items WHERE id % 200 = 7")]
        annotations.tag_items(case, ids, code)
        items = case.conn.execute("SELECT count(*) FROM items").fetchone()[0]
    return {"items": items, "tag": code, "peak_mb": peak_rss_mb()}


def search_terms() -> dict[str, str]:
    """Queries from the synthetic text's own vocabulary: every row, many, few, none, a phrase."""
    rng = random.Random(7)  # as floor.log_lines: the same vocabulary and sentences
    vocabulary = _vocabulary(random.Random(7))
    pool = _sentence_pool(rng)
    counts: dict[str, int] = {}
    for sentence in pool:
        for word in sentence.lower().rstrip(".").split():
            counts[word] = counts.get(word, 0) + 1
    rare = next(w for w in vocabulary[3000:] if counts.get(w) == 1)
    phrase = " ".join(pool[1].lower().rstrip(".").split()[:2])
    return {
        "every row": "the",
        "common": vocabulary[40],
        "rare": rare,
        "none": "zzqxjv",
        "phrase": f'"{phrase}"',
    }


def _timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _median_ms(work, repeat: int = REPEAT) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        seconds, result = _timed(work)
        times.append(seconds)
    return statistics.median(times) * 1000, result


def queries(case_path: str, tag_code: str) -> dict:
    """Store-level answers the table waits for: search pages and counts, filter pages, sorts."""
    from app.store import item_pages
    from app.store.case_file import CaseFile
    from app.store.item_query import ItemFilter

    out: dict = {"search": {}, "filters": {}, "sorts": {}}
    with CaseFile.open(case_path, operator="bench") as case:
        conn = case.conn
        item_pages.count(conn, item_pages.Window(ItemFilter()))  # warm the listing index once

        def pages(window) -> dict:
            first_ms, rows = _median_ms(lambda: item_pages.page(conn, window, None, 200))
            after = rows[-1]["key"] if rows else None
            next_ms, _ = _median_ms(lambda: item_pages.page(conn, window, after, 200)) if after else (0.0, None)
            return {"first_page_ms": first_ms, "next_page_ms": next_ms, "rows": len(rows)}

        for label, term in search_terms().items():
            window = item_pages.Window(ItemFilter(search=term))
            entry = pages(window)
            entry["count_ms"], entry["count"] = _median_ms(lambda w=window: item_pages.count(conn, w), 1)
            entry["query"] = term
            by_account = pages(item_pages.Window(ItemFilter(search=term), "account", True))
            entry["first_page_by_account_ms"] = by_account["first_page_ms"]
            out["search"][label] = entry
        account = conn.execute("SELECT account FROM items WHERE account IS NOT NULL LIMIT 1 OFFSET 777").fetchone()[0]
        middle = conn.execute("SELECT min(ts_us) + (max(ts_us) - min(ts_us)) / 2 FROM items").fetchone()[0]
        filters = {
            "account": ItemFilter(accounts=[account]),
            "custodian": ItemFilter(custodians=[SECOND_CUSTODIAN]),
            "tag": ItemFilter(tags_any=[tag_code]),
            "date": ItemFilter(from_us=middle, to_us=middle + 86_400_000_000),
        }
        for label, item_filter in filters.items():
            out["filters"][label] = {
                **pages(item_pages.Window(item_filter)),
                "by_account_desc": pages(item_pages.Window(item_filter, "account", True))["first_page_ms"],
            }
        for sort in item_pages.SORTS:
            # IP, API key and model get their index on the first sort by them, before any
            # page (app/ui/table_columns.py): built and timed here, then dropped again so
            # that the window's benchmark sorts a case without them, as a reviewer first does.
            made = item_pages.sort_index_missing(conn, sort)
            if made:
                index_s, _ = _timed(lambda s=sort: conn.execute(item_pages.SORT_INDEXES[s]))
            for descending in (False, True):
                name = f"{sort} {'desc' if descending else 'asc'}"
                out["sorts"][name] = pages(item_pages.Window(ItemFilter(), sort, descending))
                out["sorts"][name]["looked_up"] = getattr(item_pages.SORTS[sort], "looked_up", False)
                if made:
                    out["sorts"][name]["index_s"] = index_s
            if made:
                conn.execute(f"DROP INDEX items_sort_{sort}")
    out["peak_mb"] = peak_rss_mb()
    return out


def export(scale: str, folder: str) -> dict:
    """The exhibit bundle (bench_export: real import, real export) against the reportlab floor."""
    import bench_export
    from pypdf import PdfReader

    work = Path(folder)
    work.mkdir(parents=True, exist_ok=True)
    case_path = bench_export.build_case(work, float(scale))
    exported = bench_export.run_export(str(case_path), str(work / "bundle.pdf"))
    texts = [page.extract_text() for page in PdfReader(str(work / "bundle.pdf")).pages]
    (work / "texts.json").write_text(json.dumps(texts))
    return {"export": exported, "texts": str(work / "texts.json")}


def export_floor(texts: str, folder: str) -> dict:
    import bench_export

    return bench_export.run_floor(texts, str(Path(folder) / "floor.pdf"))


def analysis(case_path: str) -> dict:
    """bench/bench_analysis.py's measurement over the imported case, when that bench exists."""
    import bench_analysis

    return bench_analysis.runner_measure(Path(case_path))


def gui(case_path: str, tag_code: str) -> dict:
    from run_gui import measure_window

    return measure_window(Path(case_path), tag_code)


KINDS = {
    "floor": floor,
    "import": import_log,
    "prepare": prepare,
    "queries": queries,
    "export": export,
    "export-floor": export_floor,
    "analysis": analysis,
    "gui": gui,
}

if __name__ == "__main__":
    kind, *arguments = sys.argv[1:]
    result = KINDS[kind](*arguments)
    result.setdefault("peak_mb", peak_rss_mb())
    import app

    result["app"] = str(Path(app.__file__).parent)
    print(json.dumps(result, default=str))
