"""The chain head held outside the case, and `verify` checking the case against it.

Inside the case, cutting the newest entries together with their changes, or presenting
a copy made before a change, leaves a chain that fits together and whose signatures are
good. Only a head recorded elsewhere shows it. There are three such places:

- this machine's record of the newest entry written or seen (app/core/head_record.py),
  written after every change;
- every production: its certificate page prints the signed head, the PDF carries it in
  its metadata (`/CasefileChainHead`, JSON) and `<bundle>.chain-head.json` beside it;
- the productions recorded in the case (their heads, which the chain must still hold).

A head signature signs "casefile chain head <case id> <seq> <hash>" with the exporting
operator's key, so a head that was edited in a bundle's metadata is seen too.
"""

import json
import re
from pathlib import Path

from app.core.head_record import record_path, recorded_head, write_head
from app.core.signing_keys import keys_dir, signature_valid
from app.store import audit
from app.store.errors import CaseFileError
from app.store.verify_result import Discrepancy

HEAD_FORMAT = "casefile-chain-head/1"
PDF_KEY = "/CasefileChainHead"
CERTIFICATE_HEAD = re.compile(r"entry\s+(\d+),\s*SHA-256\s+([0-9a-f]{64})")


def note_head(case) -> None:
    """After a change commits: record the new head here, unless this copy left the chain recorded."""
    conn = case.conn
    case_id = audit.case_id(conn)
    if not case_id:
        return
    seq, digest = audit.head(conn)
    try:
        previous = recorded_head(case_id)
        if previous and _hash_at(conn, previous["seq"]) != previous["hash"]:
            return  # keep what was recorded: verify names the divergence until someone looks at it
        ts = conn.execute("SELECT ts_utc FROM audit WHERE seq = ?", (seq,)).fetchone()
        write_head(case_id, seq, digest, ts[0] if ts else "", case.path.resolve())
    except OSError:
        pass  # the change is committed; verify will say the record is behind


def signed_head(case) -> dict:
    """The current head, signed by the operator: what a production cites."""
    conn = case.conn
    seq, digest = audit.head(conn)
    case_id = audit.case_id(conn)
    signer = case.signer()
    return {
        "format": HEAD_FORMAT,
        "case_id": case_id,
        "case_name": case.name,
        "seq": seq,
        "hash": digest,
        "key_id": signer.key_id,
        "public_key": signer.public_key,
        "operator": case.operator,
        "signature": signer.sign(audit.head_message(case_id, seq, digest)),
    }


def production_head(case, production: dict) -> dict:
    """The head a recorded production cited, as `signed_head` gave it (to reproduce the bundle)."""
    conn = case.conn
    head = {
        "format": HEAD_FORMAT,
        "case_id": audit.case_id(conn),
        "case_name": case.name,
        "seq": production["audit_seq"],
        "hash": production["audit_hash"],
    }
    if production.get("head_signature"):
        key = conn.execute(
            "SELECT public_key FROM operator_keys WHERE key_id = ?", (production["head_key_id"],)
        ).fetchone()
        head.update(
            key_id=production["head_key_id"],
            public_key=key[0] if key else "",
            operator=production["operator"],
            signature=production["head_signature"],
        )
    return head


def head_json(head: dict, **more) -> str:
    """The head as embedded in a bundle's PDF and written beside it (stable: sorted keys)."""
    return json.dumps({**head, **more}, sort_keys=True, ensure_ascii=False)


def _hash_at(conn, seq: int) -> str | None:
    row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
    return row[0] if row else None


def _last_seq(conn) -> int:
    return audit.head(conn)[0]


# -- verify ---------------------------------------------------------------------------------


