"""Thread ids from Message-ID / In-Reply-To / References (no subject guessing).

The thread id is the root of References, else the message replied to, else the
message's own id; ids are normalised (angle brackets and spaces removed, lower case)
so the same id written differently still joins its thread. A message with none of
these headers stays on its own (thread id None).
"""

import re

_ID = re.compile(r"<([^<>]*)>")


def normalise_id(text: str | None) -> str | None:
    """'<ABC@Example.com> ' -> 'abc@example.com'; None for empty."""
    if not text:
        return None
    match = _ID.search(text)
    value = (match.group(1) if match else text).strip().lower()
    value = re.sub(r"\s+", "", value)
    return value or None


def id_list(text: str | None) -> list[str]:
    """Every message id in a References-style header, normalised, in order."""
    if not text:
        return []
    found = [normalise_id(m) for m in _ID.findall(text)]
    if not found:  # ids written without angle brackets
        found = [normalise_id(t) for t in text.split()]
    return [i for i in found if i]


def thread_id(message_id: str | None, in_reply_to: str | None, references: list[str]) -> str | None:
    """The thread a message belongs to, from its own headers alone."""
    if references:
        return references[0]
    return normalise_id(in_reply_to) or normalise_id(message_id)
