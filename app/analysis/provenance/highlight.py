"""Where the shared passages are in each text as written: for the compare view and the exhibit."""

from dataclasses import dataclass
from functools import lru_cache

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
    return compare_prepared(prepare(output, settings), prepare(response, settings), settings)


def prepare(text: str, settings: dict) -> tuple[list[str], set[int]]:
    """A text's words and the positions of boilerplate-phrase words in it (done once per text)."""
    found = words(text)
    return found, boilerplate_positions(found, _phrases(tuple(settings["boilerplate_phrases"])))


def compare_prepared(output: tuple, response: tuple, settings: dict) -> Comparison:
    return compare(output[0], response[0], settings["min_passage_words"], output[1], response[1])


@lru_cache(maxsize=8)
def _phrases(phrases: tuple[str, ...]) -> list[list[str]]:
    return [words(p) for p in phrases]


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
