"""Redactions as case data: what an export must hide, never a change to an original.

Three kinds:
- `span`: characters start..end of an item's text;
- `match`: every match of a literal string, a regular expression or a built-in pattern
  (app/core/redaction_patterns.py) across chosen items, tags or the whole case. The rule
  is kept together with what it matched (`redaction_matches`: item, matched text, how
  often), resolved once when the redaction is made, so an export is deterministic;
- `box`: a rectangle on a page of an item's PDF or image, in PDF points with the origin
  at the page's lower left (an image: one point per pixel, page 1).

Each has a reason from the taxonomy's REDACTION group (privileged, personal data,
confidential, non-responsive; editable like any category), who made it and when. Every
add and remove is audited in its own transaction with everything `verify` needs to
replay the table (`verify_redactions`). A redacted *string* is hidden wherever it
appears in that item's produced pages, fields and text: the export then proves it gone.
"""

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from app.core import redaction_patterns
from app.core.cancel import CancelToken, Progress
from app.core.taxonomy import load_taxonomy
from app.store.case_file import CaseFile, utc_now_iso
from app.store.errors import CaseFileError
from app.store.item_fields import FieldsReader
from app.store.sql_lists import chunks, marks

GROUP = "REDACTION"
PRIVILEGE_PREFIX = "REDACT-PRIV"  # reasons whose code starts so are privilege redactions (privilege log)
MIN_VISIBLE = 3  # a redacted string must have this many non-space characters to be searched for afterwards
SCAN_CHUNK = 500
COLUMNS = ("id", "kind", "item_id", "start_offset", "end_offset", "page", "x0", "y0", "x1", "y1", "rule", "reason")


@dataclass
class Redaction:
    id: int
    kind: str
    item_id: int | None
    start: int | None
    end: int | None
    page: int | None
    box: tuple[float, float, float, float] | None
    rule: dict | None
    reason: str
    who: str
    created_utc: str
    matches: int = 0  # match: how many matches in how many items (items)
    items: int = 0

    def describe(self) -> str:
        if self.kind == "span":
            return f"item {self.item_id}, characters {self.start}-{self.end}"
        if self.kind == "box":
            x0, y0, x1, y1 = self.box or (0, 0, 0, 0)
            return f"item {self.item_id}, page {self.page}, box {x0:g},{y0:g},{x1:g},{y1:g}"
        return f"{rule_text(self.rule or {})}: {self.matches} match(es) in {self.items} item(s)"

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "item_id": self.item_id,
            "start": self.start,
            "end": self.end,
            "page": self.page,
            "box": list(self.box) if self.box else None,
            "rule": self.rule,
            "reason": self.reason,
            "who": self.who,
            "created_utc": self.created_utc,
            "matches": self.matches,
            "items": self.items,
            "what": self.describe(),
        }


def rule_text(rule: dict) -> str:
    if rule.get("pattern"):
        what = f"pattern {rule['pattern']}"
    elif rule.get("regex") is not None:
        what = f"regular expression \u201c{rule['regex']}\u201d"
    else:
        what = f"text \u201c{rule.get('literal')}\u201d"
    scope = []
    if rule.get("item_ids"):
        scope.append(f"items {', '.join(str(i) for i in rule['item_ids'][:10])}")
    if rule.get("tags"):
        scope.append(f"tagged {', '.join(rule['tags'])}")
    return what + (f" in {' and '.join(scope)}" if scope else " in the whole case")


# ---- reasons -------------------------------------------------------------------------


def default_reasons():
    return [c for c in load_taxonomy() if c.group == GROUP]


def reasons(conn) -> list[tuple[str, str]]:
    """(code, name) of the case's redaction reasons, in display order (the shipped ones
    when the case predates them: they are added with the first redaction)."""
    rows = conn.execute("SELECT code, name FROM taxonomy WHERE grp = ? ORDER BY position", (GROUP,)).fetchall()
    return [tuple(r) for r in rows] or [(c.code, c.name) for c in default_reasons()]


def reason_names(conn) -> dict[str, str]:
    return dict(reasons(conn))


def label(name: str) -> str:
    """What a redaction box says: 'Redacted - Personal data'."""
    return f"Redacted - {name}"


def is_privilege(code: str) -> bool:
    return code.startswith(PRIVILEGE_PREFIX)


