"""Facts of the case: statements counsel must prove, linked to claim elements and evidence.

(Not to be confused with app/export/facts.py, which reads an item's metadata for the
bundle.) A fact has a statement, a date as written (or a range, or none), a status, the
claim elements it supports (taxonomy codes), the items that prove it, the analysis
findings it relies on (opaque references), an optional witness and the other side's
evidence (text and items).

Every change is one transaction with its audit entry, and every entry carries the whole
fact as it now is (`fact_record`), so `verify` replays the facts from the log alone
(app/store/verify_facts.py) and finds a fact changed outside the application. Undo
restores a deleted fact under its own id, so cites of it stay right.
"""

from dataclasses import dataclass, field

from app.core.fact_dates import parse_fact_date
from app.store.case_file import CaseFile, CaseFileError, utc_now_iso
from app.store.sql_lists import chunks, marks

STATUSES = ("undisputed", "disputed", "prospective")
EVIDENCE, OPPOSING = "evidence", "opposing"
CLAIMS_GROUP = "CLAIMS"
# Items one fact may cite: each audit entry carries the whole fact, so a select-all of a
# million rows dropped on a fact would write megabytes per edit. A fact this broad is
# better proved by an exhibit, a search or a finding.
MAX_ITEMS = 10_000


@dataclass
class Fact:
    id: int
    statement: str
    date_text: str = ""
    start_us: int | None = None
    end_us: int | None = None
    status: str = "undisputed"
    witness: str = ""
    opposing: str = ""
    elements: list[str] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    opposing_items: list[int] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    who: str | None = None
    created_utc: str = ""

    def record(self) -> dict:
        """What the audit log keeps of the fact, and what verify compares."""
        return {
            "fact_id": self.id,
            "statement": self.statement,
            "date_text": self.date_text,
            "start_us": self.start_us,
            "end_us": self.end_us,
            "status": self.status,
            "witness": self.witness,
            "opposing": self.opposing,
            "elements": sorted(self.elements),
            "items": list(self.items),
            "opposing_items": list(self.opposing_items),
            "findings": sorted(self.findings),
        }


def add_fact(
    case: CaseFile,
    statement: str,
    date: str = "",
    status: str = "undisputed",
    elements=(),
    items=(),
    opposing_items=(),
    findings=(),
    witness: str = "",
    opposing: str = "",
) -> int:
    """Record a new fact; returns its id."""
    fact = Fact(0, statement, status=status, witness=witness or "", opposing=opposing or "")
    _set_date(case, fact, date)
    fact.elements, fact.items = list(elements), list(items)
    fact.opposing_items, fact.findings = list(opposing_items), list(findings)
    _check(case, fact)
    with case.transaction():
        fact.id = _insert(case, fact, None)
        case.audit("fact.create", fact.record())
    return fact.id


def restore_fact(case: CaseFile, record: dict) -> int:
    """Put back a deleted fact under its own id (undo of delete, redo of add)."""
    fact = fact_from_record(record)
    _check(case, fact)
    with case.transaction():
        if case.conn.execute("SELECT 1 FROM facts WHERE id = ?", (fact.id,)).fetchone():
            raise CaseFileError(f"Fact {fact.id} is already in the case.")
        _insert(case, fact, fact.id)
        case.audit("fact.create", fact.record())
    return fact.id


# What `update_fact` may change, and the keyword each takes.
EDITABLE = ("statement", "date", "status", "elements", "items", "opposing_items", "findings", "witness", "opposing")


