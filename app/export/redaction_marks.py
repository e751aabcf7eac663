"""Redacted text in drawn items: removed before drawing, replaced by a labelled box.

An item's redacted strings are replaced, in every string the renderer may draw (text,
title, header fields, a log row's prompt and response), by a *marker*: the label
("Redacted - Personal data", spaces made non-breaking so wrapping keeps it whole)
between private-use characters, followed by hidden bookkeeping (item and redaction id).
`fonts.draw` hands a line holding a marker to `draw_marked`, which draws the label in
white on a black box and notes the page it landed on for the redaction log. The
redacted text itself never reaches the page. Plain-text outputs (load-file text, CSV
cells, bookmarks) get `plain()`: "[Redacted - Personal data]".
"""

import re

from app.store.redactions import ItemRedactions, label

OPEN, CLOSE, HIDE = "\ue000", "\ue001", "\ue002"
NBSP = "\u00a0"
_MARK = re.compile(f"{OPEN}([^{OPEN}{CLOSE}{HIDE}]*)(?:{HIDE}([^{CLOSE}]*))?(?:{CLOSE}|$)")
_STRAY = re.compile(f"^[^{OPEN}]*?{CLOSE}")  # a marker's tail at the start of a line the wrap split it to
PAD = 1.5
_OWN = {ord(OPEN): "\ufffd", ord(CLOSE): "\ufffd", ord(HIDE): "\ufffd"}


def has_marks(text: str) -> bool:
    return OPEN in text or CLOSE in text


def marker(name: str, item_id: int, redaction_id: int) -> str:
    return f"{OPEN}{label(name).replace(' ', NBSP)}{HIDE}{item_id}.{redaction_id}{CLOSE}"


def visible(text: str) -> str:
    """The text as drawn (labels in place of markers): what widths are measured on."""
    return _MARK.sub(lambda m: m.group(1), _STRAY.sub("", text)).replace(CLOSE, "")


def plain(text):
    """Markers as '[Redacted - Personal data]' for files read as text."""
    if not isinstance(text, str) or not has_marks(text):
        return text
    text = _MARK.sub(lambda m: "[" + m.group(1).replace(NBSP, " ") + "]", _STRAY.sub("", text))
    return text.replace(CLOSE, "")


def flexible(secret: str) -> str:
    """A regular expression for the redacted string however its spaces and line breaks were laid out."""
    return r"\s+".join(re.escape(part) for part in secret.split())


class ItemRedactor:
    """Replaces one item's redacted strings with markers, longest first."""

    def __init__(self, redactions: ItemRedactions, names: dict[str, str]):
        self.item_id = redactions.item_id
        self.markers = {}
        parts = []
        for secret, reason, rid in sorted(redactions.strings, key=lambda s: -len(s[0])):
            if not secret.split():
                continue
            key = flexible(secret)
            if key in self.markers:
                continue
            self.markers[key] = marker(names.get(reason, reason), self.item_id, rid)
            parts.append(f"(?P<r{len(parts)}>{key})")
        self._keys = list(self.markers)
        self.regex = re.compile("|".join(parts)) if parts else None

    def text(self, value):
        if not isinstance(value, str) or self.regex is None:
            return value
        value = value.translate(_OWN)  # the item's own private-use characters can never pose as a marker
        return self.regex.sub(lambda m: self.markers[self._keys[int(m.lastgroup[1:])]], value)

    def value(self, value):
        """A string, list or dict with every string in it redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def item(self, item: dict) -> dict:
        """A copy of an item (as get_item or a log row gives it) with what may be drawn redacted."""
        out = dict(item)
        for key in ("title", "text", "fields", "account", "api_key", "ip", "model", "ts_original", "thread_id"):
            if key in out:
                out[key] = self.value(out[key])
        return out


def draw_marked(canvas, x: float, y: float, text: str, font: str, size: float, draw, width) -> None:
    """Draw a line holding markers: plain runs with `draw`, each label white on a black box."""
    position = 0
    cursor = x
    stray = _STRAY.match(text)
    if stray:  # the line starts inside a marker split by the wrap: box what is left of its label
        label_text = stray.group()[:-1].split(HIDE)[0]
        cursor = _box(canvas, cursor, y, label_text, font, size, draw, width)
        position = stray.end()
    for match in _MARK.finditer(text, position):
        before = text[position : match.start()]
        if before:
            draw(canvas, cursor, y, before, font, size)
            cursor += width(before, font, size)
        cursor = _box(canvas, cursor, y, match.group(1), font, size, draw, width)
        _note(canvas, match.group(2))
        position = match.end()
    rest = text[position:].replace(CLOSE, "")
    if rest:
        draw(canvas, cursor, y, rest, font, size)


def _box(canvas, x: float, y: float, label_text: str, font: str, size: float, draw, width) -> float:
    shown = label_text.replace(NBSP, " ")
    w = width(shown, font, size)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.rect(x - PAD, y - size * 0.3, w + 2 * PAD, size * 1.2, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    draw(canvas, x, y, shown, font, size)
    canvas.restoreState()
    return x + w


def _note(canvas, hidden: str | None) -> None:
    if not hidden or "." not in hidden:
        return
    item_id, redaction_id = hidden.split(".", 1)
    if item_id.isdigit() and redaction_id.isdigit():
        note(canvas, int(item_id), int(redaction_id))


def note(canvas, item_id: int, redaction_id: int) -> None:
    """Where a redaction was drawn: (part file, page in it, item id, redaction id), for the redaction log."""
    notes = getattr(canvas, "redaction_marks", None)
    if notes is not None:
        notes.append((canvas.redaction_part, canvas.getPageNumber(), item_id, redaction_id))


def label_box(canvas, x: float, y: float, w: float, h: float, text: str) -> None:
    """A box already black in the picture: its reason in white on it, shrunk to fit (real text, searchable)."""
    from app.export import fonts  # fonts hands marked lines to this module

    size = min(10.0, max(3.0, h * 0.7))
    natural = fonts.width(text, fonts.BOLD, size)
    if natural > w - 2 and natural > 0:
        size = max(3.0, size * (w - 2) / natural)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    fonts.draw(canvas, x + 1, y + (h - size) / 2 + size * 0.2, text, fonts.BOLD, size)
    canvas.restoreState()