def resolve_reason(conn, given: str) -> str:
    """The reason code for what the user typed: a code, a code without 'REDACT-', or a name."""
    wanted = given.strip().upper()
    for code, name in reasons(conn):
        if wanted in (code, code.removeprefix("REDACT-"), name.upper()):
            return code
    known = ", ".join(f"{c} ({n})" for c, n in reasons(conn))
    raise CaseFileError(f"{given!r} is not a redaction reason. The reasons are: {known}.")


def _ensure_reasons(case: CaseFile) -> None:
    """Inside a transaction: add the shipped reasons to a case created before they existed (audited)."""
    conn = case.conn
    if conn.execute("SELECT 1 FROM taxonomy WHERE grp = ?", (GROUP,)).fetchone():
        return
    position = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM taxonomy").fetchone()[0]
    for offset, c in enumerate(default_reasons()):
        if conn.execute("SELECT 1 FROM taxonomy WHERE code = ?", (c.code,)).fetchone():
            continue
        conn.execute(
            "INSERT INTO taxonomy(code, name, description, grp, parent_code, position) VALUES (?,?,?,?,?,?)",
            (c.code, c.name, c.description, GROUP, None, position + offset),
        )
        case.audit(
            "taxonomy.add",
            {"code": c.code, "name": c.name, "description": c.description, "grp": GROUP, "parent_code": None},
        )


# ---- what an item holds --------------------------------------------------------------


def item_strings(item: dict) -> list[str]:
    """Every string of an item that a production may show: title, text, the listing
    columns and every string inside its fields."""
    out = [item.get(k) for k in ("title", "text", "account", "api_key", "ip", "model")]
    stack = [item.get("fields")]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
    return [s for s in out if isinstance(s, str) and s]


def compile_rule(rule: dict) -> re.Pattern | None:
    """The regular expression of a literal or user rule (None: a built-in pattern)."""
    if rule.get("pattern"):
        if rule["pattern"] not in redaction_patterns.PATTERNS:
            known = ", ".join(redaction_patterns.pattern_names())
            raise CaseFileError(f"There is no built-in pattern {rule['pattern']!r}; the patterns are: {known}.")
        return None
    flags = re.IGNORECASE if rule.get("ignore_case") else 0
    if rule.get("regex") is not None:
        try:
            return re.compile(rule["regex"], flags)
        except re.error as exc:
            raise CaseFileError(f"The regular expression {rule['regex']!r} cannot be used: {exc}.") from exc
    literal = rule.get("literal") or ""
    if len("".join(literal.split())) < MIN_VISIBLE:
        raise CaseFileError(f"Give at least {MIN_VISIBLE} characters of text to redact.")
    return re.compile(re.escape(literal), flags)


def matches_in(strings: list[str], rule: dict, compiled: re.Pattern | None = None) -> dict[str, int]:
    """{matched text: count} of a rule over an item's strings (too short matches left out)."""
    compiled = compiled if compiled is not None or rule.get("pattern") else compile_rule(rule)
    found: dict[str, int] = {}
    for text in strings:
        spans = (
            redaction_patterns.find(text, rule["pattern"])
            if compiled is None
            else ((m.start(), m.end()) for m in compiled.finditer(text))
        )
        for start, end in spans:
            matched = text[start:end]
            if len("".join(matched.split())) >= MIN_VISIBLE:
                found[matched] = found.get(matched, 0) + 1
    return found


def scope_ids(conn, rule: dict) -> list[int] | None:
    """The items a rule searches (None: the whole case)."""
    ids: set[int] = set()
    if not rule.get("item_ids") and not rule.get("tags"):
        return None
    for item_id in rule.get("item_ids") or []:
        if not conn.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone():
            raise CaseFileError(f"There is no item {item_id} in this case.")
        ids.add(int(item_id))
    for code in rule.get("tags") or []:
        found = [r[0] for r in conn.execute("SELECT item_id FROM tags WHERE code = ?", (code,))]
        if not found and not conn.execute("SELECT 1 FROM taxonomy WHERE code = ?", (code,)).fetchone():
            raise CaseFileError(f"There is no category {code!r} in this case's taxonomy.")
        ids.update(found)
    return sorted(ids)


