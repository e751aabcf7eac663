"""Shared passages between an output and a logged response, in words.

A shared passage is a maximal run of at least `min_run` consecutive words that both
texts contain in the same order (normalised: app/analysis/provenance/words.py). They are
found greedily from the start of the output, always taking the longest run available,
so a passage copied twice, passages in another order, and a response embedded inside
other text are all found. A word inside a boilerplate phrase ("As an AI language
model") never starts or extends a passage: boilerplate cannot make a link.

The figures: `shared_words` (the output's words inside shared passages), `similarity`
(their share of the output's words) and `longest_run` (the longest passage, in words).
"""

from dataclasses import dataclass, field


@dataclass
class Passage:
    output_start: int  # word index in the output
    response_start: int  # word index in the response
    length: int  # words


@dataclass
class Comparison:
    output_words: int
    response_words: int
    passages: list[Passage] = field(default_factory=list)

    @property
    def shared_words(self) -> int:
        return sum(p.length for p in self.passages)

    @property
    def longest_run(self) -> int:
        return max((p.length for p in self.passages), default=0)

    @property
    def similarity(self) -> float:
        return self.shared_words / self.output_words if self.output_words else 0.0

    def response_shared_words(self) -> int:
        covered = set()
        for p in self.passages:
            covered.update(range(p.response_start, p.response_start + p.length))
        return len(covered)


def compare(
    output: list[str],
    response: list[str],
    min_run: int,
    output_boilerplate: set[int] = frozenset(),
    response_boilerplate: set[int] = frozenset(),
) -> Comparison:
    """The shared passages of `output` and `response` (lists of normalised words)."""
    result = Comparison(len(output), len(response))
    if len(output) < min_run or len(response) < min_run:
        return result
    response_blocked = _blocked_starts(len(response), min_run, response_boilerplate)
    output_blocked = _blocked_starts(len(output), min_run, output_boilerplate)
    starts: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(response) - min_run + 1):
        if j not in response_blocked:
            starts.setdefault(tuple(response[j : j + min_run]), []).append(j)
    used: set[int] = set()  # response words already in a passage: each copied word counts once
    i = 0
    while i <= len(output) - min_run:
        best = None
        if i not in output_blocked:
            for j in starts.get(tuple(output[i : i + min_run]), ()):
                if j in used:
                    continue
                length = _extend(output, response, i, j, min_run, output_boilerplate, response_boilerplate, used)
                if best is None or length > best[1]:
                    best = (j, length)
        if best is None:
            i += 1
            continue
        result.passages.append(Passage(i, best[0], best[1]))
        used.update(range(best[0], best[0] + best[1]))
        i += best[1]
    return result


def _blocked_starts(length: int, min_run: int, boilerplate: set[int]) -> set[int]:
    """Start positions whose first `min_run` words include a boilerplate word."""
    blocked: set[int] = set()
    for position in boilerplate:
        blocked.update(range(max(0, position - min_run + 1), min(position + 1, length)))
    return blocked


def _extend(output, response, i, j, length, output_boilerplate, response_boilerplate, used) -> int:
    while (
        i + length < len(output)
        and j + length < len(response)
        and output[i + length] == response[j + length]
        and i + length not in output_boilerplate
        and j + length not in response_boilerplate
        and j + length not in used
    ):
        length += 1
    return length


def boilerplate_positions(word_list: list[str], phrases: list[list[str]]) -> set[int]:
    """Indexes of the words inside any occurrence of a boilerplate phrase (each a list of words)."""
    positions: set[int] = set()
    by_first: dict[str, list[list[str]]] = {}
    for phrase in phrases:
        if phrase:
            by_first.setdefault(phrase[0], []).append(phrase)
    if by_first.keys().isdisjoint(word_list):
        return positions  # most texts: no phrase even starts here
    for i, word in enumerate(word_list):
        for phrase in by_first.get(word, ()):
            if word_list[i : i + len(phrase)] == phrase:
                positions.update(range(i, i + len(phrase)))
    return positions
