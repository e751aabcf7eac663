"""API access logs of Northwind AI: ~30,000 requests from 40 accounts.

Most accounts behave like ordinary customers (office hours in their own zone, one or
two keys, varied requests). Four accounts behave like an extraction operation: high
volume, templated step-by-step prompts, a new API key every few days, requests
around the clock from one address block. March is written as JSON lines, April as
CSV, as a lab's log export would be; the JSON-lines file ends in a line cut short by
log rotation, which the import must quarantine rather than lose.
"""

import csv
import json
import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from app.demo import story

SUSPICIOUS = {  # account id -> organisation name (front companies, invented)
    "acct-0007": "Quillon Research",
    "acct-0013": "Vantoria Data",
    "acct-0029": "Osmerix Labs",
    "acct-0036": "Pellucid Eval",
}
ACCOUNT_COUNT = 40
SUSPICIOUS_ROWS = 4500
ORDINARY_ROWS = 333
KEY_ROTATION_DAYS = 3
FIELDS = (
    "timestamp",
    "request_id",
    "account_id",
    "org_name",
    "api_key_id",
    "client_ip",
    "user_agent",
    "model",
    "endpoint",
    "status",
    "prompt_tokens",
    "completion_tokens",
    "latency_ms",
    "prompt",
    "response",
)
_SYLLABLES = ("zan", "mer", "quo", "bel", "tor", "vix", "lum", "dra", "sol", "ket", "pia", "ron")
_SUFFIXES = ("Labs", "Analytics", "Health", "Logistics", "Studio", "Legal", "Retail", "Bank")


@dataclass
class Account:
    account_id: str
    org_name: str
    suspicious: bool
    utc_offset_hours: int
    ip: str


def accounts(rng: random.Random) -> list[Account]:
    """The 40 customer accounts, four of them the extraction operation."""
    result = []
    for number in range(1, ACCOUNT_COUNT + 1):
        account_id = f"acct-{number:04d}"
        if account_id in SUSPICIOUS:
            result.append(Account(account_id, SUSPICIOUS[account_id], True, 8, ""))
            continue
        name = (rng.choice(_SYLLABLES) + rng.choice(_SYLLABLES)).capitalize() + " " + rng.choice(_SUFFIXES)
        ip = f"198.51.100.{number}" if number % 2 else f"192.0.2.{number}"
        result.append(Account(account_id, name, False, rng.choice((-8, -5, 0, 1, 5, 9)), ip))
    return result


def _ordinary_rows(account: Account, rng: random.Random):
    keys = [f"key_{story.digest(account.account_id + str(k), 12)}" for k in range(rng.choice((1, 2)))]
    for _ in range(ORDINARY_ROWS + rng.randint(-40, 40)):
        day = rng.randrange(story.LOG_DAYS)
        local_seconds = rng.randint(9 * 3600, 18 * 3600)
        moment = story.LOG_START + timedelta(
            days=day, seconds=local_seconds - account.utc_offset_hours * 3600, microseconds=rng.randrange(1000) * 1000
        )
        topic = rng.choice(story.TOPICS)
        prompt = rng.choice(story.CASUAL_PROMPTS).format(topic=topic)
        yield (
            moment,
            account,
            rng.choice(keys),
            account.ip,
            "northwind-sdk/1.4.2 (python)",
            prompt,
            story.casual_answer(prompt),
        )


def _extraction_rows(account: Account, rng: random.Random):
    span = story.LOG_DAYS * 86400
    for index in range(SUSPICIOUS_ROWS):
        # Activity ramps up over the two months and never sleeps.
        offset = int(span * (index / SUSPICIOUS_ROWS) ** 0.8) + rng.randrange(600)
        moment = story.LOG_START + timedelta(seconds=min(offset, span - 1), microseconds=rng.randrange(1000) * 1000)
        rotation = (moment - story.LOG_START).days // KEY_ROTATION_DAYS
        key = f"key_{story.digest(f'{account.account_id}/{rotation}', 12)}"
        ip = f"203.0.113.{10 + rng.randrange(24)}"
        topic = story.TOPICS[index % len(story.TOPICS)]
        yield (
            moment,
            account,
            key,
            ip,
            "httpx/0.27 batch-runner",
            story.STEP_TEMPLATE.format(topic=topic),
            story.lab_answer(topic),
        )


def log_rows(seed: int = story.SEED) -> list[dict]:
    """Every request, in time order, as the lab's logging service records it."""
    rng = random.Random(seed)
    raw = []
    for account in accounts(rng):
        raw += list((_extraction_rows if account.suspicious else _ordinary_rows)(account, rng))
    raw.sort(key=lambda r: (r[0], r[1].account_id))
    return [_row(number, rng, *r) for number, r in enumerate(raw, start=1)]


def _row(number, rng, moment, account, key, ip, agent, prompt, answer) -> dict:
    limited = account.suspicious and rng.random() < 0.04
    return {
        "timestamp": story.utc_iso(moment),
        "request_id": f"req_{number:06d}_{story.digest(str(number), 6)}",
        "account_id": account.account_id,
        "org_name": account.org_name,
        "api_key_id": key,
        "client_ip": ip,
        "user_agent": agent,
        "model": story.LAB_MODEL if account.suspicious or rng.random() < 0.6 else story.LAB_MODELS[1],
        "endpoint": "/v1/chat/completions",
        "status": 429 if limited else 200,
        "prompt_tokens": len(prompt.split()) * 4 // 3,
        "completion_tokens": 0 if limited else len(answer.split()) * 4 // 3,
        "latency_ms": rng.randint(180, 2400),
        "prompt": prompt,
        "response": "" if limited else answer,
    }


def write_logs(folder: Path, seed: int = story.SEED) -> list[Path]:
    """March as JSON lines (ending in one truncated line), April as CSV."""
    rows = log_rows(seed)
    march = [r for r in rows if r["timestamp"] < "2026-04"]
    april = [r for r in rows if r["timestamp"] >= "2026-04"]
    jsonl = folder / "api-access-2026-03.jsonl"
    with open(jsonl, "w", encoding="utf-8", newline="\n") as out:
        for row in march:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.write(json.dumps(april[0], ensure_ascii=False)[:97] + "\n")  # cut short by log rotation
    csv_path = folder / "api-access-2026-04.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(april)
    return [jsonl, csv_path]
