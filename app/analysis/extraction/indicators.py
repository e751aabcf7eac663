"""The indicators of one account: each a number, the threshold it is held against and a
sentence a judge can follow. Which rows support each is worked out afterwards, for the
indicators that fire (`supporting_rows.py`).

Every threshold comes from the settings (resources/analysis/default.json, "extraction").
"""

import math
import statistics

from app.analysis.extraction.account_stats import AccountStats
from app.analysis.extraction.model import Indicator

BEHAVIOUR = (
    "template_reuse",
    "reasoning_elicitation",
    "round_the_clock",
    "rate_shaping",
    "key_rotation",
    "key_sharing",
    "capability_sweep",
    "synchronised",
)
DAY_S = 86400


def n(value) -> str:
    """A count as a reader writes it: 9,000."""
    return f"{int(round(value)):,}"


def pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def strength(value: float, threshold: float, lower_is_stronger: bool = False) -> float:
    """How far past the threshold an indicator is, 1 (at it) to 3 (three times or more)."""
    if not threshold or not value:
        return 1.0
    ratio = threshold / value if lower_is_stronger else value / threshold
    return round(min(max(ratio, 1.0), 3.0), 6)


def indicator(code: str, value, threshold, fired: bool, summary: str, weight: float, lower: bool = False):
    value, threshold = round(float(value), 6), round(float(threshold), 6)
    return Indicator(
        code, value, threshold, fired, summary, [], weight, strength(value, threshold, lower) if fired else 0.0
    )


class Population:
    """The robust middle and spread of all accounts' output (in log10 of tokens)."""

    def __init__(self, outputs: list[int], settings: dict):
        logs = sorted(math.log10(1 + o) for o in outputs) or [0.0]
        self.median_log = statistics.median(logs)
        mad = statistics.median(abs(x - self.median_log) for x in logs)
        self.scale = 1.4826 * max(mad, settings["volume"]["mad_floor"])
        self.z = settings["volume"]["robust_z"]
        self.median_tokens = round(10**self.median_log - 1)
        self.threshold_tokens = round(10 ** (self.median_log + self.z * self.scale) - 1)

    def robust_z(self, output: int) -> float:
        return (math.log10(1 + output) - self.median_log) / self.scale


def volume(s: AccountStats, population: Population, settings: dict) -> Indicator:
    z = population.robust_z(s.output)
    fired = z >= population.z and s.output > 0
    times = s.output / population.median_tokens if population.median_tokens else 0
    summary = (
        f"{n(s.output)} output tokens harvested in {n(s.served)} served requests"
        + (f", {times:,.0f} times the median account ({n(population.median_tokens)})" if times >= 2 else "")
        + f"; an account stands out above {n(population.threshold_tokens)} tokens (the median plus "
        f"{population.z:g} robust deviations, on a log scale)."
    )
    return indicator("volume", s.output, population.threshold_tokens, fired, summary, settings["volume"]["weight"])


def template_reuse(s: AccountStats, best: dict | None, settings: dict) -> Indicator:
    """best: {side, share, count, fillings, templates, text} of the account's strongest template side."""
    rules = settings["template_reuse"]
    if not best or not s.prompts:
        return indicator("template_reuse", 0, rules["min_share"], False, "No prompts were logged.", rules["weight"])
    fired = s.requests >= settings["min_requests"] and best["share"] >= rules["min_share"]
    fired = fired and best["fillings"] >= rules["min_fillings"]
    example = f', e.g. "{best["text"]}"' if best.get("text") else ""
    summary = (
        f"{pct(best['share'])} of this account's {n(s.prompts)} prompts follow {best['templates']} template(s) "
        f"with {n(best['fillings'])} different fillings{example}; the line is {pct(rules['min_share'])} "
        f"with at least {rules['min_fillings']} fillings."
    )
    return indicator("template_reuse", best["share"], rules["min_share"], fired, summary, rules["weight"])


def reasoning_elicitation(s: AccountStats, settings: dict) -> Indicator:
    rules = settings["reasoning_elicitation"]
    share = s.reasoning / s.prompts if s.prompts else 0.0
    fired = s.requests >= settings["min_requests"] and s.reasoning >= rules["min_prompts"]
    fired = fired and share >= rules["min_share"]
    summary = (
        f"{pct(share)} of its prompts ({n(s.reasoning)}) ask for step-by-step reasoning or the chain of thought "
        f'(English and Chinese phrases such as "step by step", "show your reasoning"); '
        f"the line is {pct(rules['min_share'])}."
    )
    return indicator("reasoning_elicitation", share, rules["min_share"], fired, summary, rules["weight"])


