"""JSON-lines of model outputs: one `output` item per line (pair, chat or chat tree).

Sniffing must not take API logs from the JSON-lines log importer (which says 80 to any
JSON-lines of objects): this one says more only when the records look like outputs
(a message list, or prompt- and response-like fields) and carry no field of a log
line (status, ip, api key, user agent...). Otherwise it says little, so that
`--as outputs` can still force it.
"""

import orjson

from app.core.records import Quarantined, Skipped
from app.importers.base import ImportContext
from app.importers.outputs.records import OutputRecordReader, looks_like_outputs, output_evidence

SNIFF_LINES = 20
SURE, POSSIBLE = 90, 25
# Any other objects: below every importer that recognises them (a text document says
# 10), yet above zero so that `--as outputs --mapping FILE` can force odd field names,
# and above a plain-text transcript (outputs_text says 1 to text with no turns).
FORCE_ONLY = 2


def sniff_records(records: list) -> int:
    """SURE when (nearly) every record looks like a model output; POSSIBLE when some carry
    a prompt, a response or messages among log fields; FORCE_ONLY for other objects."""
    if not records or not all(isinstance(r, dict) for r in records):
        return 0
    if sum(1 for r in records if looks_like_outputs(r)) >= len(records) * 0.8:
        return SURE
    return POSSIBLE if any(output_evidence(r)[0] for r in records) else FORCE_ONLY


class OutputsJsonLinesImporter:
    name = "outputs_jsonl"
    family = "outputs"

    def sniff(self, head: bytes, filename: str) -> int:
        lines = [line for line in head.splitlines()[:SNIFF_LINES] if line.strip()]
        complete = lines[:-1] or lines  # the last line of the head may be cut short
        records = []
        for line in complete:
            try:
                records.append(orjson.loads(line))
            except orjson.JSONDecodeError:
                pass  # a malformed line is quarantined on import; most lines must parse
        return sniff_records(records) if len(records) >= len(complete) * 0.8 else 0

    def read(self, stream, ctx: ImportContext):
        reader = OutputRecordReader(ctx)
        offset = 0
        for number, raw in enumerate(stream, start=1):
            locator = {"line": number, "byte_offset": offset}
            offset += len(raw)
            line = raw.strip()
            if not line:
                yield Skipped(locator, "blank")
                continue
            if len(raw) > ctx.settings.max_field_bytes:
                yield Quarantined(locator, raw[:4096], f"line of {len(raw):,} bytes exceeds the size bound")
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield Quarantined(locator, raw, f"not valid JSON: {exc}")
                continue
            yield reader.item(record, locator, raw)
