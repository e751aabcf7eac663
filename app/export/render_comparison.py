"""The comparison exhibit: a competitor's output and our logged response side by side.

A summary exhibit (app/export/summaries.py) of kind "comparison"; its ref names the two
items, the provenance settings the link was made with and the link's shared passages
(word spans), so the exhibit shows the link as the run found it; a ref without passages
has them found again from the two texts. The page says what the court needs in a minute: the figures in a sentence,
the request's account and time, the Bates cites of both items, the method in a
sentence, then the two texts in two columns. Shared passages are shaded grey AND
underlined, so they read in black and white; the text stays real text (Chinese too:
the bundle's fonts fall back per character), so it can be searched and copied.
"""

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from app.analysis.provenance.highlight import Side, compare_texts, passage_list, sides
from app.analysis.provenance.passages import Comparison, Passage
from app.analysis.provenance.sentences import method_sentence, when_utc
from app.analysis.provenance.texts import LoggedResponses, output_text
from app.analysis.provenance.words import words
from app.export import fonts

SIZE = 8.5
LEADING = SIZE * 1.45
GUTTER = 14.0
SHADE = (0.80, 0.80, 0.80)  # grey: legible printed in black and white
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff00-\uffef\u3000-\u303f"
# a CJK character (with what follows it up to the next one), a word with its spaces, or spaces
_TOKEN = re.compile(f"[{_CJK}][^\\S\\n]*|[^\\s{_CJK}]+[^\\S\\n]*|[^\\S\\n]+")


def cited_items(_conn, ref: dict) -> list[int]:
    return [int(ref["output_id"]), int(ref["response_id"])]


def render_comparison(conn, writer, ref: dict, context) -> None:
    """Draw the comparison (see the module's docstring) with the bundle's PageWriter."""
    output_id, response_id = int(ref["output_id"]), int(ref["response_id"])
    settings = ref["provenance"]
    output = output_text(conn, output_id)
    logged = LoggedResponses(conn).one(response_id)
    if not output or logged is None:
        writer.paragraph("One of the two compared items no longer holds its text in this case.", fonts.BOLD)
        return
    result = _comparison(output, logged.text, ref, settings)
    account, ts_us = conn.execute("SELECT account, ts_us FROM items WHERE id = ?", (response_id,)).fetchone()
    cites = context.cite([output_id, response_id])
    share = round(result.similarity * 100)
    writer.heading("The competitor's output and our logged response, side by side")
    writer.paragraph(
        f"{share}% of this output's {result.output_words:,} words are in passages shared with the response "
        f"logged at {when_utc(ts_us)}"
        + (f" for {account}" if account else "")
        + f"; longest shared passage {result.longest_run:,} words ({result.shared_words:,} shared words in "
        f"{len(result.passages):,} passage(s))."
    )
    writer.space(4)
    writer.fields(
        [
            ("Output", f"item {output_id}; {cites.get(output_id)}"),
            ("Our response", f"item {response_id}; {cites.get(response_id)}"),
            ("Request", f"account {account or '(none)'}; logged {_local(ts_us, context.zone)}"),
        ]
    )
    writer.space(4)
    writer.paragraph(method_sentence(settings) + " Shared passages are shaded and underlined below.", size=8)
    writer.space(6)
    left, right = sides(output, logged.text, passage_list(result))
    _columns(writer, left, right)


def _comparison(output: str, response: str, ref: dict, settings: dict) -> Comparison:
    """The link's own passages when the ref keeps them (as the run found them, boilerplate left
    out by what the whole log showed), else found again from the two texts."""
    if "passages" not in ref:
        return compare_texts(output, response, settings)
    result = Comparison(len(words(output)), len(words(response)))
    result.passages = [Passage(int(o), int(r), int(n)) for o, r, n in ref["passages"]]
    return result


def _local(ts_us: int | None, zone: str) -> str:
    if ts_us is None:
        return "(undated)"
    moment = datetime.fromtimestamp(ts_us / 1_000_000, tz=timezone.utc).astimezone(ZoneInfo(zone))
    return f"{moment:%Y-%m-%d %H:%M:%S} {zone} ({when_utc(ts_us)})"


