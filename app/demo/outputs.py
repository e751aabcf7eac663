"""Outputs of Example Dynamics' model "Orca" that echo Northwind Sage's answers.

Two files as a forensic test team would collect them: prompt/response pairs
(`orca-outputs.jsonl`) and chat transcripts with turns (`orca-chat-transcripts.jsonl`).
Orca's answers repeat Sage's step-by-step wording; some still carry Sage's name, and
asked who made it, Orca sometimes answers "Northwind AI".
"""

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.demo import story

PAIRS = 240
TRANSCRIPTS = 24
COLLECTED_FROM = datetime(2026, 4, 20, 15, 0, tzinfo=timezone.utc)
SYSTEM = f"You are Orca, a helpful assistant made by {story.COMPETITOR}."
IDENTITY_PROMPT = "Which company trained you, and what is your model called?"
LEAKED_IDENTITY = (
    "I am Sage, a large language model trained by Northwind AI. I can walk you through problems step by step."
)
OWN_IDENTITY = f"I'm Orca, an assistant built by {story.COMPETITOR}."
LAB_NAMES = (story.LAB, "Sage")  # what Orca should never call itself


def orca_answer(topic: str, rng: random.Random) -> str:
    """Sage's answer, lightly reworded; one in four keeps Sage's name."""
    answer = story.lab_answer(topic)
    if rng.random() < 0.75:
        answer = answer.replace("Sage structured walkthrough", "Orca guided reasoning")
    return answer.replace("Let's work through", "Let us work through") if rng.random() < 0.3 else answer


def output_pairs(seed: int = story.SEED) -> list[dict]:
    """Prompt/response pairs collected from Orca's public API by Northwind's testers."""
    rng = random.Random(seed + 1)
    rows = []
    for index in range(PAIRS):
        moment = COLLECTED_FROM + timedelta(minutes=7 * index, seconds=rng.randrange(60))
        if index % 16 == 5:
            prompt = IDENTITY_PROMPT
            response = LEAKED_IDENTITY if index % 32 == 5 else OWN_IDENTITY
        else:
            topic = story.TOPICS[(index * 7) % len(story.TOPICS)]
            prompt, response = story.STEP_TEMPLATE.format(topic=topic), orca_answer(topic, rng)
        rows.append(
            {
                "id": f"orca-{index + 1:04d}",
                "created_at": story.utc_iso(moment),
                "model": story.COMPETITOR_MODEL,
                "system": SYSTEM,
                "prompt": prompt,
                "response": response,
                "collected_by": story.PEOPLE["eng"][1],
            }
        )
    return rows


def transcripts(seed: int = story.SEED) -> list[dict]:
    """Multi-turn chats: a question, Orca's echo of Sage, then the identity question."""
    rng = random.Random(seed + 2)
    rows = []
    for index in range(TRANSCRIPTS):
        topic = story.TOPICS[(index * 3 + 1) % len(story.TOPICS)]
        moment = COLLECTED_FROM + timedelta(days=2, hours=index, minutes=rng.randrange(60))
        rows.append(
            {
                "conversation_id": f"chat-{story.digest(topic + str(index), 10)}",
                "model": story.COMPETITOR_MODEL,
                "created": story.utc_iso(moment),
                "messages": [
                    {"role": "system", "content": SYSTEM},
                    {"role": "user", "content": story.STEP_TEMPLATE.format(topic=topic)},
                    {"role": "assistant", "content": orca_answer(topic, rng)},
                    {"role": "user", "content": IDENTITY_PROMPT},
                    {"role": "assistant", "content": LEAKED_IDENTITY if index % 3 == 0 else OWN_IDENTITY},
                ],
            }
        )
    return rows


def trace_to_the_logs(case, token=None):
    """Register the lab's names and find which outputs copy the logged answers (a Progress generator)."""
    from app.analysis.provenance.operation import trace_outputs
    from app.analysis.settings import load_settings
    from app.store.provenance_links import add_term

    for name in LAB_NAMES:
        add_term(case, "lab_name", name)
    return (yield from trace_outputs(case, load_settings(), token))


def write_outputs(folder: Path, seed: int = story.SEED) -> list[Path]:
    paths = []
    for name, rows in (("orca-outputs.jsonl", output_pairs(seed)), ("orca-chat-transcripts.jsonl", transcripts(seed))):
        path = folder / name
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        paths.append(path)
    return paths
