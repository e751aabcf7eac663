"""Links between accounts and the clusters they make: the start of the attribution graph.

Links say who links to whom by what: a key both used, an address or address block both
came from, the same template, requests that line up in time. Keys, templates and timing
are *strong* links; addresses are not: an office's NAT puts a whole team behind one
address, so a cluster held together by addresses alone is listed but never flagged.
"""

from app.analysis.extraction import account_stats
from app.analysis.extraction.model import Cluster, Link

ALL_PAIRS_UP_TO = 12  # a value shared by more accounts links them in a chain, not every pair


def pairs(accounts: list[str]) -> list[tuple[str, str]]:
    accounts = sorted(accounts)
    if len(accounts) <= ALL_PAIRS_UP_TO:
        return [(a, b) for i, a in enumerate(accounts) for b in accounts[i + 1 :]]
    return list(zip(accounts, accounts[1:]))


def listed(values: list[str], shown: int = 3) -> str:
    values = sorted(values)
    more = f" and {len(values) - shown} more" if len(values) > shown else ""
    return ", ".join(values[:shown]) + more


def shared_links(shared: dict[int, list[int]], value_names: list[str], names: list[str], by: str) -> list[Link]:
    """One link per pair of accounts, naming the keys or addresses they share."""
    between: dict[tuple[str, str], list[str]] = {}
    for value, accounts in shared.items():
        for pair in pairs([names[a] for a in accounts]):
            between.setdefault(pair, []).append(value_names[value])
    return [Link(a, b, by, listed(values)) for (a, b), values in sorted(between.items())]


def template_links(best_templates: dict[int, tuple], names: list[str]) -> list[Link]:
    """Accounts whose template reuse fired on the same template. best_templates: acct -> (side, sig, text)."""
    groups: dict[tuple, list[int]] = {}
    for acct, (side, sig, _text) in best_templates.items():
        groups.setdefault((side, sig), []).append(acct)
    links = []
    for (_side, _sig), accounts in sorted(groups.items(), key=lambda kv: min(names[a] for a in kv[1])):
        text = best_templates[accounts[0]][2]
        links += [Link(a, b, "template", text) for a, b in pairs([names[a] for a in accounts])]
    return links


class TimingBitmaps:
    """Each compared account's requests as a bitmap of time windows over the case's span."""

    MAX_BITS = 8_000_000  # 1 MB an account; a longer span widens the window

    def __init__(self, conn, accounts: list[int], window_seconds: int, token):
        first, last = account_stats.time_span(conn)
        self.window_us = window_seconds * 1_000_000
        if first is not None and (last - first) // self.window_us > self.MAX_BITS:
            self.window_us = (last - first) // self.MAX_BITS + 1
        self.first = first or 0
        self.bits = 0 if first is None else (last - first) // self.window_us + 1
        self.maps: dict[int, int] = {}
        for acct in accounts:
            token.raise_if_cancelled()
            field = bytearray(self.bits // 8 + 1)
            for _item, ts in account_stats.times(conn, acct):
                slot = (ts - self.first) // self.window_us
                field[slot >> 3] |= 1 << (slot & 7)
            self.maps[acct] = int.from_bytes(field, "little")

    def windows(self, acct: int) -> int:
        return self.maps[acct].bit_count()

    def slot(self, ts: int) -> int:
        return (ts - self.first) // self.window_us


def timing_links(bitmaps: TimingBitmaps, names: list[str], rules: dict, token):
    """Pairs whose requests share time windows far beyond chance. Returns (links, partners by account)."""
    accounts = sorted(bitmaps.maps)
    counts = {a: bitmaps.windows(a) for a in accounts}
    links, partners = [], {}
    for i, a in enumerate(accounts):
        token.raise_if_cancelled()
        for b in accounts[i + 1 :]:
            together = (bitmaps.maps[a] & bitmaps.maps[b]).bit_count()
            if together < rules["min_together"]:
                continue
            expected = counts[a] * counts[b] / max(bitmaps.bits, 1)
            share = together / min(counts[a], counts[b])
            if share < rules["min_share"] or together < rules["min_lift"] * expected:
                continue
            what = f"{together:,} requests within the same {rules['window_seconds']} s"
            links.append(Link(names[a], names[b], "timing", what, round(share, 6)))
            partners.setdefault(a, []).append((names[b], round(together / counts[a], 6), together))
            partners.setdefault(b, []).append((names[a], round(together / counts[b], 6), together))
    return links, partners


class Components:
    """Union-find over account names."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[str]]:
        found: dict[str, list[str]] = {}
        for x in sorted(self.parent):
            found.setdefault(self.find(x), []).append(x)
        return [members for members in found.values() if len(members) > 1]


def strong_groups(links: list[Link]) -> dict[str, list[str]]:
    """{account: the accounts it is tied to by keys, templates or timing (itself included)}."""
    components = Components()
    for link in links:
        if not link.address_only:
            components.join(link.a, link.b)
    return {member: group for group in components.groups() for member in group}


BY_WORDS = {
    "key": "a shared API key",
    "ip": "a shared address",
    "block": "a shared address block",
    "template": "the same template",
    "timing": "synchronised timing",
}


def clusters(links: list[Link], flagged: set[str]) -> list[Cluster]:
    """Connected accounts (by any link). Flagged when two flagged accounts in it are tied by a strong link path."""
    components = Components()
    for link in links:
        components.join(link.a, link.b)
    strong = strong_groups(links)
    found = []
    for members in components.groups():
        inside = set(members)
        own = [link for link in links if link.a in inside]
        tied = [m for m in members if m in flagged and any(o in flagged for o in strong.get(m, []) if o != m)]
        is_flagged = len(tied) >= 2
        kinds = sorted({link.by for link in own}, key=list(BY_WORDS).index)
        linked_by = ", ".join(BY_WORDS[k] for k in kinds)
        if is_flagged:
            reason = (
                f"{len(members)} accounts linked by {linked_by}; {len(tied)} of them flagged and tied by more "
                "than an address."
            )
        elif all(link.address_only for link in own):
            reason = (
                f"{len(members)} accounts linked only by {linked_by}: an office or a provider's network; "
                "an address alone never flags a cluster."
            )
        else:
            reason = f"{len(members)} accounts linked by {linked_by}; fewer than two of them are flagged."
        found.append(Cluster(members, own, is_flagged, reason))
    found.sort(key=lambda c: (not c.flagged, -len(c.accounts), c.accounts))
    return found
