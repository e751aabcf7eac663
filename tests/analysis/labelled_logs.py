"""API logs with labelled ground truth for the extraction analysis (reusable: the bench may
import a copy).

`labelled_rows(seed, scale)` returns (rows, labels): rows as a lab's gateway logs them
(JSON-lines dicts, time order) and {account: label}. Labels starting with "extraction:"
must be flagged; every other account must not be:

extraction styles
  extraction:blatant      one account, around the clock, one step-by-step template, a new key every 2 days
  extraction:coordinated  five modest accounts driven by one scheduler: same template, requests within seconds
  extraction:reasoning    chain-of-thought requests (English and Chinese) around the clock, varied questions
  extraction:rate         bursts held at 9-10 requests a minute, one translation template
  extraction:sweep        numbered tasks cycling through domains, long answers, a new key every 4 days
  extraction:resale       three accounts using the same two resold keys, one tutoring template
benign and look-alikes
  benign                  customers: office hours in their own zone, varied questions
  lookalike:enterprise    heavy customer, varied human prompts in business hours (volume only)
  lookalike:eval          light use plus a one-off evaluation run of numbered questions on one day
  lookalike:healthcheck   one tiny prompt every ten minutes, day and night
  lookalike:office        six colleagues behind one office NAT address
  lookalike:farzone       a user working office hours nine hours ahead of UTC
"""

import random
from datetime import datetime, timedelta, timezone

START = datetime(2026, 1, 5, tzinfo=timezone.utc)  # a Monday
DAYS = 28
WORDS = (
    "invoice budget meeting client schedule draft report summary policy customer contract vendor project "
    "deadline quarterly revenue forecast hiring onboarding training compliance audit expense travel "
    "marketing campaign newsletter product launch feature roadmap feedback survey interview presentation "
    "spreadsheet formula chart pivot database query backup server outage ticket support warranty shipping "
    "inventory supplier pricing discount renewal subscription license partner agreement memo agenda minutes "
    "slide speech toast recipe garden vacation birthday gift apology thanks reminder follow-up proposal "
    "estimate quote order refund complaint review rating benchmark competitor strategy risk insurance claim "
    "payroll tax deduction receipt statement loan mortgage rent lease tenant landlord repair plumber "
    "electrician contractor permit zoning"
).split()
ASKS = (
    "can you help me with",
    "please rewrite",
    "what should I say about",
    "draft a short note on",
    "how do I handle",
    "give me ideas for",
    "is this okay:",
    "quick question about",
    "summarise",
    "make this friendlier:",
    "explain simply",
    "list pros and cons of",
)
TOPICS = [
    f"{a} {b}"
    for a in ("linear", "organic", "quantum", "macro", "cellular", "contract", "number", "graph", "ancient", "tax")
    for b in (
        "algebra",
        "chemistry",
        "mechanics",
        "economics",
        "biology",
        "law",
        "theory",
        "search",
        "history",
        "policy",
    )
]
DOMAINS = (
    "mathematics",
    "programming",
    "physics",
    "chemistry",
    "biology",
    "medicine",
    "law",
    "finance",
    "history",
    "language",
)
DOMAIN_WORDS = {
    "mathematics": "integral",
    "programming": "python",
    "physics": "momentum",
    "chemistry": "molecule",
    "biology": "protein",
    "medicine": "diagnosis",
    "law": "contract",
    "finance": "portfolio",
    "history": "empire",
    "language": "grammar",
}


class Log:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows: list[tuple] = []
        self.labels: dict[str, str] = {}

    def add(self, moment, account, key, ip, prompt, out_tokens, status=200, in_tokens=None):
        self.rows.append((moment, account, key, ip, prompt, out_tokens, status, in_tokens))

    def varied(self, reasoning_share: float = 0.0) -> str:
        rng = self.rng
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 18)))
        prompt = f"{rng.choice(ASKS)} {words}?"
        if rng.random() < reasoning_share:
            prompt += " Walk me through it."
        return prompt[0].upper() + prompt[1:]


def office_hours(rng, offset_hours: float, day_start=9, day_end=18, weekdays_only=True):
    """A moment in someone's working day in their own zone."""
    while True:
        day = rng.randrange(DAYS)
        if weekdays_only and (START + timedelta(days=day)).weekday() >= 5:
            continue
        local = rng.uniform(day_start * 3600, day_end * 3600)
        return START + timedelta(days=day, seconds=local - offset_hours * 3600)


def any_time(rng):
    return START + timedelta(seconds=rng.uniform(0, DAYS * 86400))


