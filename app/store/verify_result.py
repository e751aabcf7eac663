"""What `verify` found: discrepancies (each names its table and id) and plain statements."""

from dataclasses import dataclass, field


@dataclass
class Discrepancy:
    table: str
    id: object
    problem: str

    def __str__(self) -> str:
        return f"{self.table} {self.id}: {self.problem}"


@dataclass
class VerifyResult:
    problems: list[Discrepancy] = field(default_factory=list)
    checked: dict = field(default_factory=dict)
    # What the check could and could not establish, in plain words (unsigned entries made
    # before signing, who signed the rest, which outside records the chain was held against).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checked": self.checked, "notes": self.notes,
                "problems": [{"table": p.table, "id": p.id, "problem": p.problem} for p in self.problems]}