def find_matches(conn, rule: dict, token: CancelToken | None = None):
    """Every match of a rule in its scope (a generator yielding Progress; returns
    {item_id: {matched text: count}}). Children (attachments) of a chosen item are searched too."""
    token = token or CancelToken()
    compiled = compile_rule(rule)
    ids = scope_ids(conn, rule)
    if ids is not None:
        ids = sorted(set(ids) | set(_children(conn, ids)))
    total = conn.execute("SELECT count(*) FROM items").fetchone()[0] if ids is None else len(ids)
    reader = FieldsReader(conn)
    found: dict[int, dict[str, int]] = {}
    done = 0
    for batch in _item_batches(conn, ids):
        token.raise_if_cancelled()
        yield Progress("Finding matches", done, total, "items")
        for item in batch:
            item["fields"] = reader.fields(item["source_id"], item["locator"], item["fields"])
            hits = matches_in(item_strings(item), rule, compiled)
            if hits:
                found[item["id"]] = hits
        done += len(batch)
    yield Progress("Finding matches", done, total, "items")
    return found


def _children(conn, ids: list[int]) -> list[int]:
    out = []
    for part in chunks(ids):
        out += [r[0] for r in conn.execute(f"SELECT id FROM items WHERE parent_id IN ({marks(part)})", part)]
    return out


_SCAN = ("id", "source_id", "locator", "title", "text", "fields", "account", "api_key", "ip", "model")