def benign(log: Log, number: int, scale: float) -> None:
    rng = log.rng
    account = f"cust-{number:03d}"
    log.labels[account] = "benign"
    offset = rng.choice((-8, -5, -3, 0, 1, 2, 8))
    keys = [f"key-{account}-{k}" for k in range(rng.choice((1, 2)))]
    ip = f"100.64.{number}.{rng.randrange(2, 250)}"
    for _ in range(int(rng.randint(150, 350) * scale)):
        log.add(office_hours(rng, offset), account, rng.choice(keys), ip, log.varied(0.02), rng.randint(40, 400))


def blatant(log: Log, scale: float) -> None:
    rng = log.rng
    account = "x-blatant"
    log.labels[account] = "extraction:blatant"
    for index in range(int(3000 * scale)):
        moment = any_time(rng)
        day = (moment - START).days
        topic = TOPICS[index % len(TOPICS)]
        prompt = f"Explain {topic} in detail, step by step, and show all your work before the final answer."
        limited = rng.random() < 0.03
        ip = f"203.0.113.{rng.randrange(10, 40)}"
        log.add(
            moment,
            account,
            f"key-blatant-{day // 2}",
            ip,
            prompt,
            0 if limited else rng.randint(600, 900),
            429 if limited else 200,
        )


def coordinated(log: Log, scale: float) -> None:
    """Five accounts one scheduler drives: rounds in three windows a day, each round's requests within seconds."""
    rng = log.rng
    accounts = [f"x-coord-{k}" for k in range(1, 6)]
    for account in accounts:
        log.labels[account] = "extraction:coordinated"
    filling = 0
    for day in range(max(7, int(DAYS * scale))):  # a smaller log: fewer days, the same scheduler
        for hour in (2, 10, 18):
            moment = START + timedelta(days=day, hours=hour)
            end = moment + timedelta(hours=1)
            while moment < end:
                for k, account in enumerate(accounts):
                    if rng.random() < 0.6:
                        topic = TOPICS[filling % len(TOPICS)]
                        filling += 1
                        prompt = (
                            f"Write a detailed textbook section about {topic} (part {filling}); "
                            "include worked examples and exercises."
                        )
                        when = moment + timedelta(seconds=rng.uniform(0, 2.5))
                        log.add(when, account, f"key-{account}", f"198.18.7.{20 + k}", prompt, rng.randint(250, 350))
                moment += timedelta(seconds=rng.uniform(70, 110))


def reasoning(log: Log, scale: float) -> None:
    rng = log.rng
    account = "x-reasoning"
    log.labels[account] = "extraction:reasoning"
    asks = (
        "Think step by step and show your reasoning: {q}",
        "{q} Let's think step by step.",
        "请一步一步地推理，写出完整的思考过程：{q}",
        "{q} 请逐步推理后再给出答案。",
        "Before the final answer, lay out your thought process. {q}",
    )
    for _ in range(int(1500 * scale)):
        question = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))) + "?"
        prompt = rng.choice(asks).format(q=question)
        log.add(any_time(rng), account, "key-reasoning-1", "45.33.10.8", prompt, rng.randint(400, 600))


def rate_shaped(log: Log, scale: float) -> None:
    rng = log.rng
    account = "x-rate"
    log.labels[account] = "extraction:rate"
    count = int(2000 * scale)
    made = 0
    while made < count:
        moment = START + timedelta(days=rng.randrange(DAYS), hours=rng.randrange(24))
        for _ in range(20):  # a burst: 9-10 requests every minute for 20 minutes, held under a limit of 10
            if made >= count:
                break
            for _ in range(rng.choice((9, 10))):
                review = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16)))
                prompt = f'Translate the following product review into French, keeping the tone: "{review}"'
                log.add(
                    moment + timedelta(seconds=rng.uniform(0, 59)),
                    account,
                    "key-rate-1",
                    "45.33.99.2",
                    prompt,
                    rng.randint(200, 300),
                )
                made += 1
            moment += timedelta(minutes=1)


def sweep(log: Log, scale: float) -> None:
    rng = log.rng
    account = "x-sweep"
    log.labels[account] = "extraction:sweep"
    for index in range(int(1500 * scale)):
        domain = DOMAINS[index % len(DOMAINS)]
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 8)))
        prompt = f"Task {index + 1:04d}: {DOMAIN_WORDS[domain]} {words}."
        moment = office_hours(rng, 0, 6, 22, weekdays_only=False)
        day = (moment - START).days
        log.add(
            moment,
            account,
            f"key-sweep-{day // 4}",
            "91.198.174.3",
            prompt,
            rng.randint(500, 800),
            in_tokens=rng.randint(15, 30),
        )