def quiet_window(hours: list[int], width: int) -> tuple[int, float]:
    """(first hour, share of requests) of the `width` consecutive hours with the fewest requests."""
    total = sum(hours) or 1
    best = min(range(24), key=lambda start: (sum(hours[(start + k) % 24] for k in range(width)), start))
    return best, sum(hours[(best + k) % 24] for k in range(width)) / total


def round_the_clock(s: AccountStats, settings: dict) -> tuple[Indicator, list[int]]:
    rules = settings["round_the_clock"]
    width = rules["quiet_window_hours"]
    active = sum(1 for h in s.hours if h)
    start, share = quiet_window(s.hours, width)
    fired = s.requests >= settings["min_requests"] and active >= rules["min_hours"]
    fired = fired and share >= rules["min_quiet_share"]
    window = [(start + k) % 24 for k in range(width)]
    summary = (
        f"Active in {active} of the 24 hours of the day (UTC); even its quietest {width} hours "
        f"({start:02d}:00-{(start + width) % 24:02d}:00 UTC) hold {pct(share)} of its requests, where a person's "
        f"day leaves some hours empty wherever they live; the line is {pct(rules['min_quiet_share'])} "
        f"and {rules['min_hours']} active hours."
    )
    found = indicator("round_the_clock", share, rules["min_quiet_share"], fired, summary, rules["weight"])
    return found, window


def ceiling(per_minute) -> tuple[int, float, int]:
    """(busiest minute's requests, share of active minutes within 80% of it, active minutes)."""
    if not per_minute:
        return 0, 0.0, 0
    top = max(per_minute)
    minutes = sum(per_minute.values())
    near = sum(count for per, count in per_minute.items() if per >= 0.8 * top)
    return top, near / minutes, minutes


def rate_shaping(s: AccountStats, settings: dict) -> tuple[Indicator, dict]:
    """Machine pacing: gaps too regular for a person, minutes held at a ceiling, or refusals for rate limits."""
    rules = settings["rate_shaping"]
    enough = s.requests >= settings["min_requests"]
    cv = s.gap_cv
    regular = enough and cv is not None and s.gaps[0] >= rules["min_gaps"] and cv <= rules["max_cv"]
    top, near, minutes = ceiling(s.per_minute)
    held = enough and top >= rules["ceiling_min_per_minute"] and near >= rules["min_ceiling_share"]
    limited_share = s.limited / s.requests if s.requests else 0.0
    limited = enough and s.limited >= rules["min_limited"] and limited_share >= rules["min_limited_share"]
    parts = []
    if cv is not None:
        parts.append(
            f"the time between its requests varies by {cv:.2f} of its mean (coefficient of variation; a person's "
            f"is usually above 1, the line is {rules['max_cv']:g})"
        )
    if top >= rules["ceiling_min_per_minute"]:
        parts.append(
            f"{pct(near)} of its {n(minutes)} active minutes run at {int(0.8 * top + 0.999)}-{top} requests, "
            "just under its ceiling"
        )
    if s.limited:
        parts.append(f"{n(s.limited)} requests ({pct(limited_share)}) were refused for rate limits")
    summary = ("; ".join(parts) or "Too few requests to judge its pacing") + "."
    summary = summary[0].upper() + summary[1:]
    weight = rules["weight"]
    if regular:
        found = indicator("rate_shaping", cv, rules["max_cv"], True, summary, weight, lower=True)
    elif held:
        found = indicator("rate_shaping", near, rules["min_ceiling_share"], True, summary, weight)
    elif limited:
        found = indicator("rate_shaping", limited_share, rules["min_limited_share"], True, summary, weight)
    else:
        found = indicator("rate_shaping", cv if cv is not None else 0, rules["max_cv"], False, summary, weight, True)
    return found, {"regular": regular, "held": held, "limited": limited, "ceiling": top}


