"""A generated log and generated outputs with known ground truth, for provenance tests.

Logged responses are sentences of made-up words (no passage is shared by chance). Many
responses carry the lab's common template sentence (boilerplate by how many responses
share it) and phrases from the boilerplate list. Outputs fall into classes whose right
answer is known: verbatim copies, light edits, partial embeddings, heavy paraphrases,
unrelated text and boilerplate-only look-alikes.
"""

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files

TEMPLATE = (
    "Here is a structured answer with the key points laid out in order so that you can review "
    "each of them carefully before you decide"
)
PHRASES = ("As an AI language model, I can explain this.", "I hope this helps.")
COPY_CLASSES = ("verbatim", "light_edit", "partial")
NO_LINK_CLASSES = ("paraphrase", "unrelated", "boilerplate")


@dataclass
class Corpus:
    log_rows: list[dict]
    outputs: list[dict]
    truth: dict[str, str] = field(default_factory=dict)  # output id -> class
    source: dict[str, list[str]] = field(default_factory=dict)  # output id -> request ids it copies


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    syllables = ["ka", "lo", "mi", "ne", "ra", "to", "su", "ve", "di", "pa", "gen", "ion", "tal", "mor", "ust", "ba"]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    return sorted(words)


def _sentences(rng, vocabulary, count: int) -> list[str]:
    result = []
    for _ in range(count):
        words = rng.choices(vocabulary, k=rng.randint(8, 16))
        result.append(" ".join(words).capitalize() + ".")
    return result


def _text(rng, vocabulary, words: int) -> str:
    parts, total = [], 0
    while total < words:
        sentence = _sentences(rng, vocabulary, 1)[0]
        parts.append(sentence)
        total += len(sentence.split())
    return " ".join(parts)


def build(seed: int = 17, responses: int = 600, per_class: int = 12) -> Corpus:
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    rows = []
    for number in range(responses):
        body = _text(rng, vocabulary, rng.randint(90, 200))
        if number % 3 == 0:
            body = f"{PHRASES[0]} {body} {TEMPLATE}."
        elif number % 3 == 1:
            body = f"{body} {PHRASES[1]} {TEMPLATE}."
        rows.append(_row(number, start + timedelta(minutes=number), body, rng))
    # the same answer logged again later (a repeated prompt): one text, several rows
    for number in range(0, 40, 4):
        again = dict(rows[number])
        again["request_id"] = f"req-again-{number}"
        again["timestamp"] = (start + timedelta(days=3, minutes=number)).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append(again)
    corpus = Corpus(rows, [])
    picks = rng.sample(range(responses), 3 * per_class)
    for index, number in enumerate(picks):
        kind = COPY_CLASSES[index % 3]
        response = rows[number]["response"]
        text = {"verbatim": lambda r: r, "light_edit": _light_edit, "partial": _partial}[kind]
        text = text(response) if kind == "verbatim" else text(response, rng, vocabulary)
        _add(corpus, kind, text, [rows[number]["request_id"]])
    others = rng.sample([n for n in range(responses) if n not in picks], per_class)
    for number in others:
        _add(corpus, "paraphrase", _paraphrase(rows[number]["response"], rng, vocabulary), [])
    for _ in range(per_class):
        _add(corpus, "unrelated", _text(rng, vocabulary, rng.randint(80, 200)), [])
    for _ in range(per_class):
        filler = _text(rng, vocabulary, rng.randint(30, 60))
        _add(corpus, "boilerplate", f"{PHRASES[0]} {filler} {TEMPLATE}. {PHRASES[1]}", [])
    return corpus


def _row(number: int, moment: datetime, response: str, rng) -> dict:
    return {
        "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "request_id": f"req-{number:05d}",
        "account": f"acct-{number % 7:04d}",
        "status": 200,
        "model": "nw-sage-2",
        "prompt": f"Question {number}: explain the {rng.choice(['rule', 'method', 'case'])} step by step.",
        "response": response,
    }


def _add(corpus: Corpus, kind: str, text: str, sources: list[str]) -> None:
    output_id = f"out-{len(corpus.outputs):04d}"
    corpus.outputs.append({"id": output_id, "prompt": f"Prompt for {output_id}", "response": text})
    corpus.truth[output_id] = kind
    corpus.source[output_id] = sources


def _light_edit(text: str, rng, vocabulary) -> str:
    """Four edits: two words changed, one inserted, one deleted."""
    words = text.split()
    for _ in range(2):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    words.insert(rng.randrange(len(words)), rng.choice(vocabulary))
    del words[rng.randrange(len(words))]
    return " ".join(words)


def _partial(text: str, rng, vocabulary) -> str:
    """Sixty words of the response inside new text about three times as long."""
    words = text.split()
    start = rng.randrange(0, max(1, len(words) - 60))
    return f"{_text(rng, vocabulary, 70)} {' '.join(words[start : start + 60])} {_text(rng, vocabulary, 70)}"


def _paraphrase(text: str, rng, vocabulary) -> str:
    """The same length and sentence shapes, but every second word replaced and clauses swapped."""
    words = text.split()
    changed = [rng.choice(vocabulary) if i % 2 else w for i, w in enumerate(words)]
    half = len(changed) // 2
    return " ".join(changed[half:] + changed[:half])


def write(corpus: Corpus, folder) -> tuple:
    log = folder / "api-log.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in corpus.log_rows), encoding="utf-8")
    outputs = folder / "outputs.jsonl"
    outputs.write_text("".join(json.dumps(o) + "\n" for o in corpus.outputs), encoding="utf-8")
    return log, outputs


def import_as(case, path, family: str) -> None:
    report = run_to_end(import_files(case, [path], ImportSettings(as_kind=family, timezone="UTC")))
    assert all(f.error is None for f in report.files)


def request_ids(conn) -> dict[int, str]:
    """item id -> request id of each log row (read through the fields, as a user would)."""
    from app.store.item_query import get_item

    ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE kind = 'log_entry'")]
    return {i: get_item(conn, i)["fields"]["request_id"] for i in ids}


def output_ids(conn) -> dict[int, str]:
    from app.store.item_query import get_item

    ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE kind = 'output'")]
    return {i: get_item(conn, i)["fields"]["original"]["id"] for i in ids}
