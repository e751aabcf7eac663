"""The extraction analysis as an operation: a generator yielding Progress, checking a
CancelToken, and storing its findings in one transaction at the end (a cancel stores
nothing). Returns the run id.

The rule for a flag: substantial harvested output (the account's own, or that of the
accounts tied to it by keys, templates or timing), sustained over several days (a one-off
evaluation run is not a harvest), and at least two independent indicators of behaviour
besides the volume itself.
"""

import copy

import orjson

from app.analysis.extraction import account_stats as sql
from app.analysis.extraction import clusters as linking
from app.analysis.extraction import indicators as rules_of
from app.analysis.extraction import prompts
from app.analysis.extraction.features import FeatureTable
from app.analysis.extraction.model import AccountFinding, Indicator, Link
from app.analysis.extraction.supporting_rows import supporting_rows
from app.analysis.settings import load_settings, settings_hash
from app.core.cancel import CancelToken, Progress
from app.store import findings
from app.store.case_file import CaseFile
from app.store.log_rows import iter_log_rows, log_row_count, log_source_ids, prompts_of

KIND = "extraction"
CASE_SETTINGS_KEY = "analysis_settings"  # meta: the case's own overrides of the defaults (JSON)


def case_settings(case: CaseFile, path=None) -> dict:
    """The defaults, the case's overrides, then a user's file (`--settings FILE`)."""
    stored = case.meta(CASE_SETTINGS_KEY)
    return load_settings(path, orjson.loads(stored) if stored else None)


def resolved(settings: dict) -> dict:
    """The extraction settings with the phrase lists they name written in, so that the run
    records (and its hash covers) the very phrases and domains it used."""
    rules = copy.deepcopy(settings["extraction"])
    rules["reasoning_elicitation"]["phrases"] = prompts.read_phrase_file(rules["reasoning_elicitation"]["phrases_file"])
    rules["capability_sweep"]["domains"] = prompts.read_domains_file(rules["capability_sweep"]["domains_file"])
    return rules


def analyse_extraction(case: CaseFile, settings: dict | None = None, source_id: int | None = None, token=None):
    token = token or CancelToken()
    settings = settings if settings is not None else case_settings(case)
    rules = resolved(settings)
    conn = case.conn
    source_ids = log_source_ids(conn, source_id) if source_id is not None else None
    total = log_row_count(conn, source_ids)
    phrases = prompts.PhraseList(rules["reasoning_elicitation"]["phrases"])
    domains = prompts.Domains(rules["capability_sweep"]["domains"])
    table = FeatureTable(conn, rules, phrases, domains)
    try:
        done = 0
        yield Progress("Reading log rows", 0, total, "rows")
        for batch in iter_log_rows(conn, source_ids):
            token.raise_if_cancelled()
            table.add(batch)
            done += len(batch)
            yield Progress("Reading log rows", done, total, "rows")
        table.index()
        yield Progress("Measuring each account", 0, None, "steps")
        accounts, links = assess(conn, table, rules, token)
        yield Progress("Linking accounts", 0, None, "steps")
        flagged = {a.account for a in accounts if a.flagged}
        found_clusters = linking.clusters(links, flagged)
        yield Progress("Collecting the rows behind each indicator", 0, len(accounts), "accounts")
        for number, account in enumerate(accounts):
            token.raise_if_cancelled()
            supporting_rows(conn, table, account, rules)
            if number % 50 == 0:
                yield Progress("Collecting the rows behind each indicator", number, len(accounts), "accounts")
        token.raise_if_cancelled()
        yield Progress("Storing the findings", 0, None, "steps")
        recorded = {"extraction": rules}
        run = {
            "kind": KIND,
            "settings": recorded,
            "settings_hash": settings_hash(recorded),
            "source_id": source_id,
            "rows_read": done,
            "notes": _notes(table),
        }
        return findings.save_run(
            case, run, [_account_json(a) for a in accounts], [_cluster_json(c) for c in found_clusters], token
        )
    finally:
        table.drop()


def _notes(table: FeatureTable) -> list[str]:
    notes = []
    if table.without_account:
        notes.append(f"{table.without_account:,} log row(s) name no account and were not assessed.")
    if table.undated:
        notes.append(f"{table.undated:,} log row(s) have no time; they count for volume and prompts, not for timing.")
    return notes