def key_rotation(s: AccountStats, settings: dict) -> Indicator:
    rules = settings["key_rotation"]
    dated = [(first, last) for _key, first, last, _count in s.keys if first is not None]
    lifetimes = [(last - first) / 1e6 / DAY_S for first, last in dated]
    median_life = statistics.median(lifetimes) if lifetimes else 0.0
    starts = sorted(first for first, _ in dated)
    cadence = (
        statistics.median([(b - a) / 1e6 / DAY_S for a, b in zip(starts, starts[1:])]) if len(starts) > 2 else None
    )
    keys = len(s.keys)
    fired = keys >= rules["min_keys"] and median_life <= rules["max_median_lifetime_days"]
    summary = f"Used {keys} API key(s)"
    if lifetimes:
        summary += f", each for a median of {median_life:.1f} days"
    if cadence is not None:
        summary += f", a new key every {cadence:.1f} days"
    summary += (
        f"; the line is {rules['min_keys']} keys living {rules['max_median_lifetime_days']:g} days or less "
        "(rotating keys keeps each one under its limits)."
    )
    return indicator("key_rotation", keys, rules["min_keys"], fired, summary, rules["weight"])


def key_sharing(s: AccountStats, shared: dict[int, list[int]], names: list[str], key_names: list[str], settings):
    """Keys this account used that other accounts used too (sharing or resale)."""
    own = [key for key, *_ in s.keys if key in shared]
    others = sorted({names[a] for key in own for a in shared[key] if a != s.acct})
    fired = bool(others)
    if fired:
        keys = ", ".join(key_names[k] for k in own[:5]) + (f" and {len(own) - 5} more" if len(own) > 5 else "")
        listed = ", ".join(others[:8]) + (f" and {len(others) - 8} more" if len(others) > 8 else "")
        summary = f"Its API key(s) {keys} were also used by {listed}: a key shared between accounts, or resold."
    else:
        summary = "No other account used its API keys."
    return indicator("key_sharing", len(others), 1, fired, summary, settings["key_sharing"]["weight"])


def evenness(counts) -> float:
    """Shannon entropy over the domains used, as a share of the most even spread (1 = perfectly even)."""
    values = [c for c in counts if c]
    if len(values) < 2:
        return 0.0
    total = sum(values)
    entropy = -sum(c / total * math.log(c / total) for c in values)
    return entropy / math.log(len(values))


def capability_sweep(s: AccountStats, template_fired: bool, settings: dict) -> Indicator:
    rules = settings["capability_sweep"]
    numbered_share = s.numbered / s.prompts if s.prompts else 0.0
    tagged = sum(s.domains.values())
    covered = [d for d, c in s.domains.items() if tagged and c / tagged >= 0.02]
    even = evenness([s.domains[d] for d in covered])
    ratio = s.output / s.input_served if s.input_served else 0.0
    numbered = numbered_share >= rules["min_numbered_share"] and s.distinct_numbers >= rules["min_distinct_numbers"]
    cycling = len(covered) >= rules["min_domains"] and even >= rules["min_evenness"] and template_fired
    long_answers = ratio >= rules["min_answer_ratio"]
    fired = s.requests >= settings["min_requests"] and long_answers and (numbered or cycling)
    summary = (
        f"{pct(numbered_share)} of its prompts are numbered tasks ({n(s.distinct_numbers)} different numbers); "
        f"they cover {len(covered)} domains of knowledge (evenness {even:.2f})"
        f"; answers are {ratio:.1f} times as long as the prompts. The line is numbered tasks in "
        f"{pct(rules['min_numbered_share'])} of prompts, or {rules['min_domains']} domains evenly cycled through "
        f"one template, with answers at least {rules['min_answer_ratio']:g} times as long."
    )
    value, threshold = (
        (numbered_share, rules["min_numbered_share"])
        if numbered or not cycling
        else (len(covered), rules["min_domains"])
    )
    return indicator("capability_sweep", value, threshold, fired, summary, rules["weight"])


def synchronised(partners: list[tuple[str, float, int]], settings: dict) -> Indicator:
    """partners: (account, share of this account's request windows shared, windows shared)."""
    rules = settings["synchronised"]
    best = max((share for _, share, _ in partners), default=0.0)
    if partners:
        listed = "; ".join(f"{other}: {pct(share)} ({n(together)} windows)" for other, share, together in partners[:6])
        summary = (
            f"Its requests come within the same {rules['window_seconds']} seconds as those of other accounts: "
            f"{listed}. Independent customers almost never line up like this; the line is {pct(rules['min_share'])}."
        )
    else:
        summary = "Its requests do not line up in time with any other account's."
    return indicator("synchronised", best, rules["min_share"], bool(partners), summary, rules["weight"])
