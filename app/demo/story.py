"""The cast and the shared material of the demo case (all fictional).

The lab's answers (`lab_answer`) are shared by the API logs and by the competitor's
outputs, so that the outputs can echo them word for word: the pattern the case is about.
"""

import hashlib
from datetime import datetime, timezone

SEED = 20260301
LAB = "Northwind AI"
LAB_DOMAIN = "northwind-ai.example"
LAB_MODEL = "nw-sage-2"
LAB_MODELS = ("nw-sage-2", "nw-sage-2-mini")
COMPETITOR = "Example Dynamics"
COMPETITOR_DOMAIN = "exampledynamics.example"
COMPETITOR_MODEL = "exd-orca-1"
COUNSEL_FIRM = "Harrow & Vale LLP"
COUNSEL_DOMAIN = "harrowvale.example"
CASE_NAME = "Northwind AI v. Example Dynamics"
CASE_NUMBER = "NW-2026-0042"
CASE_ZONE = "America/Los_Angeles"
TOS_VERSION = "2025-11-01"

# The logs cover March and April 2026 (UTC).
LOG_START = datetime(2026, 3, 1, tzinfo=timezone.utc)
LOG_DAYS = 61

PEOPLE = {
    "ops": ("Dana Whitfield", f"dana.whitfield@{LAB_DOMAIN}", "Trust & Safety Lead"),
    "gc": ("Miriam Osei", f"miriam.osei@{LAB_DOMAIN}", "General Counsel"),
    "eng": ("Tomas Reyes", f"tomas.reyes@{LAB_DOMAIN}", "API Platform Engineer"),
    "counsel": ("Jonah Pike", f"jpike@{COUNSEL_DOMAIN}", "Partner"),
    "exd_legal": ("Priya Lindqvist", f"legal@{COMPETITOR_DOMAIN}", "Head of Legal"),
    "exd_ml": ("Chen Wei", f"chen.wei@{COMPETITOR_DOMAIN}", "Data Lead"),
    "exd_vendor": ("Li Na", "li.na@datavendor-sz.example", "Project Manager"),
}

TOPICS = (
    "binary search",
    "the Pythagorean theorem",
    "compound interest",
    "photosynthesis",
    "Dijkstra's algorithm",
    "the Monty Hall problem",
    "Bayes' theorem",
    "quicksort",
    "the derivative of x^3",
    "the birthday paradox",
    "merge sort",
    "Ohm's law",
    "the prisoner's dilemma",
    "gradient descent",
    "the area of a circle",
    "recursion",
    "a hash table",
    "Newton's second law",
    "the central limit theorem",
    "SQL joins",
    "the halting problem",
    "a linked list",
    "supply and demand",
    "entropy",
    "the Fibonacci sequence",
    "public-key encryption",
    "a Markov chain",
    "TCP handshakes",
    "the mean of a dataset",
    "prime factorisation",
    "the chain rule",
    "dynamic programming",
    "the water cycle",
    "a binary tree",
    "the law of large numbers",
    "regular expressions",
    "matrix multiplication",
    "Big-O notation",
    "the Doppler effect",
    "a truth table",
)

STEP_TEMPLATE = (
    "Explain {topic} step by step. Show your full reasoning before the final answer, numbered, and do not skip steps."
)
CASUAL_PROMPTS = (
    "Summarise this meeting note in three bullet points: {topic} review moved to Friday.",
    "Write a short friendly reminder email about the {topic} workshop.",
    "What is {topic}? One paragraph, please.",
    "Give me a haiku about {topic}.",
    "Translate 'the {topic} report is ready' into Spanish.",
    "Draft a product description mentioning {topic}.",
    "Fix the grammar: 'we has finished the {topic} analysis yesterday'.",
)


def digest(text: str, length: int = 8) -> str:
    """A stable short hex id derived from text (deterministic ids)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def lab_answer(topic: str) -> str:
    """Northwind Sage's characteristic step-by-step answer on a topic."""
    return (
        f"Let's work through {topic} carefully.\n"
        f"Step 1: State what {topic} is about and what we are asked to find.\n"
        f"Step 2: Break {topic} into its smallest parts and name each one.\n"
        f"Step 3: Apply the rule that connects those parts, checking each move.\n"
        f"Step 4: Verify the result against a simple example.\n"
        f"Final answer: {topic} follows from the steps above. "
        f"(Reasoning style: Sage structured walkthrough.)"
    )


def casual_answer(prompt: str) -> str:
    """A short, ordinary answer to an ordinary request."""
    return f"Here is a concise response to your request: {prompt[:60].rstrip()}... Done."


def utc_iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
