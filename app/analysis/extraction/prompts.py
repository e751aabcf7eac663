"""What a prompt says about the way it was written: its template, whether it asks for the
model's reasoning, whether it is a numbered task, which domain of knowledge it is in.

Templates. A harvesting script fills one sentence with changing content ("Explain
{topic} step by step ..."). A prompt is normalised (lower case; numbers, quoted spans,
addresses and identifier-like words replaced by placeholders) and split into tokens
(words; each Chinese, Japanese or Korean character is a token). Its *prefix template*
is its first N tokens and its *suffix template* its last N; the filling is whatever
else changes. A prompt of N tokens or fewer is its own template, so a health check that
repeats one tiny prompt has one template with one filling, not thousands.

Every signature is a 64-bit BLAKE2b digest: stable across runs and machines (Python's
own `hash` is salted per process), so the same case gives the same findings.
"""

import json
import re
import zlib
from pathlib import Path

from app.core.paths import resources_dir

_QUOTED = re.compile(r"\"[^\"]{1,400}\"|“[^”]{1,400}”|「[^」]{1,400}」|'[^'\s][^']{0,398}'(?=\W|$)")
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])")
_VARYING = re.compile(r"[\d@]|://|www\.")  # a digit, an address: a word that changes between fillings
_WORD = re.compile(r"[a-z][a-z'-]+")
_TASK_NUMBER = re.compile(
    r"^\s*(?:(?:task|question|problem|exercise|item|prompt|case|sample|q|no\.?|#)\s*[#№:.]?\s*(\d{1,7})\b"
    r"|(\d{1,7})\s*[.):]\s|第\s*(\d{1,7})\s*[题个道])",
    re.IGNORECASE,
)
WINDOW = 240  # characters read at each end of a long prompt: the template's fixed words are there
DOMAIN_WINDOW = 600  # characters of a prompt searched for a domain's words


def signature(text: str) -> int:
    """A stable signed 64-bit digest (it fits an SQLite INTEGER): CRC-32 and Adler-32 side by
    side, both in C and stable across runs and machines."""
    data = text.encode("utf-8")
    return ((zlib.crc32(data) << 32) | zlib.adler32(data)) - (1 << 63)


def _words(lowered: str) -> list[str]:
    """Words of a lower-cased text, a quoted passage one placeholder, each CJK character a word."""
    if (
        '"' in lowered or "'" in lowered or "“" in lowered or "「" in lowered
    ):  # any quote mark (four tests: faster than a loop)
        lowered = _QUOTED.sub(" ‹q› ", lowered)
    if not lowered.isascii():
        lowered = _CJK.sub(r" \1 ", lowered)
    return lowered.split()


def _varying(text: str) -> str:
    """Words with a digit (numbers, codes, ids) and addresses replaced by one placeholder.
    (A scan first: most template words have none, and a per-word pattern is 10x slower.)"""
    if not _VARYING.search(text):
        return text
    return " ".join("‹v›" if _VARYING.search(word) else word for word in text.split(" "))


def tokens(prompt: str) -> list[str]:
    """The normalised words of a whole prompt (what its templates are made of)."""
    return _varying(" ".join(_words(prompt.lower()))).split()


def shape(prompt: str, prefix_tokens: int, suffix_tokens: int, lowered: str | None = None) -> tuple[int, int, int]:
    """(prefix template, suffix template, filling) of a prompt, as signatures: the templates over
    its normalised words, the filling over the prompt as written (a quoted passage or a number
    that changes is a new filling). Only the first and last WINDOW characters of a long prompt
    are read for its templates."""
    lowered = prompt.lower() if lowered is None else lowered
    if len(lowered) > 2 * WINDOW:  # the words cut at the window edges are dropped
        words = _words(lowered[:WINDOW])[:-1] + ["…"] + _words(lowered[-WINDOW:])[1:]
    else:
        words = _words(lowered)
    whole = signature(prompt)
    if len(words) <= max(prefix_tokens, suffix_tokens):
        template = signature("=" + _varying(" ".join(words)))
        return template, template, whole
    both = _varying(" ".join(words[:prefix_tokens]) + " \x00 " + " ".join(words[-suffix_tokens:]))
    head, _, tail = both.partition(" \x00 ")
    return signature("<" + head), signature(">" + tail), whole


def template_text(prompt: str, side: str, count: int) -> str:
    """A template shown to a reader: its fixed words with "..." where the filling goes."""
    words = prompt.split()
    if len(words) <= count:
        return prompt
    return " ".join(words[:count]) + " ..." if side == "prefix" else "... " + " ".join(words[-count:])


def task_number(prompt: str) -> int | None:
    """The number of a numbered task ("Task 17:", "Q12.", "3) ...", "第5题"), else None."""
    match = _TASK_NUMBER.match(prompt)
    if not match:
        return None
    return int(next(group for group in match.groups() if group))


def estimated_tokens(text: str) -> int:
    """Tokens of a text when the log does not say: ~4 characters a token, one per CJK character."""
    if not text:
        return 0
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


class PhraseList:
    """Phrases matched case-insensitively anywhere in a prompt (English, Chinese, ...).

    Plain substring tests: for prompts of a kilobyte, forty `in` tests in C are faster than
    one regular expression of forty alternatives, which Python tries at every position."""

    def __init__(self, phrases: list[str]):
        self.phrases = sorted({p.strip().lower() for p in phrases if p.strip()})
        # Tested: a phrase holding another listed phrase never decides a match (the shorter one
        # is found first), and a prompt in plain ASCII cannot hold a phrase that is not.
        tested = [p for p in self.phrases if not any(q != p and q in p for q in self.phrases)]
        self._ascii = [p for p in tested if p.isascii()]
        self._every = tested

    def matches(self, lowered: str) -> bool:
        """Whether a prompt already in lower case holds one of the phrases."""
        for phrase in self._ascii if lowered.isascii() else self._every:
            if phrase in lowered:
                return True
        return False


class Domains:
    """Domains of knowledge, each with its words; a prompt's domain is that of the first of
    those words in its opening DOMAIN_WINDOW characters (Chinese words: the first domain listed)."""

    def __init__(self, domains: dict[str, list[str]]):
        self.names = [name for name in domains if not name.startswith("_")]
        self._words: dict[str, int] = {}
        self._cjk: list[tuple[str, int]] = []
        for index, name in enumerate(self.names):
            for word in domains[name]:
                word = word.lower()
                if _CJK.search(word):
                    self._cjk.append((word, index))
                else:
                    self._words.setdefault(word, index)

    def of(self, lowered: str) -> int | None:
        """The domain of a prompt already in lower case, or None."""
        text = lowered[:DOMAIN_WINDOW]
        words = self._words
        found = _WORD.findall(text)
        found = None if words.keys().isdisjoint(found) else next(words[w] for w in found if w in words)
        if found is None and not text.isascii():
            found = next((index for word, index in self._cjk if word in text), None)
        return found


def read_phrase_file(name: str) -> list[str]:
    """A phrase list under resources/analysis/ (or a path): one phrase a line, "#" comments."""
    path = Path(name) if Path(name).is_absolute() else resources_dir() / "analysis" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def read_domains_file(name: str) -> dict[str, list[str]]:
    path = Path(name) if Path(name).is_absolute() else resources_dir() / "analysis" / name
    domains = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in domains.items() if not k.startswith("_")}
