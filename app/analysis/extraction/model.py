"""What the extraction analysis finds: indicators per account, links and clusters."""

from dataclasses import dataclass, field

INDICATOR_NAMES = {
    "volume": "Volume harvested",
    "template_reuse": "Template reuse",
    "reasoning_elicitation": "Reasoning elicitation",
    "round_the_clock": "Round-the-clock activity",
    "rate_shaping": "Rate shaping",
    "key_rotation": "Key rotation",
    "key_sharing": "Key sharing",
    "capability_sweep": "Capability sweep",
    "synchronised": "Synchronised with other accounts",
}


@dataclass
class Indicator:
    """One signal for one account: its number, the threshold it is held against, a sentence
    a judge can follow, and the rows behind it (ids, filled in when it fires)."""

    code: str
    value: float
    threshold: float
    fired: bool
    summary: str
    items: list[int] = field(default_factory=list)
    weight: float = 1.0
    strength: float = 0.0  # how far past its threshold (1 = at it, capped at 3); 0 when it did not fire

    @property
    def name(self) -> str:
        return INDICATOR_NAMES.get(self.code, self.code)


@dataclass
class AccountFinding:
    account: str
    requests: int
    output_tokens: int
    indicators: list[Indicator]
    score: float = 0.0
    flagged: bool = False
    reason: str = ""  # why it is, or is not, flagged, in plain words
    details: dict = field(default_factory=dict)  # templates, keys, active days: for the view and the exhibit

    def fired(self) -> list[Indicator]:
        return [i for i in self.indicators if i.fired]


@dataclass
class Link:
    """Two accounts linked by one thing: a shared key, address or block, template, or timing."""

    a: str
    b: str
    by: str  # "key", "ip", "block", "template", "timing"
    what: str  # the key, the address, the block, the template or "n requests within s seconds"
    strength: float = 1.0

    def as_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "by": self.by, "what": self.what, "strength": self.strength}

    @property
    def address_only(self) -> bool:
        return self.by in ("ip", "block")


@dataclass
class Cluster:
    accounts: list[str]
    links: list[Link]
    flagged: bool
    reason: str
