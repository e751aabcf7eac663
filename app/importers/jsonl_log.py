"""JSON-lines API logs: one `log_entry` per line, every field kept, the timestamp mapped.

The mapping (app.core.mapping) is suggested from the first record's field names unless
the user gave one; malformed lines are quarantined with their line number, byte offset
and the reason; blank lines are counted.
"""

import hashlib

import orjson

from app.core.mapping import apply_mapping, flatten_paths, suggest_mapping
from app.core.records import ItemRecord, Quarantined, Skipped
from app.core.timestamps import TimestampError
from app.importers.base import ImportContext

SNIFF_LINES = 20


class JsonLinesLogImporter:
    name = "jsonl"
    family = "logs"

    def sniff(self, head: bytes, filename: str) -> int:
        lines = [line for line in head.splitlines()[:SNIFF_LINES] if line.strip()]
        if not lines:
            return 0
        parsed = 0
        for line in lines[:-1] or lines:  # the last line of the head may be cut short
            try:
                if isinstance(orjson.loads(line), dict):
                    parsed += 1
            except orjson.JSONDecodeError:
                pass
        return 80 if parsed and parsed >= len(lines[:-1] or lines) * 0.8 else 0

    def read(self, stream, ctx: ImportContext):
        settings = ctx.settings
        mapping = settings.mapping
        scope = None
        offset = 0
        for number, raw in enumerate(stream, start=1):
            locator = {"line": number, "byte_offset": offset}
            offset += len(raw)
            line = raw.strip()
            if not line:
                yield Skipped(locator, "blank")
                continue
            if len(raw) > settings.max_field_bytes:
                yield Quarantined(locator, raw[:4096], f"line of {len(raw):,} bytes exceeds the size bound")
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Quarantined(locator, raw, f"not valid JSON: {exc}")
                continue
            if not isinstance(record, dict):
                yield Quarantined(locator, raw, "a JSON value that is not an object")
                continue
            if mapping is None:
                mapping = suggest_mapping(flatten_paths(record))
                ctx.provenance["mapping"] = mapping
                ctx.provenance["mapping_suggested"] = True
            if scope is None:
                scope = f"{self.name}:{orjson.dumps(mapping, option=orjson.OPT_SORT_KEYS).decode()}"
            item = self._item(record, line, locator, mapping, ctx, scope)
            if isinstance(item, Quarantined):
                item.raw = raw
            yield item

    def _item(self, record: dict, line: bytes, locator: dict, mapping: dict, ctx: ImportContext, scope: str):
        mapped = apply_mapping(record, mapping)
        stamp, warnings = None, []
        if "timestamp" in mapped:
            try:
                stamp = ctx.timestamps.parse(mapped["timestamp"])
            except TimestampError as exc:
                if not ctx.settings.undated_ok:
                    return Quarantined(locator, line, f"timestamp cannot be read: {exc}")
                warnings.append(f"timestamp cannot be read ({exc}); imported as undated")
        prompt = _text(mapped.get("prompt"))
        response = _text(mapped.get("response"))
        account = _scalar(mapped.get("account"))
        model = _scalar(mapped.get("model"))
        title = " · ".join(p for p in (account, model, (prompt or "")[:120].replace("\n", " ")) if p)
        dedup = hashlib.sha256(scope.encode() + b"\x00" + line).hexdigest()[:32]
        return ItemRecord(
            kind="log_entry", locator=locator, title=title or f"line {locator['line']}",
            text="\n".join(p for p in (prompt, response) if p), fields=record,
            timestamp=stamp, account=account, api_key=_scalar(mapped.get("api_key")),
            ip=_scalar(mapped.get("ip")), model=model, dedup_key=dedup, warnings=warnings,
            fields_json=line.decode("utf-8"),
        )


def _scalar(value) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def _text(value) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else orjson.dumps(value).decode()
