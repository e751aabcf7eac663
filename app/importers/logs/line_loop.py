"""The shared loop of line-per-record logs (web-server, syslog): decode, bound, build, report.

A subclass says whether a line is of its format (`matches`, for sniffing), the mapping
it uses when the user gives none, and how one line becomes a record (`row`).
"""

from app.core.records import Quarantined
from app.importers.base import ImportContext
from app.importers.logs.rows import LogRowBuilder, oversized
from app.importers.text_decoding import StreamDamaged, decode_head, detect_encoding, iter_lines, read_head

SNIFF_LINES = 200  # of the head's complete lines: enough that a cluster of bad lines does not decide
# A log whose lines are mostly of the format is of the format: the others are quarantined
# on import, each with its line number and reason. Lower than a clean match, so another
# format that fits every line still wins.
MAJORITY_PENALTY = 30


class LineLogImporter:
    name = "lines"
    family = "logs"
    sniff_score = 50

    def matches(self, line: str) -> bool:
        raise NotImplementedError

    def default_mapping(self) -> dict:
        raise NotImplementedError

    def row(self, line, locator: dict, builder: LogRowBuilder, ctx: ImportContext):
        raise NotImplementedError

    def sniff(self, head: bytes, filename: str) -> int:
        lines = [ln for ln in decode_head(head).splitlines() if ln.strip() and not ln.startswith("#")]
        complete = (lines[:-1] or lines)[:SNIFF_LINES]
        if not complete:
            return 0
        matched = sum(1 for line in complete if self.matches(line))
        if matched >= len(complete) * 0.8:
            return self.sniff_score
        return self.sniff_score - MAJORITY_PENALTY if matched > len(complete) / 2 else 0

    def read(self, stream, ctx: ImportContext):
        head, stream = read_head(stream)
        encoding = detect_encoding(head)
        ctx.provenance["encoding"] = encoding.describe()
        if ctx.settings.mapping is None:
            ctx.provenance["mapping_suggested"] = True
        builder = LogRowBuilder(self.name, ctx.settings.mapping or self.default_mapping(), ctx)
        limit = ctx.settings.max_field_bytes
        try:
            for line in iter_lines(stream, encoding, limit):
                locator = {"line": line.number, "byte_offset": line.offset}
                if line.size > limit:
                    yield oversized(locator, line.raw, "line", limit, line.size)
                    continue
                record = self.row(line, locator, builder, ctx)
                if line.damage and not isinstance(record, Quarantined) and hasattr(record, "warnings"):
                    record.warnings.append(line.damage)
                yield record
        except StreamDamaged as damage:
            yield Quarantined({"line": damage.line_number, "byte_offset": damage.offset}, b"", damage.reason)