def check_local_record(conn, result) -> None:
    """The case must still hold the newest entry this machine recorded for it."""
    case_id = audit.case_id(conn)
    folder = keys_dir()
    if not folder.is_dir():
        result.notes.append(
            f"This computer has no Casefile key folder ({folder}): the case has not been changed "
            "here, so there is no record of its newest entry to hold it against. Entries removed "
            "from the end of the log cannot be seen here; a production or the computer the case "
            "was made on can show them."
        )
        return
    record = recorded_head(case_id) if case_id else None
    if record is None:
        result.notes.append(
            "This computer has no record of this case's audit log (it was not changed here): "
            "entries removed from the end of the log cannot be seen here."
        )
        return
    seq, digest = record["seq"], record["hash"]
    when = str(record.get("utc") or "")[:16].replace("T", " ")
    where = f"on {when + ' UTC' if when else 'an earlier day'} at {record.get('path') or 'a case file'}"
    stored = _hash_at(conn, seq)
    advice = (
        f" If an older copy was restored on purpose, remove {record_path(case_id)} to start a new record "
        "(and keep this result)."
    )
    if stored is None:
        result.problems.append(
            Discrepancy(
                "audit",
                seq,
                f"missing: this computer recorded entry {seq} of this case "
                f"{where}, but the log ends at entry {_last_seq(conn)}. Entries were "
                "removed with their changes, or this is an older copy." + advice,
            )
        )
    elif stored != digest:
        result.problems.append(
            Discrepancy(
                "audit",
                seq,
                f"is not the entry {seq} this computer recorded {where}: "
                "the log was rewritten from there, or this copy went its own way." + advice,
            )
        )
    else:
        result.notes.append(
            f"The newest entry this computer recorded for this case (entry {seq}, {where}) is in "
            "the log unchanged." + _written_since(conn, seq)
        )


def _written_since(conn, seq: int) -> str:
    """Who wrote the entries after this computer's record: elsewhere, or a forger with a key of their own."""
    rows = conn.execute(
        "SELECT actor, host, key_id, count(*), min(seq), max(seq) FROM audit WHERE seq > ?"
        " GROUP BY actor, host, key_id ORDER BY min(seq)",
        (seq,),
    ).fetchall()
    if not rows:
        return ""
    writers = "; ".join(
        f"{actor} on {host or 'an unnamed computer'} ({count:,} entr{'y' if count == 1 else 'ies'}, "
        f"{'key ' + key_id if key_id else 'unsigned'})"
        for actor, host, key_id, count, _a, _b in rows
    )
    return (
        f" Entries {seq + 1}-{max(r[5] for r in rows)} were written after it, elsewhere as far as this computer "
        f"knows: {writers}."
    )


def check_production_heads(conn, keys: dict, result) -> None:
    """Each recorded production's head must still be in the chain, its signature good."""
    case_id = audit.case_id(conn)
    rows = conn.execute(
        "SELECT id, audit_seq, audit_hash, head_key_id, head_signature FROM productions ORDER BY id"
    ).fetchall()
    for production_id, seq, digest, key_id, signature in rows:
        if seq is None:
            continue
        if seq and _hash_at(conn, seq) != digest:
            result.problems.append(
                Discrepancy(
                    "productions",
                    production_id,
                    f"its bundle cites audit entry {seq}, which the log no longer holds as it was",
                )
            )
        if signature is None:
            continue  # produced before heads were signed
        key = keys.get(key_id)
        if key is None or not signature_valid(key.public_key, audit.head_message(case_id, seq, digest), signature):
            result.problems.append(
                Discrepancy(
                    "productions",
                    production_id,
                    "the signature of its chain head does not match a key registered in the case",
                )
            )


