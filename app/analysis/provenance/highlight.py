"""Where the shared passages are in each text as written: for the compare view and the exhibit."""

from dataclasses import dataclass

from app.analysis.provenance.passages import Comparison, boilerplate_positions, compare
from app.analysis.provenance.words import word_spans, words


@dataclass
class Side:
    text: str
    shared: list[tuple[int, int]]  # character ranges inside shared passages, in order, merged


def shared_ranges(text: str, starts_and_lengths: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character ranges of `text` covered by word runs (start word index, length in words)."""
    spans = word_spans(text)
    ranges = []
    for start, length in sorted(starts_and_lengths):
        if length <= 0 or start + length > len(spans):
            continue
        first, last = spans[start][0], spans[start + length - 1][1]
        if ranges and first <= ranges[-1][1] + 1 and _only_space_between(text, ranges[-1][1], first):
            ranges[-1] = (ranges[-1][0], max(last, ranges[-1][1]))
        else:
            ranges.append((first, last))
    return ranges


def _only_space_between(text: str, end: int, start: int) -> bool:
    return not text[end:start].strip()


def sides(output: str, response: str, passages: list) -> tuple[Side, Side]:
    """Both texts with their shared ranges, from a link's passages ([[output word, response word, length]])."""
    return (
        Side(output, shared_ranges(output, [(p[0], p[2]) for p in passages])),
        Side(response, shared_ranges(response, [(p[1], p[2]) for p in passages])),
    )


def compare_texts(output: str, response: str, settings: dict) -> Comparison:
    """The shared passages of two texts under the provenance settings (boilerplate phrases masked)."""
    phrases = [words(p) for p in settings["boilerplate_phrases"]]
    out, resp = words(output), words(response)
    return compare(
        out,
        resp,
        settings["min_passage_words"],
        boilerplate_positions(out, phrases),
        boilerplate_positions(resp, phrases),
    )


def passage_list(result: Comparison) -> list[list[int]]:
    """[[output word, response word, length], ...]: how a link stores its passages."""
    return [[p.output_start, p.response_start, p.length] for p in result.passages]


def pieces(side: Side) -> list[tuple[str, bool]]:
    """The text cut into (piece, shared?) in order."""
    result, place = [], 0
    for start, end in side.shared:
        if start > place:
            result.append((side.text[place:start], False))
        result.append((side.text[start:end], True))
        place = end
    if place < len(side.text):
        result.append((side.text[place:], False))
    return result
