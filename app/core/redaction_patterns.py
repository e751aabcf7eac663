"""Built-in patterns for what productions most often must hide.

Each pattern is a regular expression plus, where a regular expression alone would
flag look-alikes, a check of the match (a payment card number must pass the Luhn
check, an IP address must have four numbers of 0-255). `find(text, name)` yields the
(start, end) of every match that passes.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


def luhn_ok(digits: str) -> bool:
    """The Luhn check every payment card number passes (and most random digit runs fail)."""
    numbers = [int(c) for c in digits if c.isdigit()]
    if not 13 <= len(numbers) <= 19:
        return False
    total = 0
    for index, number in enumerate(reversed(numbers)):
        if index % 2:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def card_ok(text: str) -> bool:
    """A payment card number: issuer digit 2-6, the Luhn check, and not a compact date-time
    (20261205000742 passes Luhn one time in ten)."""
    digits = "".join(c for c in text if c.isdigit())
    if digits[0] not in "23456" or not luhn_ok(digits):
        return False
    looks_dated = digits[:2] in ("19", "20") and "01" <= digits[4:6] <= "12" and "01" <= digits[6:8] <= "31"
    return not (looks_dated and digits == text)


def _ipv4_ok(text: str) -> bool:
    return all(0 <= int(part) <= 255 and (part == "0" or not part.startswith("0")) for part in text.split("."))


@dataclass(frozen=True)
class Pattern:
    name: str
    description: str
    regex: re.Pattern
    check: Callable[[str], bool] | None = None


PATTERNS: dict[str, Pattern] = {
    p.name: p
    for p in (
        Pattern(
            "api-key",
            "API keys and tokens (sk-/pk- keys, AWS AKIA..., GitHub ghp_..., Slack xox..., Bearer tokens, JWTs)",
            re.compile(
                r"\b(?:sk|pk|rk)-(?:[A-Za-z0-9]+-)*[A-Za-z0-9_]{16,}"
                r"|\bAKIA[0-9A-Z]{16}\b"
                r"|\bgh[pousr]_[A-Za-z0-9]{30,}\b"
                r"|\bxox[abprs]-[A-Za-z0-9-]{10,}"
                r"|(?<=Bearer )[A-Za-z0-9._~+/=-]{20,}"
                r"|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"
            ),
        ),
        Pattern(
            "email",
            "Email addresses",
            re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
        ),
        Pattern(
            "phone",
            "Telephone numbers (international +.. or grouped national numbers)",
            re.compile(
                r"(?<![\w.+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]\d{3,4}(?![\w.-])"
                r"|(?<![\w+])\+\d{7,14}(?!\w)"
            ),
        ),
        Pattern(
            "ip",
            "IP addresses (IPv4 and IPv6)",
            re.compile(
                r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])"
                r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])"
                r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4}(?![\w:])"
            ),
            lambda text: ":" in text or _ipv4_ok(text),
        ),
        Pattern(
            "card",
            "Payment card numbers (13-19 digits that pass the Luhn check)",
            re.compile(r"(?<![\w.:-])\d(?:[ -]?\d){12,18}(?![\w-])"),
            card_ok,
        ),
    )
}


def pattern_names() -> list[str]:
    return list(PATTERNS)


def find(text: str, name: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every match of the built-in pattern `name` in text."""
    pattern = PATTERNS[name]
    position = 0
    while (match := pattern.regex.search(text, position)) is not None:
        if pattern.check is None or pattern.check(match.group()):
            yield match.start(), match.end()
            position = max(match.end(), match.start() + 1)
        else:  # a look-alike: a real match may still start inside it
            position = match.start() + 1
