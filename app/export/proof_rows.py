"""What the proof chart and the chronology say, before any drawing: one set of rows.

Per claim and element of the case's taxonomy: the facts that support it, our evidence
as cites into a chosen production (app/store/production_cites.py: the production's own
records, "not produced" for an item it did not contain), the witness, the opposing
evidence and the status. Items tagged with an element count as evidence for it even
when no fact names them. The PDF, CSV and Word writers and the Proof view all read
these rows, so they cannot disagree.
"""

from dataclasses import dataclass, field

from app.store.case_facts import Fact, items_tagged, list_facts
from app.store.production_cites import cites_for_items

NO_EVIDENCE = "No evidence"
TAGGED = "Items tagged with this element"
WHOLE_CLAIM = "The claim as a whole"
CHART_COLUMNS = ("Claim", "Element", "Fact", "Date", "Statement", "Status", "Our evidence", "Witness", "Opposing")


@dataclass
class FactCites:
    fact: Fact
    evidence: list[str]  # cite texts, one per exhibit (items of one exhibit share its cite)
    opposing: list[str]  # the opposing text, then cites of the opposing items

    @property
    def evidence_text(self) -> str:
        return "\n".join(self.evidence) if self.evidence else NO_EVIDENCE


@dataclass
class ElementProof:
    claim_code: str
    claim_name: str
    code: str
    name: str
    facts: list[FactCites] = field(default_factory=list)
    tagged: list[str] = field(default_factory=list)  # cites of items tagged with the element
    tagged_ids: list[int] = field(default_factory=list)

    @property
    def has_evidence(self) -> bool:
        return bool(self.tagged) or any(f.evidence for f in self.facts)

    @property
    def item_ids(self) -> list[int]:
        """Every item cited for the element (facts' evidence, then tagged items)."""
        ids = [i for f in self.facts for i in f.fact.items] + self.tagged_ids
        return list(dict.fromkeys(ids))

    def status_summary(self) -> str:
        if not self.facts:
            return ""
        counts: dict[str, int] = {}
        for cited in self.facts:
            counts[cited.fact.status] = counts.get(cited.fact.status, 0) + 1
        return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


@dataclass
class ChartRow:
    """One line of the chart as CSV and Word hold it (and as the PDF draws it)."""

    claim: str
    element: str
    fact_id: str
    date: str
    statement: str
    status: str
    evidence: str
    witness: str
    opposing: str

    def cells(self) -> list[str]:
        return [
            self.claim,
            self.element,
            self.fact_id,
            self.date,
            self.statement,
            self.status,
            self.evidence,
            self.witness,
            self.opposing,
        ]


@dataclass
class ProofChart:
    production_id: int | None
    elements: list[ElementProof]

    @property
    def unproven(self) -> list[ElementProof]:
        return [e for e in self.elements if not e.has_evidence]

    def rows(self) -> list[ChartRow]:
        rows = []
        for element in self.elements:
            claim, name = f"{element.claim_name} ({element.claim_code})", f"{element.name} ({element.code})"
            for cited in element.facts:
                fact = cited.fact
                rows.append(
                    ChartRow(
                        claim,
                        name,
                        str(fact.id),
                        fact.date_text or "undated",
                        fact.statement,
                        fact.status,
                        cited.evidence_text,
                        fact.witness,
                        "\n".join(cited.opposing),
                    )
                )
            if element.tagged:
                rows.append(ChartRow(claim, name, "", "", TAGGED, "", "\n".join(element.tagged), "", ""))
            if not element.has_evidence and not element.facts:
                rows.append(ChartRow(claim, name, "", "", "", "", NO_EVIDENCE, "", ""))
        return rows


def claim_elements(conn) -> list[tuple[str, str, str, str]]:
    """(claim code, claim name, element code, element name) in taxonomy order; a claim
    without elements is one row of its own ("the claim as a whole")."""
    rows = conn.execute(
        "SELECT code, name, parent_code FROM taxonomy WHERE grp = 'CLAIMS' OR parent_code IS NOT NULL ORDER BY position"
    ).fetchall()
    names = {code: name for code, name, _ in rows}
    claims = [code for code, _, parent in rows if parent is None]
    children: dict[str, list[str]] = {code: [] for code in claims}
    for code, _, parent in rows:
        if parent is not None and parent in children:
            children[parent].append(code)
    found = []
    for claim in claims:
        for element in children[claim] or [claim]:
            found.append((claim, names[claim], element, names[element] if element != claim else WHOLE_CLAIM))
    return found


def build_proof(conn, production_id: int | None) -> ProofChart:
    """The chart for every claim element, with cites into production `production_id`."""
    facts = list_facts(conn)
    layout = claim_elements(conn)
    codes = [element for _, _, element, _ in layout]
    tagged = items_tagged(conn, codes)
    cite = _Citer(conn, production_id, [*_fact_item_ids(facts), *(i for ids in tagged.values() for i in ids)])
    by_code: dict[str, list[Fact]] = {}
    for fact in facts:
        for code in fact.elements:
            by_code.setdefault(code, []).append(fact)
    elements = []
    whole_claim_facts = {claim for claim, _, element, _ in layout if element != claim}
    for claim, claim_name, code, name in layout:
        element = ElementProof(claim, claim_name, code, name)
        element.facts = [cite.fact(f) for f in by_code.get(code, [])]
        in_facts = {i for f in element.facts for i in f.fact.items}
        element.tagged_ids = [i for i in tagged.get(code, []) if i not in in_facts]
        element.tagged = cite.texts(element.tagged_ids)
        elements.append(element)
    for claim in sorted(whole_claim_facts & set(by_code)):  # a fact linked to a claim that has elements
        first = next(e for e in elements if e.claim_code == claim)
        extra = ElementProof(claim, first.claim_name, claim, WHOLE_CLAIM, [cite.fact(f) for f in by_code[claim]])
        elements.insert(elements.index(first), extra)
    return ProofChart(production_id, elements)


def build_chronology(conn, production_id: int | None) -> list[FactCites]:
    """Every fact in date order (undated last) with its cites."""
    facts = list_facts(conn)
    cite = _Citer(conn, production_id, _fact_item_ids(facts))
    return [cite.fact(f) for f in facts]


CHRONOLOGY_COLUMNS = ("Date", "Fact", "Status", "Elements", "Our evidence", "Witness", "Opposing")


def chronology_cells(cited: FactCites) -> list[str]:
    fact = cited.fact
    return [
        fact.date_text or "undated",
        fact.statement,
        fact.status,
        "\n".join(fact.elements),
        cited.evidence_text,
        fact.witness,
        "\n".join(cited.opposing),
    ]


def _fact_item_ids(facts: list[Fact]) -> list[int]:
    return [i for f in facts for i in (*f.items, *f.opposing_items)]


class _Citer:
    """Cites of the items of one chart, read from the production's records once."""

    def __init__(self, conn, production_id: int | None, item_ids):
        self.cites = cites_for_items(conn, production_id, item_ids)

    def texts(self, item_ids) -> list[str]:
        """One cite per exhibit in first-cited order; an item not produced is named by its id."""
        texts = []
        for item_id in item_ids:
            cite = self.cites.get(item_id)
            texts.append(cite.text() if cite is not None else f"Item {item_id}: not produced")
        return list(dict.fromkeys(texts))

    def fact(self, fact: Fact) -> FactCites:
        opposing = ([fact.opposing] if fact.opposing else []) + self.texts(fact.opposing_items)
        findings = [f"Finding {ref}" for ref in fact.findings]
        return FactCites(fact, self.texts(fact.items) + findings, opposing)