def assess(conn, table: FeatureTable, rules: dict, token):
    """Every account's indicators, the links between accounts, and each account's flag."""
    names = table.accounts.names
    stats = sql.account_stats(conn, names, rules["template_reuse"]["top_templates"], token)
    population = rules_of.Population([s.output for s in stats.values() if s.requests], rules)
    shared_keys = sql.shared_values(conn, "key")
    results: dict[int, AccountFinding] = {}
    best_templates: dict[int, tuple] = {}
    for acct, s in stats.items():
        token.raise_if_cancelled()
        best = _best_template(conn, s, rules)
        template = rules_of.template_reuse(s, best, rules)
        clock, quiet_hours = rules_of.round_the_clock(s, rules)
        rate, rate_parts = rules_of.rate_shaping(s, rules)
        found = [
            rules_of.volume(s, population, rules),
            template,
            rules_of.reasoning_elicitation(s, rules),
            clock,
            rate,
            rules_of.key_rotation(s, rules),
            rules_of.key_sharing(s, shared_keys, names, table.keys.names, rules),
            rules_of.capability_sweep(s, template.fired, rules),
        ]
        details = {
            "served": s.served,
            "limited": s.limited,
            "active_days": s.active_days,
            "busiest_day_share": round(s.busiest_day_output / s.output, 6) if s.output else 0.0,
            "first_us": s.first_ts,
            "last_us": s.last_ts,
            "hours_utc": s.hours,
            "keys": len(s.keys),
            "key_spans": [[table.keys.names[k], first, last, count] for k, first, last, count in s.keys],
            "quiet_hours_utc": quiet_hours,
            "rate": rate_parts,
            "templates": best["list"] if best else [],
            "template_side": best["side"] if best else None,
            "template_signatures": best["signatures"] if best else [],
            "shared_keys": sorted(table.keys.names[k] for k, *_ in s.keys if k in shared_keys),
        }
        results[acct] = AccountFinding(s.name, s.requests, s.output, found, details=details)
        if template.fired:
            best_templates[acct] = (best["side"], best["signatures"][0], best["list"][0]["text"] or "a template")
    links = _links(conn, table, results, stats, best_templates, shared_keys, rules, token)
    _flag(results, stats, links, rules)
    ranked = sorted(results.values(), key=lambda a: (not a.flagged, -a.score, a.account))
    return ranked, links


def _best_template(conn, s, rules: dict) -> dict | None:
    """The side (prefix or suffix) whose top templates cover most of the account's prompts."""
    template = rules["template_reuse"]
    if not s.prompts or not s.templates:
        return None
    side = max(s.templates, key=lambda k: (sum(c for _, c in s.templates[k]), k == "suffix"))
    top = [(sig, count) for sig, count in s.templates[side] if count > 1] or s.templates[side][:1]
    covered = sum(count for _, count in top)
    share = covered / s.prompts
    column = "psig" if side == "prefix" else "ssig"
    signatures = [sig for sig, _ in top]
    fillings = sql.distinct_fillings(conn, s.acct, column, signatures)
    listed = []
    examples = {}
    if share >= template["min_share"] / 2:  # worth showing: read one example prompt of each template
        ids = {sig: sql.example_item(conn, s.acct, column, sig) for sig in signatures}
        texts = prompts_of(conn, [i for i in ids.values() if i is not None])
        count = template["prefix_tokens"] if side == "prefix" else template["suffix_tokens"]
        examples = {sig: prompts.template_text(texts.get(ids[sig], ""), side, count) for sig in signatures}
    for sig, count in top:
        listed.append({"text": examples.get(sig, ""), "count": count, "share": round(count / s.prompts, 6)})
    return {
        "side": side,
        "share": share,
        "fillings": fillings,
        "templates": len(top),
        "text": listed[0]["text"] if listed else "",
        "list": listed,
        "signatures": signatures,
    }


