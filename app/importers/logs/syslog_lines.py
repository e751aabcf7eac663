"""Syslog files: RFC 5424 and RFC 3164 (BSD) lines, one `log_entry` each.

RFC 3164 lines carry no year: it is the year given for the import, or the file's,
and the timestamp is marked "year assumed". The priority, when present, is split into
facility and severity. Lines of neither form are quarantined.
"""

import re

from app.core.records import Quarantined, Skipped
from app.importers.base import ImportContext
from app.importers.logs.line_loop import LineLogImporter

_RFC3339 = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)"
_RFC5424 = re.compile(
    rf"^<(?P<priority>\d{{1,3}})>(?P<version>\d{{1,2}}) (?P<timestamp>-|{_RFC3339}) (?P<hostname>\S+) (?P<app_name>\S+)"
    r" (?P<procid>\S+) (?P<msgid>\S+) (?P<structured_data>-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (?P<message>.*))?$"
)
_RFC3164 = re.compile(
    rf"^(?:<(?P<priority>\d{{1,3}})>)?(?P<timestamp>[A-Z][a-z]{{2}} [ \d]\d \d\d:\d\d:\d\d|{_RFC3339})"
    r" (?P<hostname>\S+) (?:(?P<tag>[^:\[\s]+)(?:\[(?P<procid>[^\]\s]*)\])?: ?)?(?P<message>.*)$"
)
DEFAULT_MAPPING = {"timestamp": "timestamp"}


class SyslogImporter(LineLogImporter):
    name = "syslog"
    sniff_score = 85

    def matches(self, line: str) -> bool:
        return bool(_RFC5424.match(line) or _RFC3164.match(line))

    def default_mapping(self) -> dict:
        return DEFAULT_MAPPING

    def row(self, line, locator: dict, builder, ctx: ImportContext):
        text = line.text.rstrip("\r\n")
        if not text.strip():
            return Skipped(locator, "blank")
        fields = _fields(text)
        if fields is None:
            return Quarantined(locator, line.raw, "not a syslog line (RFC 5424 or RFC 3164)")
        return builder.build(fields, line.raw, locator, fields.get("message") or text)


def _fields(text: str) -> dict | None:
    match = _RFC5424.match(text)
    syntax = "RFC 5424"
    if match is None:
        match, syntax = _RFC3164.match(text), "RFC 3164"
    if match is None:
        return None
    fields = {k: v for k, v in match.groupdict().items() if v is not None and v != "-"}
    fields["syntax"] = syntax
    if "message" in fields:
        fields["message"] = fields["message"].lstrip("\ufeff")
    if "priority" in fields:
        priority = int(fields["priority"])
        fields["facility"], fields["severity"] = priority // 8, priority % 8
    return fields