def update_fact(case: CaseFile, fact_id: int, **changes) -> dict:
    """Change a fact; returns its record as it was before (for undo: `set_fact_record`)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise CaseFileError(f"A fact has no {sorted(unknown)[0]!r} to change.")
    fact = get_fact(case.conn, fact_id)
    before = fact.record()
    for name, value in changes.items():
        if value is None:
            continue
        if name == "date":
            _set_date(case, fact, value)
        elif name in ("elements", "items", "opposing_items", "findings"):
            setattr(fact, name, list(value))
        else:
            setattr(fact, name, value)
    return _replace(case, fact, before)


def set_fact_record(case: CaseFile, record: dict) -> dict:
    """Make a fact exactly `record` (undo and redo of an edit); returns the record before."""
    before = get_fact(case.conn, record["fact_id"]).record()
    return _replace(case, fact_from_record(record), before)


def link_items(case: CaseFile, fact_id: int, item_ids, role: str = EVIDENCE) -> list[int]:
    """Add items to a fact's evidence (or opposing evidence); returns those not linked before."""
    fact = get_fact(case.conn, fact_id)
    current = fact.items if role == EVIDENCE else fact.opposing_items
    new = [i for i in dict.fromkeys(int(i) for i in item_ids) if i not in current]
    if new:
        before = fact.record()
        current.extend(new)
        _replace(case, fact, before)
    return new


def delete_fact(case: CaseFile, fact_id: int) -> dict:
    """Delete a fact; returns its record so that undo can put it back."""
    record = get_fact(case.conn, fact_id).record()
    with case.transaction() as conn:
        _delete_rows(conn, fact_id)
        conn.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
        case.audit("fact.delete", {"fact_id": fact_id})
    return record


def fact_from_record(record: dict) -> Fact:
    return Fact(
        id=int(record["fact_id"]),
        statement=record["statement"],
        date_text=record.get("date_text") or "",
        start_us=record.get("start_us"),
        end_us=record.get("end_us"),
        status=record.get("status") or "undisputed",
        witness=record.get("witness") or "",
        opposing=record.get("opposing") or "",
        elements=list(record.get("elements", [])),
        items=list(record.get("items", [])),
        opposing_items=list(record.get("opposing_items", [])),
        findings=list(record.get("findings", [])),
    )


# -- reading ---------------------------------------------------------------------------------


def get_fact(conn, fact_id: int) -> Fact:
    facts = _read(conn, "WHERE id = ?", (int(fact_id),))
    if not facts:
        raise CaseFileError(f"There is no fact {fact_id} in this case.")
    return facts[0]


def list_facts(conn) -> list[Fact]:
    """Every fact in date order (a range by its start); undated facts last."""
    return _read(conn, "", ())


def fact_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM facts").fetchone()[0]


def items_tagged(conn, codes) -> dict[str, list[int]]:
    """{code: ids of the items tagged with it}: a tag with an element counts as evidence for it."""
    found: dict[str, list[int]] = {code: [] for code in codes}
    for part in chunks(list(found)):
        for item_id, code in conn.execute(
            f"SELECT item_id, code FROM tags WHERE code IN ({marks(part)}) ORDER BY item_id", part
        ):
            found[code].append(item_id)
    return found


def claim_codes(conn) -> set[str]:
    """Codes a fact may support: the claims and their elements."""
    return {
        r[0]
        for r in conn.execute("SELECT code FROM taxonomy WHERE grp = ? OR parent_code IS NOT NULL", (CLAIMS_GROUP,))
    }


def _fact_of_row(r) -> Fact:
    return Fact(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], who=r[8], created_utc=r[9])


def _read(conn, where: str, params) -> list[Fact]:
    rows = conn.execute(
        "SELECT id, statement, date_text, start_us, end_us, status, witness, opposing, who, created_utc"
        f" FROM facts {where} ORDER BY coalesce(start_us, 9223372036854775807), coalesce(end_us, start_us), id",
        params,
    ).fetchall()
    facts = {r[0]: _fact_of_row(r) for r in rows}
    if not facts:
        return []
    ids = list(facts)
    for part in chunks(ids):
        in_part = f"fact_id IN ({marks(part)})"
        for fact_id, code in conn.execute(
            f"SELECT fact_id, code FROM fact_elements WHERE {in_part} ORDER BY code", part
        ):
            facts[fact_id].elements.append(code)
        for fact_id, item_id, role in conn.execute(
            f"SELECT fact_id, item_id, role FROM fact_items WHERE {in_part} ORDER BY position", part
        ):
            (facts[fact_id].items if role == EVIDENCE else facts[fact_id].opposing_items).append(item_id)
        for fact_id, ref in conn.execute(f"SELECT fact_id, ref FROM fact_findings WHERE {in_part} ORDER BY ref", part):
            facts[fact_id].findings.append(ref)
    return list(facts.values())


