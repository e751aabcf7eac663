"""The "Extraction indicators" summary exhibit (FRE 1006 style), for one account or one cluster.

What it shows: whether the account was flagged and why; each indicator with its number,
its threshold and its sentence; the charts (requests by day and hour, per day, template
share, key timeline) drawn on the page; the method and the settings in plain words; and
cites to the underlying rows -- exhibit id and Bates range where they are produced, "not
produced" otherwise, never a number worked out here (app/export/summaries.py).

ref: {"finding_id": N} (an account's findings) or {"run_id": N, "cluster": K} (the K-th
cluster of a run, 0-based).
"""

from collections import Counter
from datetime import timedelta

from app.analysis.extraction.charts import chart_data
from app.analysis.extraction.model import INDICATOR_NAMES
from app.core.timestamps import EPOCH
from app.export import fonts
from app.export.layout import BOTTOM, GREY, PageWriter
from app.store import findings
from app.store.errors import CaseFileError

KIND = "extraction"
BAR = (0.16, 0.38, 0.64)
HEAT = (0.75, 0.12, 0.10)


def cited(conn, ref: dict) -> list[int]:
    """The rows the exhibit cites: those behind the fired indicators of the account (or of every
    account in the cluster)."""
    ids: set[int] = set()
    for finding_id in _finding_ids(conn, ref):
        ids.update(findings.finding_items(conn, finding_id))
    return sorted(ids)


def _finding_ids(conn, ref: dict) -> list[int]:
    if "finding_id" in ref:
        return [int(ref["finding_id"])]
    cluster = _cluster(conn, ref)
    return [f for f in (findings.find_finding(conn, int(ref["run_id"]), a) for a in cluster["accounts"]) if f]


def _cluster(conn, ref: dict) -> dict:
    clusters = findings.get_run(conn, int(ref["run_id"]))["clusters"]
    index = int(ref.get("cluster", 0))
    if not 0 <= index < len(clusters):
        raise CaseFileError(f"Analysis run {ref['run_id']} has no cluster {index + 1}.")
    return clusters[index]


def render(conn, writer: PageWriter, ref: dict, context) -> None:
    if "finding_id" in ref:
        finding = findings.get_finding(conn, int(ref["finding_id"]))
        run = findings.get_run(conn, finding["run_id"])
        _account(conn, writer, finding, context)
    else:
        run = findings.get_run(conn, int(ref["run_id"]))
        _cluster_page(conn, writer, _cluster(conn, ref), run, context)
    _method(writer, run)
    _cites(conn, writer, ref, context)


def _account(conn, writer: PageWriter, finding: dict, context) -> None:
    status = "FLAGGED" if finding["flagged"] else "not flagged"
    writer.heading(f"Account {finding['account']}: {status}", 12)
    writer.paragraph(finding["reason"])
    writer.space(4)
    writer.fields(
        [
            ("Requests", f"{finding['requests']:,}"),
            ("Output tokens", f"{finding['output_tokens']:,}"),
            ("Active days", f"{finding['details'].get('active_days', 0):,}"),
            ("API keys", f"{finding['details'].get('keys', 0):,}"),
            ("Score", f"{finding['score']:.2f} (rank {finding['rank']})"),
        ]
    )
    _indicator_table(writer, finding)
    _charts(writer, chart_data(conn, finding))


def _indicator_table(writer: PageWriter, finding: dict) -> None:
    writer.heading("Indicators", 11)
    rows = []
    for i in finding["indicators"]:
        rows.append(
            [
                INDICATOR_NAMES.get(i["code"], i["code"]) + ("" if i["fired"] else " (not met)"),
                _number(i["value"], i),
                _number(i["threshold"], i),
                i["summary"],
                f"{i['row_count']:,}" if i["fired"] else "",
            ]
        )
    columns = [("Indicator", 0.18), ("Value", 0.09), ("Line", 0.09), ("What it means", 0.54), ("Rows", 0.10)]
    writer.table(columns, rows, fonts.SANS, 7.5)


def _number(value: float, indicator: dict) -> str:
    """Shares as percentages (a threshold below 1 marks one); counts with separators."""
    if indicator["threshold"] < 1 and indicator["code"] != "rate_shaping":
        return f"{value * 100:.0f}%"
    if value >= 1000 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.2f}"


def _cluster_page(conn, writer: PageWriter, cluster: dict, run: dict, context) -> None:
    writer.heading(
        f"Cluster of {len(cluster['accounts'])} accounts: {'FLAGGED' if cluster['flagged'] else 'not flagged'}", 12
    )
    writer.paragraph(cluster["reason"])
    rows = []
    for account in cluster["accounts"]:
        finding_id = findings.find_finding(conn, run["id"], account)
        finding = findings.get_finding(conn, finding_id) if finding_id else None
        if finding is None:
            continue
        fired = [INDICATOR_NAMES.get(i["code"], i["code"]) for i in finding["indicators"] if i["fired"]]
        rows.append([account, "yes" if finding["flagged"] else "no", f"{finding['output_tokens']:,}", ", ".join(fired)])
    writer.heading("Accounts", 11)
    writer.table(
        [("Account", 0.2), ("Flagged", 0.1), ("Output tokens", 0.15), ("Indicators", 0.55)], rows, fonts.SANS, 7.5
    )
    writer.heading("Who links to whom, and by what", 11)
    links = [[link["a"], link["b"], link["by"], link["what"]] for link in cluster["links"]]
    writer.table(
        [("Account", 0.18), ("Account", 0.18), ("By", 0.12), ("What they share", 0.52)], links, fonts.SANS, 7.5
    )


