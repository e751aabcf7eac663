"""Long lists and strings are encoded a piece at a time into exactly the text json.dumps
gives (the audit chain hashes that text), so a worker writing a million-item audit entry
never holds the interpreter -- and the window -- for the whole encoding."""

import json
import random

from hypothesis import given
from hypothesis import strategies as st

from app.core import hashing
from app.core.hashing import canonical_json


def _reference(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def test_a_million_ids_encode_as_one_call_would(monkeypatch):
    ids = list(range(1, 1_000_001))
    details = {"code": "HOT", "item_ids": ids, "note": None, "tos_version": "2025-09"}
    assert canonical_json(details) == _reference(details)
    text = canonical_json(details)
    fields = [7, "2026-01-01T00:00:00Z", "tester", "host", "tag", text]
    assert canonical_json(fields) == _reference(fields)


def test_pieces_are_used_for_long_values(monkeypatch):
    calls = []
    real = hashing._dumps
    monkeypatch.setattr(hashing, "_dumps", lambda value: (calls.append(value), real(value))[1])
    canonical_json({"item_ids": list(range(100_000))})
    assert max(len(v) for v in calls if isinstance(v, list)) <= hashing.JSON_CHUNK


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=5), children, max_size=5),
    max_leaves=20,
)


@given(json_values)
def test_any_value_encodes_as_json_dumps_does(value):
    assert canonical_json(value) == _reference(value)


def test_long_text_with_escapes_and_mixed_lists(monkeypatch):
    monkeypatch.setattr(hashing, "JSON_CHUNK", 7)
    rng = random.Random(3)
    text = "".join(rng.choice('ab"\\\n\té中\u2028') for _ in range(200))
    value = {"z": [text, 1, 2.5, None, True, {"k": [1] * 30}], "a": text, "m": list(range(50))}
    assert canonical_json(value) == _reference(value)
    assert canonical_json([value] * 9) == _reference([value] * 9)