def check_bundle(conn, name: str, head: dict, result) -> None:
    """`verify --against BUNDLE`: the case must hold the head the bundle (`read_bundle_head`) cites."""
    case_id = audit.case_id(conn)
    if head.get("case_id") and head["case_id"] != case_id:
        result.problems.append(
            Discrepancy(
                "bundle", name, f"is a production of another case (case id {head['case_id']}, this case is {case_id})"
            )
        )
        return
    seq, digest = int(head["seq"]), head["hash"]
    if head.get("signature"):
        message = audit.head_message(head.get("case_id", ""), seq, digest)
        if not signature_valid(head.get("public_key", ""), message, head["signature"]):
            result.problems.append(Discrepancy("bundle", name, "its chain head was altered after it was signed"))
            return
        registered = conn.execute(
            "SELECT public_key FROM operator_keys WHERE key_id = ?", (head.get("key_id"),)
        ).fetchone()
        if registered is None or registered[0] != head.get("public_key"):
            result.problems.append(
                Discrepancy(
                    "bundle",
                    name,
                    f"its chain head is signed by key {head.get('key_id')} "
                    f"of {head.get('operator') or 'an operator'}, which this case does "
                    "not hold: the case is an older copy, or was rewritten",
                )
            )
    stored = _hash_at(conn, seq)
    if stored is None:
        result.problems.append(
            Discrepancy(
                "audit",
                seq,
                f"missing: the bundle {name} cites entry {seq}, but the "
                f"log ends at entry {_last_seq(conn)}. This is an older copy of the case, "
                "or entries were removed with their changes.",
            )
        )
    elif stored != digest:
        result.problems.append(
            Discrepancy(
                "audit",
                seq,
                f"is not the entry {seq} the bundle {name} cites: the log "
                "was rewritten from there, or this is an older copy of the case that "
                "was changed since",
            )
        )
    else:
        pdf_sha256 = head.get("pdf_sha256")
        if pdf_sha256 and not conn.execute("SELECT 1 FROM productions WHERE pdf_sha256 = ?", (pdf_sha256,)).fetchone():
            result.problems.append(
                Discrepancy(
                    "bundle",
                    name,
                    "is not among the case's recorded productions: its production was removed from the case",
                )
            )
        else:
            how = (
                " (read from its certificate page; its signature was not checked)"
                if head.get("from_certificate")
                else ""
                if head.get("signature")
                else " (an older bundle: its head was not signed)"
            )
            result.notes.append(f"The bundle {name} cites audit entry {seq}; the log holds it unchanged{how}.")


def read_bundle_head(path: Path) -> dict:
    """The head a bundle cites: from `<bundle>.chain-head.json` (beside it or named), the PDF's
    metadata, or, for a bundle made before heads were embedded, its certificate page's text."""
    path = Path(path)
    if not path.is_file():
        raise CaseFileError(f"There is no bundle at {path}.")
    sidecar = path if path.suffix.lower() == ".json" else path.with_name(f"{path.stem}.chain-head.json")
    if sidecar.is_file():
        try:
            head = json.loads(sidecar.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise CaseFileError(f"{sidecar} is not a chain-head file Casefile wrote ({exc}).") from exc
        if path == sidecar or head.get("pdf_name") == path.name:
            return _checked(head, sidecar)
    if path.suffix.lower() != ".pdf":
        raise CaseFileError(f"{path} is neither a bundle PDF nor its .chain-head.json.")
    return _checked(_pdf_head(path), path)


def _pdf_head(path: Path) -> dict:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        embedded = reader.metadata.get(PDF_KEY) if reader.metadata else None
        if embedded:
            return json.loads(str(embedded))
        for page in reversed(reader.pages[-30:]):  # the certificate is near the end
            found = CERTIFICATE_HEAD.search(" ".join((page.extract_text() or "").split()))
            if found:
                return {"seq": int(found.group(1)), "hash": found.group(2), "from_certificate": True}
    except (PdfReadError, OSError, ValueError) as exc:
        raise CaseFileError(f"{path} cannot be read as a PDF ({exc}).") from exc
    raise CaseFileError(f"{path} cites no audit chain head: it is not a bundle exported by Casefile.")


def _checked(head: dict, path: Path) -> dict:
    if not isinstance(head, dict) or not isinstance(head.get("seq"), int) or not isinstance(head.get("hash"), str):
        raise CaseFileError(f"{path} holds no readable audit chain head.")
    return head
