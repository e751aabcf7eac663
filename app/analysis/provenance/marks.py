"""Canary strings and self-identification, found in items as written and after normalising.

A *canary* is a string the lab planted in its responses; found in a competitor's output
or document it is hard to explain without copying. A copier may change its case, its
spacing or swap letters for look-alikes (Cyrillic "а" for Latin "a"), or slip in
zero-width characters, so each text is also compared after normalising all of that
(app/analysis/provenance/words.py): canaries with every space removed, phrases with
spaces made single. A find is "exact" when the text holds the term as registered,
"normalised" when only the normalised text does.

*Self-identification*: the competitor's model naming the lab or its model as its maker
or identity ("I am Sage", "trained by Northwind AI", "我是Sage"). Phrases are templates
with `{name}` from an editable list per language (the "provenance" analysis settings),
the names are the case's own (registered per case), else the settings' defaults.
"""

import re
import unicodedata
from dataclasses import dataclass

from app.analysis.provenance.words import normalise
from app.store.provenance_links import MarkRow

_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
MARKS_PER_TERM = 20  # finds of one term in one item (a long document repeating it says enough)


@dataclass(frozen=True)
class Needle:
    kind: str  # "canary" or "self_identification"
    term: str  # as registered (a phrase with its name filled in)
    spaceless: bool  # compare with every space removed (canaries, CJK phrases)

    @property
    def key(self) -> str:
        return _folded(self.term, self.spaceless)[0]


def needles(canaries: list[str], names: list[str], phrases: dict[str, list[str]]) -> list[Needle]:
    found = [Needle("canary", c, True) for c in canaries if c.strip()]
    for templates in phrases.values():
        for template in templates:
            for name in names:
                term = template.replace("{name}", name)
                found.append(Needle("self_identification", term, bool(_CJK.search(term))))
    return [n for n in found if n.key]


def find_marks(item_id: int, segments: list[tuple[int, str]], wanted: list[Needle]) -> list[MarkRow]:
    """Every needle found in the item's segments ((offset in the item's text, segment text))."""
    marks = []
    for offset, segment in segments:
        folded: dict[bool, tuple[str, list[int]] | None] = {}
        quick = {True: _quick(segment, True), False: _quick(segment, False)}
        for needle in wanted:
            key = needle.key
            if key not in quick[needle.spaceless]:
                continue
            if folded.get(needle.spaceless) is None:
                folded[needle.spaceless] = _folded(segment, needle.spaceless)
            text, places = folded[needle.spaceless]
            marks += _occurrences(item_id, offset, segment, needle, key, text, places)
    return marks


def _occurrences(item_id, offset, segment, needle, key, text, places) -> list[MarkRow]:
    found, start = [], text.find(key)
    while start >= 0 and len(found) < MARKS_PER_TERM:
        end = start + len(key)
        if needle.spaceless or _whole_words(text, start, end):
            first, last = places[start], places[end - 1] + 1
            written = segment[first:last]
            how = "exact" if needle.term in written or written == needle.term else "normalised"
            found.append(MarkRow(item_id, needle.kind, needle.term, written, how, offset + first, offset + last))
        start = text.find(key, end)
    return found


def _whole_words(text: str, start: int, end: int) -> bool:
    """A phrase is not found inside a longer word ("I am Sage" in "I am Sagebrush")."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (after.isalnum() and text[end - 1].isalnum())


def _quick(text: str, spaceless: bool) -> str:
    """The normalised text without places: to rule an item out cheaply."""
    folded = normalise(text)
    return "".join(folded.split()) if spaceless else " ".join(folded.split())


def _folded(text: str, spaceless: bool) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, where it comes from in `text`."""
    chars: list[str] = []
    places: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        part = normalise(unicodedata.normalize("NFKC", char))
        if not part:
            continue  # zero-width
        if pending_space and not spaceless:
            chars.append(" ")
            places.append(index - 1)
        pending_space = False
        for piece in part:
            chars.append(piece)
            places.append(index)
    return "".join(chars), places