# -- charts ------------------------------------------------------------------------------


def _day(day_us: int) -> str:
    return (EPOCH + timedelta(microseconds=day_us)).strftime("%Y-%m-%d")


def _charts(writer: PageWriter, data: dict) -> None:
    writer.heading("Charts", 11)
    if data["heat"]:
        _heat_strip(writer, data)
        _daily_bars(writer, data)
    if data["templates"]:
        _template_bars(writer, data["templates"])
    if data["keys"]:
        _key_timeline(writer, data)


def _caption(writer: PageWriter, text: str) -> None:
    writer.line(text, fonts.BOLD, 8.5)
    writer.space(2)


def _heat_strip(writer: PageWriter, data: dict) -> None:
    heat = data["heat"]
    height = 24 * 3.2
    writer.ensure(height + 40)
    cut = f" (last {len(heat)} days)" if data["cut_days"] else ""
    _caption(writer, f"Requests by hour of day (UTC, rows) and day (columns){cut}: darker is more")
    canvas = writer.canvas
    left, top = writer.left + 28, writer.y
    width = (writer.text_width - 28) / max(len(heat), 1)
    peak = max((max(hours) for hours in heat), default=1) or 1
    for column, hours in enumerate(heat):
        for hour, count in enumerate(hours):
            if not count:
                continue
            t = 0.15 + 0.85 * count / peak  # white to dark red by the hour's share of the busiest hour
            canvas.setFillColorRGB(*(1 - (1 - c) * t for c in HEAT))
            canvas.rect(left + column * width, top - (hour + 1) * 3.2, max(width, 0.6), 3.2, stroke=0, fill=1)
    canvas.setFillColorRGB(*GREY)
    for hour in (0, 6, 12, 18):
        fonts.draw(canvas, writer.left, top - (hour + 1) * 3.2 + 0.5, f"{hour:02d}:00", fonts.SANS, 5.5)
    canvas.setStrokeColorRGB(*GREY)
    canvas.setLineWidth(0.3)
    canvas.rect(left, top - height, width * len(heat), height, stroke=1, fill=0)
    last_day = data["first_day_us"] + (len(heat) - 1) * 86_400_000_000
    fonts.draw(canvas, left, top - height - 8, _day(data["first_day_us"]), fonts.SANS, 6)
    fonts.draw(canvas, left + width * len(heat) - 40, top - height - 8, _day(last_day), fonts.SANS, 6)
    canvas.setFillColorRGB(0, 0, 0)
    writer.y = top - height - 14
    writer.blank = False


def _daily_bars(writer: PageWriter, data: dict) -> None:
    daily = data["daily"]
    height = 60
    writer.ensure(height + 30)
    _caption(writer, f"Requests per day (UTC); busiest day {max(daily):,}")
    canvas = writer.canvas
    left, base = writer.left + 28, writer.y - height
    width = (writer.text_width - 28) / max(len(daily), 1)
    peak = max(daily) or 1
    canvas.setFillColorRGB(*BAR)
    for column, count in enumerate(daily):
        if count:
            canvas.rect(left + column * width, base, max(width * 0.85, 0.5), height * count / peak, stroke=0, fill=1)
    canvas.setFillColorRGB(*GREY)
    fonts.draw(canvas, writer.left, base + height - 5, f"{peak:,}", fonts.SANS, 5.5)
    fonts.draw(canvas, writer.left, base, "0", fonts.SANS, 5.5)
    canvas.setFillColorRGB(0, 0, 0)
    writer.y = base - 8
    writer.blank = False