# -- writing ---------------------------------------------------------------------------------


def _set_date(case: CaseFile, fact: Fact, text: str) -> None:
    date = parse_fact_date(text, case.timezone)
    fact.date_text, fact.start_us, fact.end_us = date


def _check(case: CaseFile, fact: Fact) -> None:
    fact.statement = (fact.statement or "").strip()
    if not fact.statement:
        raise CaseFileError("A fact needs a statement (what happened).")
    if fact.status not in STATUSES:
        raise CaseFileError(f"A fact's status is one of {', '.join(STATUSES)}, not {fact.status!r}.")
    known = claim_codes(case.conn)
    fact.elements = sorted(set(fact.elements))
    for code in fact.elements:
        if code not in known:
            raise CaseFileError(f"{code!r} is not a claim or claim element of this case's taxonomy.")
    fact.findings = sorted({str(f).strip() for f in fact.findings if str(f).strip()})
    if len(fact.items) + len(fact.opposing_items) > MAX_ITEMS:
        raise CaseFileError(
            f"A fact cites at most {MAX_ITEMS:,} items; cite the few that prove it best, or a finding that sums "
            "up the rest."
        )
    fact.items = _existing_items(case.conn, fact.items)
    fact.opposing_items = _existing_items(case.conn, fact.opposing_items)


def _existing_items(conn, item_ids) -> list[int]:
    ids = list(dict.fromkeys(int(i) for i in item_ids))
    found: set[int] = set()
    for part in chunks(ids):
        found.update(r[0] for r in conn.execute(f"SELECT id FROM items WHERE id IN ({marks(part)})", part))
    missing = [i for i in ids if i not in found]
    if missing:
        raise CaseFileError(f"There is no item {missing[0]} in this case.")
    return ids


def _insert(case: CaseFile, fact: Fact, fact_id: int | None) -> int:
    conn = case.conn
    cursor = conn.execute(
        "INSERT INTO facts(id, statement, date_text, start_us, end_us, status, witness, opposing, who, created_utc)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        (fact_id, *_values(fact), case.operator, utc_now_iso()),
    )
    fact.id = int(cursor.lastrowid or 0)
    _write_rows(conn, fact)
    return fact.id


def _values(fact: Fact) -> tuple:
    """The facts row's own columns, in the order both INSERT and UPDATE name them."""
    return (fact.statement, fact.date_text, fact.start_us, fact.end_us, fact.status, fact.witness, fact.opposing)


def _replace(case: CaseFile, fact: Fact, before: dict) -> dict:
    _check(case, fact)
    if fact.record() == before:
        return before  # nothing changed: nothing to audit or undo
    with case.transaction() as conn:
        conn.execute(
            "UPDATE facts SET statement = ?, date_text = ?, start_us = ?, end_us = ?, status = ?, witness = ?,"
            " opposing = ?, updated_utc = ? WHERE id = ?",
            (*_values(fact), utc_now_iso(), fact.id),
        )
        _delete_rows(conn, fact.id)
        _write_rows(conn, fact)
        case.audit("fact.update", fact.record())
    return before


def _delete_rows(conn, fact_id: int) -> None:
    for table in ("fact_elements", "fact_items", "fact_findings"):
        conn.execute(f"DELETE FROM {table} WHERE fact_id = ?", (fact_id,))


def _write_rows(conn, fact: Fact) -> None:
    conn.executemany("INSERT INTO fact_elements(fact_id, code) VALUES (?,?)", [(fact.id, c) for c in fact.elements])
    conn.executemany(
        "INSERT INTO fact_items(fact_id, item_id, role, position) VALUES (?,?,?,?)",
        [(fact.id, i, EVIDENCE, n) for n, i in enumerate(fact.items)]
        + [(fact.id, i, OPPOSING, n) for n, i in enumerate(fact.opposing_items)],
    )
    conn.executemany("INSERT INTO fact_findings(fact_id, ref) VALUES (?,?)", [(fact.id, r) for r in fact.findings])
