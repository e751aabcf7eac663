"""Fonts for everything the bundle draws: real, searchable text in every script.

reportlab embeds (subsets) TrueType fonts with glyf outlines. DejaVu covers Latin,
Greek, Cyrillic and Arabic letters; Droid Sans Fallback covers Chinese, Japanese and
Korean. A string is split into runs, each drawn with the first font that has its
glyphs (per-character fallback), so nothing renders as a box when a font lacks it.
The font files and their licences ship in resources/fonts/.

Right-to-left text (Arabic, Hebrew) is shaped (joined letter forms) and put in visual
order per line for drawing, and the line's logical text is attached as /ActualText so
that search and copy in a PDF reader give the text as written.
"""

from functools import lru_cache

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.core.paths import resources_dir
from app.export import redaction_marks

SANS = "CF-Sans"
BOLD = "CF-Sans-Bold"
MONO = "CF-Mono"
CJK = "CF-CJK"
FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    MONO: "DejaVuSansMono.ttf",
    CJK: "DroidSansFallbackFull.ttf",
}
# The fonts tried, in order, after the one asked for.
FALLBACKS = (SANS, CJK)
# Characters never drawn (controls); tabs become spaces before drawing.
CONTROL = {c: None for c in range(32) if c not in (9, 10)}


@lru_cache(maxsize=1)
def register_fonts() -> dict[str, set[int]]:
    """Register the shipped fonts with reportlab (once); {font name: code points it covers}."""
    coverage = {}
    for name, filename in FONT_FILES.items():
        font = TTFont(name, str(resources_dir() / "fonts" / filename))
        pdfmetrics.registerFont(font)
        coverage[name] = set(font.face.charToGlyph)
    return coverage