def _columns(writer, left: Side, right: Side) -> None:
    width = (writer.text_width - GUTTER) / 2
    columns = [_lines(left, width), _lines(right, width)]
    titles = ("The competitor's output", "Our logged response")
    _titles(writer, titles, width)
    for row in range(max(len(c) for c in columns)):
        if writer.y - LEADING < 64 + 2:  # the stamp band (layout.BOTTOM) stays free
            writer.new_page()
            _titles(writer, titles, width)
        writer.y -= LEADING
        for number, lines in enumerate(columns):
            if row < len(lines):
                _draw_line(writer, writer.left + number * (width + GUTTER), writer.y, lines[row])
        writer.blank = False


def _titles(writer, titles, width: float) -> None:
    writer.y -= LEADING
    for number, title in enumerate(titles):
        fonts.draw(writer.canvas, writer.left + number * (width + GUTTER), writer.y, title, fonts.BOLD, SIZE + 0.5)
    writer.canvas.setLineWidth(0.5)
    writer.canvas.line(writer.left, writer.y - 3, writer.right, writer.y - 3)
    writer.y -= 4
    writer.blank = False


def _lines(side: Side, width: float) -> list[list[tuple[str, bool]]]:
    """The text wrapped to `width`: each line a list of (piece, shared?) segments."""
    shared = bytearray(len(side.text))
    for start, end in side.shared:
        shared[start:end] = b"\x01" * (end - start)
    lines: list[list[tuple[str, bool]]] = []
    place = 0
    for paragraph in side.text.split("\n"):
        line: list[tuple[str, bool]] = []
        used = 0.0
        for match in _TOKEN.finditer(paragraph):
            token_start = place + match.start()
            for piece in _pieces(match.group(), width):
                piece_width = fonts.width(piece.rstrip(), fonts.SANS, SIZE)
                if line and used + piece_width > width:
                    lines.append(line)
                    line, used = [], 0.0
                for segment in _segments(piece, token_start, shared):
                    if line and line[-1][1] == segment[1]:  # one run: the underline is unbroken
                        line[-1] = (line[-1][0] + segment[0], segment[1])
                    else:
                        line.append(segment)
                used += fonts.width(piece, fonts.SANS, SIZE)
                token_start += len(piece)
        lines.append(line)
        place += len(paragraph) + 1
    return lines


def _pieces(token: str, width: float) -> list[str]:
    """A token, broken into pieces that fit the column (a very long word or URL)."""
    if fonts.width(token.rstrip(), fonts.SANS, SIZE) <= width:
        return [token]
    pieces, current = [], ""
    for char in token:
        if current and fonts.width(current + char, fonts.SANS, SIZE) > width:
            pieces.append(current)
            current = ""
        current += char
    return pieces + [current] if current else pieces


def _segments(piece: str, start: int, shared: bytearray) -> list[tuple[str, bool]]:
    segments: list[tuple[str, bool]] = []
    for offset, char in enumerate(piece):
        flag = bool(shared[start + offset]) if start + offset < len(shared) else False
        if segments and segments[-1][1] == flag:
            segments[-1] = (segments[-1][0] + char, flag)
        else:
            segments.append((char, flag))
    return segments


def _draw_line(writer, x: float, y: float, segments) -> None:
    canvas = writer.canvas
    for text, shared in segments:
        text = fonts.clean(text)
        piece_width = fonts.width(text, fonts.SANS, SIZE)
        if shared and text.strip():
            canvas.setFillColorRGB(*SHADE)
            canvas.rect(x, y - SIZE * 0.3, piece_width, SIZE * 1.25, fill=1, stroke=0)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.setLineWidth(0.6)
            drawn = fonts.width(text.rstrip(), fonts.SANS, SIZE)
            canvas.line(x, y - SIZE * 0.18, x + drawn, y - SIZE * 0.18)
        fonts.draw(canvas, x, y, text, fonts.SANS, SIZE)
        x += piece_width
