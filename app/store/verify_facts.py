"""`verify` for facts: replay them from the audit log and compare with the tables.

Every fact.create and fact.update entry carries the whole fact (app/store/case_facts.py),
so the log alone says what each fact must be: its statement, date, status, elements,
evidence, findings, witness and opposing evidence. A fact added, changed or removed
with a plain SQLite tool, and a link row left behind by no fact, are named.
"""

from app.store.case_facts import fact_from_record, list_facts
from app.store.verify_result import Discrepancy, VerifyResult

LINK_TABLES = ("fact_elements", "fact_items", "fact_findings")


def check_facts(conn, entries, result: VerifyResult) -> None:
    expected: dict[int, dict] = {}
    for entry in entries:
        details = entry["details"]
        if entry["action"] in ("fact.create", "fact.update"):
            expected[details["fact_id"]] = fact_from_record(details).record()
        elif entry["action"] == "fact.delete":
            expected.pop(details["fact_id"], None)
    actual = {fact.id: fact.record() for fact in list_facts(conn)}
    for fact_id in sorted(actual.keys() - expected.keys()):
        result.problems.append(Discrepancy("facts", fact_id, "fact not recorded in the audit log"))
    for fact_id in sorted(expected.keys() - actual.keys()):
        result.problems.append(Discrepancy("facts", fact_id, "fact in the audit log is missing"))
    for fact_id in sorted(expected.keys() & actual.keys()):
        changed = [key for key in expected[fact_id] if expected[fact_id][key] != actual[fact_id][key]]
        if changed:
            words = ", ".join(key.replace("_", " ") for key in changed)
            result.problems.append(Discrepancy("facts", fact_id, f"its {words} changed outside the application"))
    for table in LINK_TABLES:
        for (fact_id,) in conn.execute(
            f"SELECT DISTINCT fact_id FROM {table} WHERE fact_id NOT IN (SELECT id FROM facts)"
        ):
            result.problems.append(Discrepancy(table, f"fact {fact_id}", "rows of a fact that is not in the case"))
    result.checked["facts"] = len(actual)
