"""`verify`, part: who signed the audit entries.

Replays the key registrations (the first entry a key signs carries the public key) and
checks every signature against the key registered by an earlier entry. An entry signed
by a key the case does not know, a signature that does not match, or an unsigned entry
after signing began is a discrepancy: it was written without the operator's key. The
plain statements (which entries are unsigned because they predate signing, which keys
signed the rest) go into the result's notes.
"""

from dataclasses import dataclass

from app.core.signing_keys import key_id_of, signature_valid
from app.store import audit
from app.store.verify_result import Discrepancy


@dataclass
class RegisteredKey:
    public_key: str
    operator: str
    host: str | None
    seq: int
    entries: int = 0


def check_signatures(conn, entries, result) -> dict[str, RegisteredKey]:
    """Check each entry's signature; returns the keys registered by the audit log."""
    case_id = audit.case_id(conn)
    keys: dict[str, RegisteredKey] = {}
    unsigned_before: list[int] = []
    first_signed = None
    for entry in entries:
        seq, key_id = entry["seq"], entry["key_id"]
        if key_id is None:
            if first_signed is None:
                unsigned_before.append(seq)
            else:
                result.problems.append(
                    Discrepancy(
                        "audit",
                        seq,
                        f"is not signed, though every entry from entry "
                        f"{first_signed} on is: it was written outside Casefile",
                    )
                )
            continue
        first_signed = first_signed or seq
        if entry["public_key"]:
            _register(entry, keys, result)
        key = keys.get(key_id)
        if key is None:
            result.problems.append(
                Discrepancy(
                    "audit",
                    seq,
                    f"is signed by key {key_id}, which no earlier entry "
                    "registered in this case: it was written outside Casefile",
                )
            )
        elif not signature_valid(key.public_key, audit.entry_message(case_id, entry["hash"]), entry["signature"] or ""):
            result.problems.append(
                Discrepancy(
                    "audit",
                    seq,
                    f"its signature does not match the key of {key.operator} "
                    f"({key_id}): the entry was written or changed without that key",
                )
            )
        else:
            key.entries += 1
    _compare_key_table(conn, keys, result)
    result.notes += _statements(unsigned_before, first_signed, keys)
    result.checked["signed_entries"] = sum(k.entries for k in keys.values())
    return keys


def _register(entry, keys: dict, result) -> None:
    seq, key_id, public_key = entry["seq"], entry["key_id"], entry["public_key"]
    try:
        own_id = key_id_of(public_key)
    except ValueError:
        own_id = None
    if own_id != key_id:
        result.problems.append(
            Discrepancy("audit", seq, f"registers a key under the name {key_id}, which is not that key's name")
        )
    elif key_id in keys:
        result.problems.append(
            Discrepancy("audit", seq, f"registers key {key_id} again (first registered at entry {keys[key_id].seq})")
        )
    else:
        keys[key_id] = RegisteredKey(public_key, entry["actor"], entry["host"], seq)


def _compare_key_table(conn, keys: dict, result) -> None:
    table = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT key_id, public_key, registered_seq FROM operator_keys")}
    for key_id in table.keys() - keys.keys():
        result.problems.append(Discrepancy("operator_keys", key_id, "a key no audit entry registered"))
    for key_id in keys.keys() - table.keys():
        result.problems.append(Discrepancy("operator_keys", key_id, "registered in the audit log but missing"))
    for key_id in keys.keys() & table.keys():
        if table[key_id] != (keys[key_id].public_key, keys[key_id].seq):
            result.problems.append(Discrepancy("operator_keys", key_id, "changed outside the application"))
    result.checked["operator_keys"] = len(table)


def _statements(unsigned: list[int], first_signed: int | None, keys: dict) -> list[str]:
    notes = []
    if unsigned:
        span = f"Entry {unsigned[0]} was" if len(unsigned) == 1 else f"Entries {unsigned[0]}-{unsigned[-1]} were"
        notes.append(f"{span} made before signing was introduced; their order is proved, not their author.")
    if keys:
        signers = "; ".join(
            f"{k.operator} on {k.host or 'an unnamed computer'} (key {key_id}, registered at entry "
            f"{k.seq}): {k.entries:,} entr{'y' if k.entries == 1 else 'ies'}"
            for key_id, k in keys.items()
        )
        scope = "Every entry is signed" if first_signed == 1 else f"Every entry from entry {first_signed} on is signed"
        notes.append(
            f"{scope}, by: {signers}. Anyone can make a key, so a key no one on the case recognises is "
            "a sign of forgery."
        )
    return notes
