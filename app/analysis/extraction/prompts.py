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

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from app.core.paths import resources_dir

_QUOTED = re.compile(r"\"[^\"]{1,400}\"|“[^”]{1,400}”|「[^」]{1,400}」|'[^'\s][^']{0,398}'(?=\W|$)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+")
_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")
_IDENTIFIER = re.compile(r"\b(?=\w*\d)(?=\w*[a-z_])\w{3,}\b")  # words of letters and digits: ids, codes
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])")
_TOKEN = re.compile(r"‹[a-z]›|[^\s]+")
_TASK_NUMBER = re.compile(
    r"^\s*(?:(?:task|question|problem|exercise|item|prompt|case|sample|q|no\.?|#)\s*[#№:.]?\s*(\d{1,7})\b"
    r"|(\d{1,7})\s*[.):]\s|第\s*(\d{1,7})\s*[题个道])",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z][a-z'-]+")


def signature(text: str) -> int:
    """A stable signed 64-bit digest (it fits an SQLite INTEGER)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def normalise(prompt: str) -> str:
    """Lower case, with the parts that change from one filling to the next replaced."""
    text = prompt.lower()
    text = _QUOTED.sub(" ‹q› ", text)
    text = _URL.sub(" ‹u› ", text)
    text = _IDENTIFIER.sub("‹i›", text)
    text = _NUMBER.sub("‹n›", text)
    text = _CJK.sub(r" \1 ", text)
    return text


def tokens(normalised: str) -> list[str]:
    return _TOKEN.findall(normalised)


@dataclass(frozen=True)
class Shape:
    """A prompt's templates and filling, as signatures."""

    prefix: int  # the prefix template
    suffix: int  # the suffix template
    whole: int  # the whole prompt: distinct ones are distinct fillings


def shape(prompt: str, prefix_tokens: int, suffix_tokens: int) -> Shape:
    """The prompt's templates (over its normalised tokens) and its filling (the prompt as
    written, spacing aside: a quoted passage or a number that changes is a new filling)."""
    parts = tokens(normalise(prompt))
    whole = signature(" ".join(prompt.split()))
    if len(parts) <= max(prefix_tokens, suffix_tokens):
        template = signature("=" + " ".join(parts))
        return Shape(template, template, whole)
    return Shape(
        signature("<" + " ".join(parts[:prefix_tokens])),
        signature(">" + " ".join(parts[-suffix_tokens:])),
        whole,
    )


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
    """Phrases matched case-insensitively anywhere in a prompt (English, Chinese, ...)."""

    def __init__(self, phrases: list[str]):
        self.phrases = sorted({p.strip().lower() for p in phrases if p.strip()})
        self._pattern = re.compile("|".join(re.escape(p) for p in self.phrases)) if self.phrases else None

    def matches(self, prompt: str) -> bool:
        return bool(self._pattern and self._pattern.search(prompt.lower()))


class Domains:
    """Domains of knowledge, each with its words; a prompt's domain is the first that matches."""

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

    def of(self, prompt: str) -> int | None:
        text = prompt.lower()
        found = [self._words[w] for w in _WORD.findall(text) if w in self._words]
        found += [index for word, index in self._cjk if word in text]
        return min(found) if found else None


def read_phrase_file(name: str) -> list[str]:
    """A phrase list under resources/analysis/ (or a path): one phrase a line, "#" comments."""
    path = Path(name) if Path(name).is_absolute() else resources_dir() / "analysis" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def read_domains_file(name: str) -> dict[str, list[str]]:
    path = Path(name) if Path(name).is_absolute() else resources_dir() / "analysis" / name
    domains = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in domains.items() if not k.startswith("_")}
