"""Words as provenance compares them: one normalisation, one tokenizer, one stable hash.

Two texts share a passage when they share a run of the same *normalised* words. The
normalisation undoes what a copier does to hide a copy, and what text goes through on
its way (fonts, OCR, web pages): Unicode compatibility forms (NFKC: full-width letters,
ligatures), Cyrillic and Greek letters that look like Latin ones (a copier's favourite
trick), zero-width characters and soft hyphens (invisible), and case. Chinese, Japanese
and Korean text has no spaces: each of those characters counts as one word.

Texts that are plain ASCII (most API logs) take a fast path with the same result.
"""

import hashlib
import re
import unicodedata

# Look-alikes: letters other scripts draw like Latin ones, mapped to the Latin letter
# (applied after NFKC and before casefolding, so Η (capital eta, "H") and η ("n") differ).
_LOOKALIKES = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ү": "y", "ѵ": "v",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "α": "a", "ο": "o", "ρ": "p", "ι": "i", "κ": "k", "ν": "v", "υ": "u", "χ": "x", "ε": "e",
}  # fmt: skip
ZERO_WIDTH = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_TRANSLATION = str.maketrans({**_LOOKALIKES, **{c: None for c in ZERO_WIDTH}})
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# One CJK character, or a run of other letters and digits (underscore is punctuation here).
WORD = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
# The same over text as written: a zero-width character inside a word does not split it.
_WRITTEN_WORD = re.compile(f"[{_CJK}]|(?:[^\\W_{_CJK}]|[{ZERO_WIDTH}])+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_HASH_MASK = (1 << 63) - 1


def normalise(text: str) -> str:
    """NFKC, look-alikes to Latin, zero-width characters removed, casefolded."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATION).casefold()


def normalise_spacing(text: str) -> str:
    """`normalise` with every run of white space as one space (for phrases and canaries)."""
    return " ".join(normalise(text).split())


def words(text: str) -> list[str]:
    """The text's normalised words, in order."""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return [w for _s, _e, w in word_spans(text)]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised word) for each word, with its place in the text as written."""
    if text.isascii():
        return [(m.start(), m.end(), m.group()) for m in _ASCII_WORD.finditer(text.lower())]
    spans = []
    for match in _WRITTEN_WORD.finditer(text):
        # normalising may split one written word (NFKC "½" is "1⁄2"): its parts share its place
        for part in WORD.findall(normalise(match.group())):
            spans.append((match.start(), match.end(), part))
    return spans


class WordHashes:
    """A stable 63-bit hash per word (the same in every process: reproducible fingerprints).

    Python's own str hash changes from run to run, so BLAKE2b is used, with a bounded
    cache: text repeats its words, and hashing each occurrence again is the slow part.
    """

    CACHE_LIMIT = 200_000  # ~30 MB of words; a larger vocabulary is hashed again after a clear

    def __init__(self):
        self._cache: dict[str, int] = {}

    def of(self, word_list: list[str]) -> list[int]:
        cache = self._cache
        if len(cache) > self.CACHE_LIMIT:
            cache.clear()
        values = list(map(cache.get, word_list))  # the loop in C: most words are known
        if None in values:
            for index, value in enumerate(values):
                if value is None:
                    word = word_list[index]
                    values[index] = cache[word] = cache.get(word) or _hash(word)
        return values  # type: ignore[return-value]


def _hash(word: str) -> int:
    digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") & _HASH_MASK
