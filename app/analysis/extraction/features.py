"""One small row of features per log row, in a temporary table of the connection.

The log rows are read once; what the indicators need of each (its account, key, address
and block as small numbers, its hour and day, its template signatures, whether it asks
for reasoning, its task number and domain, whether it was served or refused, its
tokens) goes into `extraction_work.features`, a table in an in-memory database attached to
the connection for the run (~100 bytes a row with its index: on this kind of machine a
temporary file costs ~4x the CPU, mostly in the kernel). Sorting for the aggregates still
uses SQLite's temporary files, so only the table itself is held in memory.
Memory stays that of one batch and of the names; every aggregate afterwards is SQL.
"""

import ipaddress

from app.analysis.extraction import prompts
from app.store.log_rows import LogRow

SCHEMA = "extraction_work"
TABLE = f"{SCHEMA}.features"
MAIN_CACHE_KIB = 16384  # the case's page cache while the rows stream past (64 MiB otherwise)
US = 1_000_000
DAY = "ts / 86400000000"  # a row's UTC day and hour, worked out in SQL from its time
HOUR = "(ts / 3600000000) % 24"
COLUMNS = (
    "item_id",
    "acct",
    "key",
    "ip",
    "block",
    "ts",
    "psig",
    "ssig",
    "whole",
    "reasoning",
    "task",
    "domain",
    "ok",
    "limited",
    "out_tokens",
    "in_tokens",
)


class Names:
    """Strings (accounts, keys, addresses, blocks) as small numbers, and back."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.names: list[str] = []

    def id(self, name: str | None) -> int | None:
        if name is None:
            return None
        number = self.ids.get(name)
        if number is None:
            number = self.ids[name] = len(self.names)
            self.names.append(name)
        return number


class FeatureTable:
    """Builds the temporary table from batches of LogRows."""

    def __init__(self, conn, settings: dict, phrases: prompts.PhraseList, domains: prompts.Domains):
        self.conn = conn
        template = settings["template_reuse"]
        self.prefix, self.suffix = template["prefix_tokens"], template["suffix_tokens"]
        self.limited_statuses = {int(s) for s in settings["rate_shaping"]["limited_statuses"]}
        clusters = settings["clusters"]
        self.v4_bits, self.v6_bits = clusters["ipv4_block_bits"], clusters["ipv6_block_bits"]
        self.phrases = phrases
        self.domains = domains
        self.accounts, self.keys, self.ips, self.blocks = Names(), Names(), Names(), Names()
        self._addresses: dict[str, tuple] = {}
        self.rows = 0
        self.timing = None  # the suspects' time-window bitmaps (clusters.TimingBitmaps), once linked
        self.without_account = 0
        self.undated = 0
        if conn.execute("SELECT 1 FROM pragma_database_list WHERE name = ?", (SCHEMA,)).fetchone():
            conn.execute(f"DETACH DATABASE {SCHEMA}")
        conn.execute(f"ATTACH DATABASE ':memory:' AS {SCHEMA}")
        self._main_cache = conn.execute("PRAGMA main.cache_size").fetchone()[0]
        conn.execute(f"PRAGMA main.cache_size = -{MAIN_CACHE_KIB}")  # rows read once: no need to keep them
        conn.execute(f"CREATE TABLE {TABLE} ({', '.join(COLUMNS)})")

    def add(self, batch: list[LogRow]) -> None:
        values = []
        features = self._features
        for row in batch:
            if row[1] is None:  # no account
                self.without_account += 1
                continue
            if row[4] is None:  # no time
                self.undated += 1
            values.append(features(row))
        self.conn.executemany(
            f"INSERT INTO {TABLE} VALUES ({', '.join('?' * len(COLUMNS))})",
            values,
        )
        self.rows += len(values)

    def _features(self, row: LogRow) -> tuple:
        # The hot loop of the analysis (once per log row): plain locals, one unpacking of the
        # row (its fields by name cost a lookup each), no helper objects.
        item_id, account, api_key, ip, ts_us, prompt, response, status, out_tokens, in_tokens = row
        prompt = prompt or ""
        if type(status) is not int:
            status = _number(status)
        ok = status is None or 200 <= status < 300
        if type(out_tokens) is not int:
            out_tokens = _number(out_tokens)
        if out_tokens is None:
            out_tokens = prompts.estimated_tokens(response or "")
        if type(in_tokens) is not int:
            in_tokens = _number(in_tokens)
        if in_tokens is None:
            in_tokens = prompts.estimated_tokens(prompt)
        if prompt:
            lowered = prompt.lower()
            prefix, suffix, whole = prompts.shape(prompt, self.prefix, self.suffix, lowered)
            reasoning = 1 if self.phrases.matches(lowered) else 0
            task = prompts.task_number(prompt)
            domain = self.domains.of(lowered)
        else:
            prefix = suffix = whole = task = domain = None
            reasoning = 0
        acct = self.accounts.ids.get(account)
        if acct is None:
            acct = self.accounts.id(account)
        key = self.keys.ids.get(api_key)
        if key is None:
            key = self.keys.id(api_key)
        address = self._addresses.get(ip)
        if address is None:
            address = self._address(ip)
        return (
            item_id,
            acct,
            key,
            address[0],
            address[1],
            ts_us,
            prefix,
            suffix,
            whole,
            reasoning,
            task,
            domain,
            1 if ok else 0,
            1 if status in self.limited_statuses else 0,
            out_tokens if ok else 0,
            in_tokens,
        )

    def _address(self, ip: str | None) -> tuple[int | None, int | None]:
        """(address id, block id), remembered per address (a bounded cache)."""
        if ip is None:
            return None, None
        found = self._addresses.get(ip)
        if found is None:
            found = (self.ips.id(ip), self.blocks.id(self._block(ip)))
            if len(self._addresses) < 1_000_000:
                self._addresses[ip] = found
        return found

    def _block(self, ip: str) -> str | None:
        """The address block (a /24 of IPv4, a /64 of IPv6) an address is in; None if it is no address."""
        try:
            address = ipaddress.ip_address(ip.strip("[]"))
        except ValueError:
            return None
        bits = self.v4_bits if address.version == 4 else self.v6_bits
        return str(ipaddress.ip_network(f"{address}/{bits}", strict=False))

    def index(self) -> None:
        """Indexes the aggregates use, built once after the rows are in."""
        self.conn.execute(f"CREATE INDEX {SCHEMA}.features_acct ON features(acct, ts, item_id)")

    def drop(self) -> None:
        self.conn.execute(f"DETACH DATABASE {SCHEMA}")
        self.conn.execute(f"PRAGMA main.cache_size = {self._main_cache}")


def _number(value) -> int | None:
    """A count or status as a log writes it (200, "200", 200.0), else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None