def clean(text) -> str:
    """Text safe to draw: no control characters, tabs as spaces."""
    if text is None:
        return ""
    return str(text).replace("\t", "    ").translate(CONTROL)


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split text into (font, substring) runs so every character has a glyph."""
    if text.isascii():
        return [(font, text)]
    coverage = register_fonts()
    result: list[tuple[str, str]] = []
    current, start = None, 0
    for index, char in enumerate(text):
        chosen = _font_for(ord(char), font, coverage)
        if chosen != current:  # runs are sliced once, never grown a character at a time (quadratic)
            if current is not None:
                result.append((current, text[start:index]))
            current, start = chosen, index
    result.append((current, text[start:]))
    return result


def _font_for(code: int, font: str, coverage) -> str:
    if code in coverage[font] or code < 128:
        return font
    for candidate in FALLBACKS:
        if code in coverage[candidate]:
            return candidate
    return font  # no shipped font has it: the font's own "missing" glyph, still real text


_UNITS: dict[tuple[str, str], float] = {}  # (font, short text) -> width at size 1000: words repeat
MONO_UNITS = 602.0  # every ASCII glyph of DejaVu Sans Mono is this wide


def _units(text: str, font: str) -> float:
    if font == MONO and text.isascii():
        return len(text) * MONO_UNITS
    if len(text) > 40:
        return pdfmetrics.stringWidth(text, font, 1000)
    key = (font, text)
    found = _UNITS.get(key)
    if found is None:
        if len(_UNITS) > 200_000:
            _UNITS.clear()
        found = _UNITS[key] = pdfmetrics.stringWidth(text, font, 1000)
    return found


def is_rtl(text: str) -> bool:
    """True when text has right-to-left letters (Hebrew, Arabic and their presentation forms)."""
    return any(0x0590 <= ord(c) <= 0x08FF or 0xFB1D <= ord(c) <= 0xFEFF for c in text)


def visual(text: str) -> str:
    """One line as drawn: Arabic letters joined, right-to-left runs in visual order."""
    return get_display(arabic_reshaper.reshape(text))


def width(text: str, font: str, size: float) -> float:
    """Drawn width of text in points, across fallback runs."""
    if text.isascii():
        return _units(text, font) * size / 1000
    if redaction_marks.has_marks(text):
        text = redaction_marks.visible(text)
    if is_rtl(text):
        text = visual(text)
    return sum(_units(part, name) for name, part in runs(text, font)) * size / 1000


def draw(canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Draw one line of text at (x, y) with per-character font fallback.

    Writes the text operators itself: reportlab's drawString measures every string
    again (for bidi) and costs ~3x more; the subset encoding is still reportlab's.
    """
    if not text:
        return
    doc = canvas._doc
    if text.isascii() and text.isprintable():
        # reportlab keeps printable ASCII at its own codes in subset 0 (asciiReadable): no lookup needed
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        canvas._code.append(f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm {_subset0(font, doc)} {size:g} Tf ({escaped}) Tj ET")
        return
    if redaction_marks.has_marks(text):  # a redacted passage: its labelled box, never its text
        redaction_marks.draw_marked(canvas, x, y, text, font, size, draw, width)
        return
    operators = [f"BT 1 0 0 1 {x:.2f} {y:.2f} Tm"]
    logical = None
    if is_rtl(text):
        logical, text = text, visual(text)
    for name, part in runs(text, font):
        face = pdfmetrics.getFont(name)
        for subset, data in face.splitString(part, doc):
            operators.append(f"{face.getSubsetInternalName(subset, doc)} {size:g} Tf ({canvas._escape(data)}) Tj")
    operators.append("ET")
    if logical is not None:
        actual = ("\ufeff" + logical).encode("utf-16-be").hex().upper()
        operators = [f"/Span <</ActualText <{actual}>>> BDC", *operators, "EMC"]
    canvas._code.append(" ".join(operators))


def _subset0(font: str, doc) -> str:
    """The PDF name of a font's first subset in this document (registering the font with it)."""
    names = doc.__dict__.setdefault("_casefile_subset0", {})
    name = names.get(font)
    if name is None:
        face = pdfmetrics.getFont(font)
        face.splitString("a", doc)
        name = names[font] = face.getSubsetInternalName(0, doc)
    return name


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Lines of text no wider than max_width; long words are broken, nothing is cut off."""
    return wrap_capped(text, font, size, max_width, None)[0]


def wrap_capped(text, font: str, size: float, max_width: float, max_lines: int | None) -> tuple[list[str], int]:
    """At most max_lines lines of text no wider than max_width, and how many characters
    of text they leave out (0: all of it). Work grows with the text's length, not its square:
    only the lines drawn are measured closely."""
    text = "" if text is None else str(text)
    lines: list[str] = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        raw = text[start:end]
        done = 0  # characters of the cleaned paragraph already in lines
        for line, line_end in _wrap_paragraph(clean(raw).rstrip(), font, size, max_width):
            if max_lines is not None and len(lines) >= max_lines:
                return lines, len(text) - start - _raw_length(raw, done)
            lines.append(line)
            done = line_end
        start = end + 1
    return lines, 0


def _raw_length(raw: str, cleaned: int) -> int:
    """How many characters of raw make its first `cleaned` characters once cleaned
    (a tab is drawn as four spaces, control characters not at all)."""
    if cleaned == 0 or raw.isascii() and raw.isprintable():
        return cleaned
    count = 0
    for index, char in enumerate(raw):
        if count >= cleaned:
            return index
        count += 4 if char == "\t" else 0 if ord(char) in CONTROL else 1
    return len(raw)


SHORT = 400  # a paragraph this short is measured whole first: most fit on one line


def _wrap_paragraph(paragraph: str, font: str, size: float, max_width: float):
    """Yields (line, where it ends in the paragraph) for each line of one paragraph."""
    if len(paragraph) <= SHORT and width(paragraph, font, size) <= max_width:
        yield paragraph, len(paragraph)
        return
    space = width(" ", font, size)
    line_start = line_end = 0
    line_width = None  # None: no line started
    position = 0
    while position <= len(paragraph):
        stop = paragraph.find(" ", position)
        stop = len(paragraph) if stop < 0 else stop
        word_width = width(paragraph[position:stop], font, size)
        if line_width is not None and line_width + space + word_width <= max_width:
            line_end, line_width = stop, line_width + space + word_width
        else:
            if line_width is not None:
                yield paragraph[line_start:line_end], line_end
            line_start, line_end, line_width = position, stop, word_width
            if word_width > max_width:  # a word wider than the line is broken where it must be
                while (cut := _fit(paragraph, line_start, stop, font, size, max_width)) < stop:
                    yield paragraph[line_start:cut], cut
                    line_start = cut
                line_width = width(paragraph[line_start:stop], font, size)
        position = stop + 1
    yield paragraph[line_start:line_end], line_end


def _fit(text: str, start: int, stop: int, font: str, size: float, max_width: float) -> int:
    """The end of the longest piece text[start:end] (end <= stop, at least one character)
    that fits in max_width. Only a window a little longer than a line is measured, so
    breaking a very long word costs what its lines cost, not its length each time."""
    window = max(16, int(max_width / (size * 0.25)))  # more characters than any line of this width holds
    high = min(stop, start + window)
    while width(text[start:high], font, size) <= max_width:
        if high == stop:
            return stop
        high = min(stop, start + 2 * (high - start))  # zero-width characters: a longer window
    low, high = start + 1, high - 1
    while low < high:
        middle = (low + high + 1) // 2
        if width(text[start:middle], font, size) <= max_width:
            low = middle
        else:
            high = middle - 1
    return low