def _item_batches(conn, ids: list[int] | None) -> Iterator[list[dict]]:
    select = f"SELECT {', '.join(_SCAN)} FROM item_details"
    if ids is None:
        last = 0
        while True:
            rows = conn.execute(f"{select} WHERE id > ? ORDER BY id LIMIT {SCAN_CHUNK}", (last,)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [dict(zip(_SCAN, r)) for r in rows]
    else:
        for part in chunks(ids, SCAN_CHUNK):
            yield [dict(zip(_SCAN, r)) for r in conn.execute(f"{select} WHERE id IN ({marks(part)})", part)]


# ---- writing -------------------------------------------------------------------------


def redact_span(case: CaseFile, item_id: int, start: int, end: int, reason: str) -> Redaction:
    """Hide characters start..end of an item's text (and that string wherever the item shows it)."""
    row = case.conn.execute("SELECT text FROM item_details WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise CaseFileError(f"There is no item {item_id} in this case.")
    text = row[0] or ""
    if not 0 <= start < end <= len(text):
        raise CaseFileError(f"Item {item_id}'s text has {len(text):,} characters; {start}-{end} is not within it.")
    if len("".join(text[start:end].split())) < MIN_VISIBLE:
        raise CaseFileError(
            f"Select at least {MIN_VISIBLE} characters: a shorter redaction cannot be proved gone from the "
            "production (the same letters appear everywhere)."
        )
    return _insert(case, {"kind": "span", "item_id": item_id, "start": start, "end": end}, reason, {})


def redact_box(case: CaseFile, item_id: int, page: int, box, reason: str) -> Redaction:
    """Hide a rectangle (x0, y0, x1, y1 in PDF points, origin lower left) of page `page` (1-based)."""
    from app.store.item_query import item_bytes

    x0, y0, x1, y1 = (float(v) for v in box)
    if x1 <= x0 or y1 <= y0:
        raise CaseFileError("A box is X0,Y0,X1,Y1 with X1 greater than X0 and Y1 greater than Y0.")
    if not case.conn.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone():
        raise CaseFileError(f"There is no item {item_id} in this case.")
    pages = page_sizes(item_bytes(case.conn, item_id))
    if not pages:
        raise CaseFileError(f"Item {item_id} has no PDF or image pages to draw a box on; redact its text instead.")
    if not 1 <= page <= len(pages):
        raise CaseFileError(f"Item {item_id} has {len(pages)} page(s); there is no page {page}.")
    record = {"kind": "box", "item_id": item_id, "page": page, "box": (x0, y0, x1, y1)}
    return _insert(case, record, reason, {})


def redact_matches(case: CaseFile, rule: dict, reason: str, matches: dict[int, dict[str, int]]) -> Redaction:
    """Record a literal/regex/pattern rule with what `find_matches` found for it."""
    if not matches:
        raise CaseFileError(f"Nothing matches the {rule_text(rule)}; no redaction was made.")
    rule = {k: v for k, v in rule.items() if v not in (None, [], False, "")}
    return _insert(case, {"kind": "match", "rule": rule}, reason, matches)


def page_sizes(data: bytes | None) -> list[tuple[float, float]]:
    """(width, height) in points of each page of a PDF, or of an image (pixels as points)."""
    if not data:
        return []
    if data[:1024].lstrip().startswith(b"%PDF"):
        import pypdfium2  # type: ignore[import-untyped]

        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError:
            return []
        try:
            return [tuple(document.get_page_size(i)) for i in range(len(document))]
        finally:
            document.close()
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return [(float(image.width), float(image.height))]
    except Exception:  # noqa: BLE001 -- Pillow raises many kinds on what is not an image
        return []


def _insert(case: CaseFile, record: dict, reason_given: str, matches: dict[int, dict[str, int]]) -> Redaction:
    now = utc_now_iso()
    with case.transaction() as conn:
        _ensure_reasons(case)
        reason = resolve_reason(conn, reason_given)
        box = record.get("box") or (None, None, None, None)
        rule = orjson.dumps(record["rule"], option=orjson.OPT_SORT_KEYS).decode() if record.get("rule") else None
        cursor = conn.execute(
            "INSERT INTO redactions(kind, item_id, start_offset, end_offset, page, x0, y0, x1, y1, rule, reason,"
            " who, created_utc) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                record["kind"],
                record.get("item_id"),
                record.get("start"),
                record.get("end"),
                record.get("page"),
                *box,
                rule,
                reason,
                case.operator,
                now,
            ),
        )
        redaction_id = cursor.lastrowid
        conn.executemany(
            "INSERT INTO redaction_matches(redaction_id, item_id, text, count) VALUES (?,?,?,?)",
            [(redaction_id, i, text, n) for i, hits in sorted(matches.items()) for text, n in sorted(hits.items())],
        )
        case.audit("redaction.add", _audit_record(conn, redaction_id))
    found = get_redaction(case.conn, redaction_id)
    assert found is not None
    return found


def remove_redaction(case: CaseFile, redaction_id: int) -> dict:
    """Remove a redaction; returns what restores it (`restore_redaction`, for undo)."""
    found = get_redaction(case.conn, redaction_id)
    if found is None:
        raise CaseFileError(f"There is no redaction {redaction_id} in this case.")
    matches = _matches_of(case.conn, redaction_id)
    with case.transaction() as conn:
        conn.execute("DELETE FROM redaction_matches WHERE redaction_id = ?", (redaction_id,))
        conn.execute("DELETE FROM redactions WHERE id = ?", (redaction_id,))
        case.audit("redaction.remove", {"redaction_id": redaction_id})
    return {"redaction": found, "matches": matches}


def restore_redaction(case: CaseFile, removed: dict) -> Redaction:
    """Make a removed redaction again (a new id; the log keeps both)."""
    r: Redaction = removed["redaction"]
    record: dict = {"kind": r.kind, "item_id": r.item_id, "start": r.start, "end": r.end, "page": r.page, "box": r.box}
    if r.rule:
        record["rule"] = r.rule
    return _insert(case, record, r.reason, removed["matches"])


# ---- reading -------------------------------------------------------------------------


def _redaction(row) -> Redaction:
    (rid, kind, item_id, start, end, page, x0, y0, x1, y1, rule, reason, who, created, matches, items) = row
    return Redaction(
        rid,
        kind,
        item_id,
        start,
        end,
        page,
        (x0, y0, x1, y1) if x0 is not None else None,
        orjson.loads(rule) if rule else None,
        reason,
        who,
        created,
        matches or 0,
        items or 0,
    )


_SELECT = (
    f"SELECT {', '.join('r.' + c for c in COLUMNS)}, r.who, r.created_utc,"
    " (SELECT sum(count) FROM redaction_matches m WHERE m.redaction_id = r.id),"
    " (SELECT count(DISTINCT item_id) FROM redaction_matches m WHERE m.redaction_id = r.id)"
    " FROM redactions r"
)


def get_redaction(conn, redaction_id: int) -> Redaction | None:
    row = conn.execute(f"{_SELECT} WHERE r.id = ?", (redaction_id,)).fetchone()
    return _redaction(row) if row else None


def list_redactions(conn, item_id: int | None = None) -> list[Redaction]:
    """Every redaction (or those touching one item), oldest first."""
    if item_id is None:
        return [_redaction(r) for r in conn.execute(f"{_SELECT} ORDER BY r.id")]
    sql = (
        f"{_SELECT} WHERE r.item_id = ? OR r.id IN (SELECT redaction_id FROM redaction_matches WHERE item_id = ?)"
        " ORDER BY r.id"
    )
    return [_redaction(r) for r in conn.execute(sql, (item_id, item_id))]


def _matches_of(conn, redaction_id: int) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    for item_id, text, count in conn.execute(
        "SELECT item_id, text, count FROM redaction_matches WHERE redaction_id = ? ORDER BY item_id, text",
        (redaction_id,),
    ):
        out.setdefault(item_id, {})[text] = count
    return out


@dataclass
class ItemRedactions:
    """What an export hides in one item: strings (with their reason) and boxes on pages."""

    item_id: int
    strings: list[tuple[str, str, int]]  # (redacted text, reason code, redaction id)
    boxes: list[tuple[int, tuple[float, float, float, float], str, int]]  # (page, box, reason, redaction id)


def redactions_by_item(conn, item_ids) -> dict[int, ItemRedactions]:
    """Every redaction of these items, resolved: span offsets turned into their text."""
    out: dict[int, ItemRedactions] = {}
    if conn.execute("SELECT 1 FROM redactions LIMIT 1").fetchone() is None:
        return out  # most cases: an export of a million rows asks nothing more

    def of(item_id: int) -> ItemRedactions:
        return out.setdefault(item_id, ItemRedactions(item_id, [], []))

    for part in chunks(sorted(set(item_ids))):
        q = marks(part)
        for rid, item_id, start, end, page, x0, y0, x1, y1, reason, kind in conn.execute(
            "SELECT id, item_id, start_offset, end_offset, page, x0, y0, x1, y1, reason, kind FROM redactions"
            f" WHERE item_id IN ({q}) ORDER BY id",
            part,
        ):
            if kind == "box":
                of(item_id).boxes.append((page, (x0, y0, x1, y1), reason, rid))
            else:
                text = conn.execute("SELECT text FROM item_details WHERE id = ?", (item_id,)).fetchone()[0] or ""
                of(item_id).strings.append((text[start:end], reason, rid))
        for rid, item_id, text, reason in conn.execute(
            "SELECT m.redaction_id, m.item_id, m.text, r.reason FROM redaction_matches m"
            f" JOIN redactions r ON r.id = m.redaction_id WHERE m.item_id IN ({q}) ORDER BY m.redaction_id, m.text",
            part,
        ):
            of(item_id).strings.append((text, reason, rid))
    return out


def redacted_item_ids(conn) -> set[int]:
    ids = {r[0] for r in conn.execute("SELECT item_id FROM redactions WHERE item_id IS NOT NULL")}
    return ids | {r[0] for r in conn.execute("SELECT DISTINCT item_id FROM redaction_matches")}


# ---- verify --------------------------------------------------------------------------


def _audit_record(conn, redaction_id: int) -> dict:
    """What the audit entry records of a redaction, and what verify recomputes from the tables."""
    row = conn.execute(f"SELECT {', '.join(COLUMNS)}, who FROM redactions WHERE id = ?", (redaction_id,)).fetchone()
    record = dict(zip((*COLUMNS, "who"), row))
    record["redaction_id"] = record.pop("id")
    digest = hashlib.sha256()
    count = 0
    for item_id, text, n in conn.execute(
        "SELECT item_id, text, count FROM redaction_matches WHERE redaction_id = ? ORDER BY item_id, text",
        (redaction_id,),
    ):
        digest.update(orjson.dumps([item_id, text, n]))
        count += 1
    record["matches_digest"] = digest.hexdigest()
    record["match_rows"] = count
    return record


def verify_redactions(conn, entries) -> tuple[dict, dict]:
    """(expected from the audit log, actual from the tables): {redaction id: record}."""
    expected: dict = {}
    for entry in entries:
        d = entry["details"]
        if entry["action"] == "redaction.add":
            expected[d["redaction_id"]] = d
        elif entry["action"] == "redaction.remove":
            expected.pop(d.get("redaction_id"), None)
    actual = {r[0]: _audit_record(conn, r[0]) for r in conn.execute("SELECT id FROM redactions")}
    stray = conn.execute("SELECT DISTINCT redaction_id FROM redaction_matches EXCEPT SELECT id FROM redactions")
    for (rid,) in stray:
        actual.setdefault(rid, {"redaction_id": rid, "stray_matches": True})
    return expected, actual
