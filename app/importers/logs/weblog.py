"""Web-server access logs (Common and Combined Log Format, as nginx and Apache write them).

No library parses CLF, so one regular expression per line does. The request, referer
and user agent are quoted; servers escape quotes inside them (`\\"` or `\\x22`) but
some write them raw, so the request is read up to the `" status size` that follows it
and the user agent up to the last quote on the line. Fields are named after nginx's
variables (remote_addr, time_local, request, ...); the request line is split into
method, path and protocol. Lines that do not match are quarantined.
"""

import re

from app.core.mapping import load_preset
from app.core.records import Quarantined, Skipped
from app.importers.base import ImportContext
from app.importers.logs.line_loop import LineLogImporter

_CLF = re.compile(
    r"^(?P<remote_addr>\S+) (?P<ident>\S+) (?P<remote_user>\S+) \[(?P<time_local>[^\]]+)\] "
    r'"(?P<request>.*?)" (?P<status>\d{3}|-) (?P<body_bytes_sent>\d+|-)'
    r'(?: "(?P<http_referer>(?:[^"\\]|\\.)*)" "(?P<http_user_agent>.*)")?(?P<extra>.*?)\s*$'
)
_REQUEST = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+)(?: (?P<protocol>HTTP/[\d.]+))?$")
PRESET = "weblog-combined"  # resources/mappings/weblog-combined.json


class WebLogImporter(LineLogImporter):
    name = "weblog"
    sniff_score = 90

    def matches(self, line: str) -> bool:
        return _CLF.match(line) is not None

    def default_mapping(self) -> dict:
        return load_preset(PRESET)[1]

    def row(self, line, locator: dict, builder, ctx: ImportContext):
        text = line.text.rstrip("\r\n")
        if not text.strip():
            return Skipped(locator, "blank")
        if text.startswith("#"):
            return Skipped(locator, "comment")
        match = _CLF.match(text)
        if match is None:
            return Quarantined(locator, line.raw, "not a Common or Combined Log Format line")
        fields = {k: v for k, v in match.groupdict().items() if v is not None and (v or k != "extra")}
        request = _REQUEST.match(fields["request"])
        if request:
            fields.update({k: v for k, v in request.groupdict().items() if v is not None})
        return builder.build(fields, line.raw, locator, text)