def _template_bars(writer: PageWriter, templates: list) -> None:
    writer.ensure(16 + 14 * len(templates))
    _caption(writer, "Share of its prompts in its top templates")
    canvas = writer.canvas
    bar_width = writer.text_width * 0.35
    for text, share in templates:
        if writer.y - 14 < BOTTOM:
            writer.new_page()
        y = writer.y - 10
        canvas.setFillColorRGB(0.88, 0.88, 0.88)
        canvas.rect(writer.left, y, bar_width, 8, stroke=0, fill=1)
        canvas.setFillColorRGB(*BAR)
        canvas.rect(writer.left, y, bar_width * min(share, 1.0), 8, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        label = f"{share * 100:.0f}%  {text}"
        fonts.draw(canvas, writer.left + bar_width + 6, y + 1, label[:110], fonts.SANS, 7)
        writer.y -= 14
    writer.blank = False


def _key_timeline(writer: PageWriter, data: dict) -> None:
    keys = data["keys"][:40]
    spans = [(first, last) for _n, first, last, _c in keys if first is not None]
    if not spans:
        return
    start, end = min(f for f, _ in spans), max(last for _, last in spans)
    span = max(end - start, 1)
    writer.ensure(20 + 7 * len(keys))
    more = f" (first 40 of {len(data['keys'])})" if len(data["keys"]) > 40 else ""
    _caption(writer, f"API keys: first to last use{more}, {_day(start)} to {_day(end)}")
    canvas = writer.canvas
    left = writer.left + 110
    width = writer.text_width - 110
    for name, first, last, count in keys:
        if writer.y - 7 < BOTTOM:
            writer.new_page()
        y = writer.y - 6
        fonts.draw(canvas, writer.left, y, f"{name[:22]} ({count:,})", fonts.SANS, 5.5)
        if first is not None:
            x0 = left + width * (first - start) / span
            x1 = left + width * (last - start) / span
            canvas.setFillColorRGB(*BAR)
            canvas.rect(x0, y, max(x1 - x0, 1.2), 4, stroke=0, fill=1)
            canvas.setFillColorRGB(0, 0, 0)
        writer.y -= 7
    writer.y -= 4
    writer.blank = False


# -- method, settings, cites -----------------------------------------------------------


def _method(writer: PageWriter, run: dict) -> None:
    rules = run["settings"]["extraction"]
    writer.heading("Method and settings", 11)
    writer.paragraph(
        f"Casefile read {run['rows_read']:,} log rows of this case (analysis run {run['id']}, "
        f"{run['created_utc']}, by {run['operator']}; the case then held {run['item_count']:,} items and its audit "
        f"chain ended at entry {run['audit_seq']}, {run['audit_hash'][:16]}...). Each account's requests were "
        "measured against the thresholds below, all taken from one settings file recorded with the findings "
        f"(SHA-256 {run['settings_hash']})."
    )
    writer.paragraph(
        f"An account is flagged only when it harvested substantial output -- at least "
        f"{rules['substantial_output_tokens']:,} output tokens, its own or with the accounts tied to it by shared "
        f"keys, templates or timing -- over at least {rules['min_active_days']} days with no single day holding "
        f"more than {rules['max_busiest_day_share'] * 100:.0f}% of it, and shows at least {rules['min_indicators']} "
        "independent indicators besides volume. A shared address alone never flags a cluster. The same case and "
        "the same settings give the same findings."
    )
    template = rules["template_reuse"]
    writer.paragraph(
        f"Thresholds: volume above the median plus {rules['volume']['robust_z']:g} robust deviations; templates "
        f"(first or last {template['prefix_tokens']} words, numbers and quoted passages set aside) covering "
        f"{template['min_share'] * 100:.0f}% of prompts with {template['min_fillings']} fillings; reasoning phrases "
        f"in {rules['reasoning_elicitation']['min_share'] * 100:.0f}% of prompts "
        f"({len(rules['reasoning_elicitation']['phrases'])} phrases, English and Chinese); "
        f"{rules['round_the_clock']['min_hours']} active hours with "
        f"{rules['round_the_clock']['min_quiet_share'] * 100:.0f}% in the quietest "
        f"{rules['round_the_clock']['quiet_window_hours']}; gaps between requests varying by at most "
        f"{rules['rate_shaping']['max_cv']:g} of their mean, minutes held at a ceiling, or refusals for rate limits; "
        f"{rules['key_rotation']['min_keys']} keys living at most "
        f"{rules['key_rotation']['max_median_lifetime_days']:g} days; numbered tasks in "
        f"{rules['capability_sweep']['min_numbered_share'] * 100:.0f}% of prompts with answers "
        f"{rules['capability_sweep']['min_answer_ratio']:g} times as long; requests within "
        f"{rules['synchronised']['window_seconds']} seconds of another account's in "
        f"{rules['synchronised']['min_share'] * 100:.0f}% of its time windows.",
        size=8.5,
    )


def _cites(conn, writer: PageWriter, ref: dict, context) -> None:
    writer.heading("The underlying rows", 11)
    rows = []
    for finding_id in _finding_ids(conn, ref):
        finding = findings.get_finding(conn, finding_id)
        for i in finding["indicators"]:
            if not i["fired"] or not i["row_count"]:
                continue
            ids = findings.indicator_items(conn, i["id"])
            cites = context.cite(ids) if context is not None else {}
            grouped = Counter(cites.get(item_id, "not produced") for item_id in ids)
            where = "; ".join(f"{text}: {count:,} row(s)" for text, count in sorted(grouped.items()))
            rows.append([finding["account"], INDICATOR_NAMES.get(i["code"], i["code"]), f"{len(ids):,}", where])
    writer.paragraph(
        'Each indicator\'s rows, cited by exhibit id and Bates range where they are produced; "not produced" '
        "where they are not. The case lists every row: casefile items CASE --finding ACCOUNT:CODE.",
        size=8.5,
    )
    writer.table([("Account", 0.14), ("Indicator", 0.2), ("Rows", 0.08), ("Cited as", 0.58)], rows, fonts.SANS, 7.5)