def _links(conn, table: FeatureTable, results, stats, best_templates, shared_keys, rules, token) -> list[Link]:
    names = table.accounts.names
    limit = rules["clusters"]["max_accounts_per_address"]
    links = linking.shared_links(shared_keys, table.keys.names, names, "key")
    links += linking.template_links(best_templates, names)
    suspects = [
        acct
        for acct, result in results.items()
        if any(i.fired and i.code in rules_of.BEHAVIOUR for i in result.indicators)
    ]
    suspects = sorted(suspects, key=lambda a: (-stats[a].output, names[a]))[
        : rules["synchronised"]["max_accounts_compared"]
    ]
    bitmaps = linking.TimingBitmaps(conn, sorted(suspects), rules["synchronised"]["window_seconds"], token)
    timing, partners = linking.timing_links(bitmaps, names, rules["synchronised"], token)
    links += timing
    for acct, result in results.items():
        mine = sorted(partners.get(acct, []), key=lambda p: (-p[1], p[0]))
        result.indicators.append(rules_of.synchronised(mine, rules))
        result.details["synchronised_with"] = [p[0] for p in mine]
    table.timing = bitmaps  # the synchronised rows are read against these bitmaps
    ip_links = linking.shared_links(sql.shared_values(conn, "ip", limit), table.ips.names, names, "ip")
    by_ip = {(link.a, link.b) for link in ip_links}
    block_links = [
        link
        for link in linking.shared_links(sql.shared_values(conn, "block", limit), table.blocks.names, names, "block")
        if (link.a, link.b) not in by_ip
    ]
    return links + ip_links + block_links


def _flag(results: dict, stats: dict, links: list[Link], rules: dict) -> None:
    strong = linking.strong_groups(links)
    by_name = {r.account: r for r in results.values()}
    threshold = rules["substantial_output_tokens"]
    for acct, result in results.items():
        s = stats[acct]
        behaviour = [i for i in result.indicators if i.fired and i.code in rules_of.BEHAVIOUR]
        group = strong.get(result.account, [result.account])
        group_output = sum(by_name[m].output_tokens for m in group)
        own = result.output_tokens >= threshold
        substantial = own or group_output >= threshold
        busiest = result.details["busiest_day_share"]
        sustained = s.active_days >= rules["min_active_days"] and busiest <= rules["max_busiest_day_share"]
        enough = len(behaviour) >= rules["min_indicators"]
        result.flagged = substantial and sustained and enough
        result.score = round(sum(i.weight * i.strength for i in result.indicators), 6)
        result.details["linked_group"] = group if len(group) > 1 else []
        result.details["group_output"] = group_output
        result.reason = _reason(result, behaviour, own, substantial, sustained, group, group_output, s, rules)


def _reason(result, behaviour: list[Indicator], own, substantial, sustained, group, group_output, s, rules) -> str:
    names = ", ".join(i.name.lower() for i in behaviour) or "none"
    need = rules["min_indicators"]
    threshold = rules["substantial_output_tokens"]
    if result.flagged:
        harvest = (
            f"{result.output_tokens:,} output tokens harvested"
            if own
            else f"{group_output:,} output tokens harvested with the {len(group) - 1} account(s) tied to it"
        )
        return f"Flagged: {harvest}, over {s.active_days} days, and {len(behaviour)} indicators ({names})."
    if not substantial:
        return (
            f"Not flagged: {result.output_tokens:,} output tokens is not a substantial harvest "
            f"(the line is {threshold:,}); indicators: {names}."
        )
    if not sustained:
        if s.active_days < rules["min_active_days"]:
            return (
                f"Not flagged: active on {s.active_days} day(s) only, a one-off run rather than a harvest; "
                f"indicators: {names}."
            )
        return (
            f"Not flagged: {result.details['busiest_day_share'] * 100:.0f}% of its output came on one day, a one-off "
            f"run rather than a sustained harvest; indicators: {names}."
        )
    return f"Not flagged: {len(behaviour)} indicator(s) besides volume ({names}); a flag needs {need}."


def _account_json(account: AccountFinding) -> dict:
    return {
        "account": account.account,
        "score": account.score,
        "flagged": account.flagged,
        "requests": account.requests,
        "output_tokens": account.output_tokens,
        "reason": account.reason,
        "details": account.details,
        "indicators": [
            {
                "code": i.code,
                "fired": i.fired,
                "value": i.value,
                "threshold": i.threshold,
                "strength": i.strength,
                "weight": i.weight,
                "summary": i.summary,
                "items": i.items,
            }
            for i in account.indicators
        ],
    }


def _cluster_json(cluster) -> dict:
    return {
        "accounts": cluster.accounts,
        "flagged": cluster.flagged,
        "reason": cluster.reason,
        "links": [link.as_dict() for link in cluster.links],
    }