def resale(log: Log, scale: float) -> None:
    rng = log.rng
    accounts = [f"x-resale-{k}" for k in range(1, 4)]
    for number, account in enumerate(accounts):
        log.labels[account] = "extraction:resale"
        for _ in range(int(500 * scale)):
            question = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
            prompt = f"Answer as an expert tutor would: {question}? Give a complete model answer with reasoning."
            moment = office_hours(rng, (-5, 3, 8)[number], 7, 23, weekdays_only=False)
            key = rng.choice(("key-resold-A", "key-resold-B"))
            log.add(moment, account, key, f"77.88.{number}.{rng.randrange(2, 200)}", prompt, rng.randint(250, 350))


def enterprise(log: Log, scale: float) -> None:
    rng = log.rng
    account = "l-enterprise"
    log.labels[account] = "lookalike:enterprise"
    keys = ["key-ent-1", "key-ent-2", "key-ent-3"]
    for _ in range(int(4000 * scale)):
        ip = f"64.233.160.{rng.randrange(1, 40)}"
        log.add(office_hours(rng, -5, 8, 19), account, rng.choice(keys), ip, log.varied(0.03), rng.randint(300, 500))


def evaluation(log: Log, scale: float) -> None:
    rng = log.rng
    account = "l-eval"
    log.labels[account] = "lookalike:eval"
    for _ in range(int(100 * scale)):
        log.add(office_hours(rng, 1), account, "key-eval-1", "82.165.4.4", log.varied(), rng.randint(50, 300))
    moment = START + timedelta(days=10, hours=9)
    for number in range(1, int(2000 * scale) + 1):
        question = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 12)))
        prompt = f"Question {number}: {question}? Answer with the letter of the correct option and explain it."
        log.add(
            moment, account, "key-eval-1", "82.165.4.4", prompt, rng.randint(300, 500), in_tokens=rng.randint(20, 40)
        )
        moment += timedelta(seconds=rng.uniform(4.5, 6.5))


def health_check(log: Log, scale: float) -> None:
    account = "l-health"
    log.labels[account] = "lookalike:healthcheck"
    moment = START
    for _ in range(int(2880 * scale)):
        log.add(moment + timedelta(seconds=log.rng.uniform(0, 2)), account, "key-health", "10.0.0.5", "ping", 1)
        moment += timedelta(minutes=10)


def office(log: Log, scale: float) -> None:
    rng = log.rng
    for k in range(1, 7):
        account = f"l-office-{k}"
        log.labels[account] = "lookalike:office"
        for _ in range(int(rng.randint(180, 260) * scale)):
            log.add(
                office_hours(rng, 1), account, f"key-office-{k}", "192.0.2.77", log.varied(0.02), rng.randint(60, 400)
            )


def far_zone(log: Log, scale: float) -> None:
    rng = log.rng
    account = "l-farzone"
    log.labels[account] = "lookalike:farzone"
    for _ in range(int(400 * scale)):
        log.add(office_hours(rng, 9), account, "key-far", "133.242.0.9", log.varied(0.02), rng.randint(200, 400))


def labelled_rows(seed: int = 16, scale: float = 1.0, benign_accounts: int = 25) -> tuple[list[dict], dict[str, str]]:
    """The rows (in time order) and the ground truth {account: label}."""
    log = Log(random.Random(seed))
    for number in range(1, benign_accounts + 1):
        benign(log, number, scale)
    for style in (blatant, coordinated, reasoning, rate_shaped, sweep, resale):
        style(log, scale)
    for lookalike in (enterprise, evaluation, health_check, office, far_zone):
        lookalike(log, scale)
    log.rows.sort(key=lambda r: (r[0], r[1]))
    rows = []
    for number, (moment, account, key, ip, prompt, out_tokens, status, in_tokens) in enumerate(log.rows, 1):
        rows.append(
            {
                "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "request_id": f"req-{number:07d}",
                "account_id": account,
                "api_key_id": key,
                "client_ip": ip,
                "model": "nw-sage-2",
                "status": status,
                "prompt_tokens": in_tokens if in_tokens is not None else max(1, len(prompt) // 4),
                "completion_tokens": out_tokens if status == 200 else 0,
                "prompt": prompt,
                "response": "" if status != 200 else f"(answer of {out_tokens} tokens)",
            }
        )
    return rows, log.labels


def flagged_expected(labels: dict[str, str]) -> set[str]:
    return {account for account, label in labels.items() if label.startswith("extraction:")}
