"""What `verify` found: each discrepancy named by table, id and problem; what it checked;
what it could not cover (rows imported before a check existed), and what it could and could
not establish, said in words.
"""

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
    # What this case holds that no hash covers (e.g. items imported by an earlier version):
    # not a discrepancy, but verify cannot prove it unchanged; said so rather than implied.
    not_covered: list[str] = field(default_factory=list)
    # What the check could and could not establish, in plain words (unsigned entries made
    # before signing, who signed the rest, which outside records the chain was held against).
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "notes": self.notes,
            "problems": [{"table": p.table, "id": p.id, "problem": p.problem} for p in self.problems],
            "not_covered": self.not_covered,
        }


def compare_replayed(table: str, expected: dict, actual: dict, result: VerifyResult) -> None:
    """Rows replayed from the audit log (`expected`, by key) against the table's (`actual`)."""
    for key in actual.keys() - expected.keys():
        result.problems.append(Discrepancy(table, key, "not recorded in the audit log"))
    for key in expected.keys() - actual.keys():
        result.problems.append(Discrepancy(table, key, "recorded in the audit log but missing"))
    for key in expected.keys() & actual.keys():
        if expected[key] != actual[key]:
            result.problems.append(Discrepancy(table, key, "changed outside the application"))
    result.checked[table] = len(actual)
