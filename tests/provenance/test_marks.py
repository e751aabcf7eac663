"""Canaries and self-identification: exact, after normalising case, spacing and look-alikes, in Chinese."""

import json

from provenance_corpus import import_as

from app.analysis.provenance.marks import find_marks, needles
from app.analysis.provenance.operation import trace_outputs
from app.analysis.settings import load_settings
from app.core.cancel import run_to_end
from app.store import provenance_links as store

CANARY = "Quartz Lantern 7731"
PHRASES = load_settings()["provenance"]["self_identification"]


def _found(text: str, canaries=(CANARY,), names=("Sage", "Northwind AI")):
    return find_marks(1, [(0, text)], needles(list(canaries), list(names), PHRASES))


def test_a_canary_is_found_exactly_and_after_normalising():
    assert [(m.how, m.found) for m in _found(f"... the answer is {CANARY} as noted.")] == [("exact", CANARY)]
    disguised = [
        "quartz lantern 7731",  # case
        "Quartz   Lantern\n7731",  # spacing
        "Qu\u0430rtz L\u0430ntern 7731",  # Cyrillic а for Latin a
        "Quartz\u200b Lan\u200dtern 7731",  # zero-width characters
        "Ｑｕａｒｔｚ Ｌａｎｔｅｒｎ ７７３１",  # full-width forms
        "QuartzLantern7731",  # spaces removed
    ]
    for text in disguised:
        marks = _found(f"Output: {text}.")
        assert [m.how for m in marks] == ["normalised"], text
        assert marks[0].found == text  # shown as written in the item
    assert _found("Quartz Lantern 7732 and Quartz Lamp 7731") == []


def test_a_canary_inside_chinese_text_is_found():
    text = f"这是模型的回答，其中包含{CANARY}，请注意。"
    marks = _found(text)
    assert len(marks) == 1 and marks[0].how == "exact"
    assert text[marks[0].start : marks[0].end] == CANARY


def test_self_identification_in_english_and_chinese_with_look_alikes():
    found = {(m.term, m.how) for m in _found("Hello! I am Sage, trained by Northwind AI.")}
    assert found == {("I am Sage", "exact"), ("trained by Northwind AI", "exact")}
    found = {(m.term, m.how) for m in _found("I \u0430m S\u0430ge, tr\u0430ined by NORTHWIND  AI")}
    assert found == {("I am Sage", "normalised"), ("trained by Northwind AI", "normalised")}
    found = {m.term for m in _found("你好！我是 Sage，由Northwind AI训练的大型语言模型。")}
    assert found == {"我是Sage", "由Northwind AI训练", "Northwind AI训练的"}
    # a longer word is not the name; and a name mentioned is not a claim to be it
    assert _found("I am Sagebrush Bot, made by Orca Labs. Sage is a rival.") == []


def test_only_the_models_turns_count_in_a_chat_and_found_marks_are_stored(case, tmp_path):
    chat = {
        "conversation_id": "c1",
        "messages": [
            {"role": "system", "content": "You are Orca."},
            {"role": "user", "content": "Are you Sage? I am Sage's fan."},
            {"role": "assistant", "content": f"I am Sage, a model from Northwind AI. Code: {CANARY.upper()}"},
        ],
    }
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps(chat) + "\n", encoding="utf-8")
    import_as(case, path, "outputs")
    document = tmp_path / "memo.txt"
    document.write_text("Internal memo: the string qu\u0430rtz lantern 7731 appeared in their dataset.\n")
    import_as(case, document, "document")
    store.add_term(case, "canary", CANARY)
    store.add_term(case, "lab_name", "Sage")
    store.add_term(case, "lab_name", "Northwind AI")
    run_to_end(trace_outputs(case, load_settings()))
    marks = store.marks(case.conn)
    kinds = sorted((m["kind"], m["term"], m["how"]) for m in marks)
    assert kinds == [
        ("canary", CANARY, "normalised"),
        ("canary", CANARY, "normalised"),
        ("self_identification", "I am Sage", "exact"),
        ("self_identification", "a model from Northwind AI", "exact"),
    ]
    text = case.conn.execute(
        "SELECT text FROM item_bodies WHERE id = ?", (next(m["item_id"] for m in marks if m["term"] == "I am Sage"),)
    ).fetchone()[0]
    mark = next(m for m in marks if m["term"] == "I am Sage")
    assert text[mark["start"] : mark["end"]] == "I am Sage"  # the place in the item's own text
