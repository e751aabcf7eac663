"""A search as a lawyer types it, made into a query the full-text engine (FTS5) accepts.

FTS5 reads only letters, digits and `_` as words; `fox #29999`, `jane.doe@example.com`
or `gpt-4o` stop it with "syntax error near ...". Here each such word is quoted, so it is
searched as the text it is (`"#29999"` finds 29999, `"gpt-4o"` the phrase gpt 4o),
while what the user means as syntax keeps working: "quoted phrases", AND / OR / NOT
and NEAR(...) in capitals, parentheses when they pair up, `prefix*`, and `title:` or
`text:` before a word. An unclosed quote is closed at the end; unpaired parentheses
are read as text. What still cannot be read (`fox AND`, `NOT fox`) is explained by
`explain_search_error` in plain words.
"""

import re

OPERATORS = ("AND", "OR", "NOT")
COLUMNS = ("title", "text")  # the columns of items_fts and items_cjk
_BAREWORD = re.compile("[A-Za-z0-9_\x1a\x80-\U0010ffff]+")
_TOKEN = re.compile(r'\s+|"|\(|\)|[^\s"()]+')


def fts_query(text: str) -> str:
    """`text` as typed, with every word FTS5 would refuse quoted (see the module docstring).

    Words side by side mean AND to FTS5, except beside parentheses (`(a OR b) c` is refused):
    there the AND is written out."""
    parens_paired = _parens_pair(text)
    parts: list[str] = []
    i, end = 0, len(text)
    while i < end:
        token = _TOKEN.match(text, i)
        assert token is not None  # the pattern matches any character
        piece, i = token.group(), token.end()
        if piece.isspace() or (piece in "()" and not parens_paired):
            continue
        if piece == '"':
            piece, i = _phrase(text, i)
        elif piece == "NEAR" and text.startswith("(", i) and parens_paired:
            close = text.find(")", i)  # NEAR(a b, 5) is kept as typed
            piece, i = text[token.start() : close + 1], close + 1
        elif piece not in "()":
            piece = _word(piece)
        beside_group = parts and (parts[-1].endswith(")") or piece.startswith("("))
        if beside_group and _ends_operand(parts[-1]) and _starts_operand(piece):
            parts.append("AND")
        parts.append(piece)
    return " ".join(parts).replace("( ", "(").replace(" )", ")")


def _ends_operand(part: str) -> bool:
    return part not in OPERATORS and part != "(" and not part.endswith(":")


def _starts_operand(part: str) -> bool:
    return part not in OPERATORS and part != ")"


def _parens_pair(text: str) -> bool:
    """True when the parentheses outside quotes open and close in order."""
    depth = 0
    for n, part in enumerate(text.split('"')):
        if n % 2:  # inside a quoted phrase
            continue
        for char in part:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                return False
    return depth == 0


def _phrase(text: str, start: int) -> tuple[str, int]:
    """The quoted phrase opening just before `start` ("" inside is one quote), closed if left open."""
    position = start
    while True:
        close = text.find('"', position)
        if close < 0:
            return text[start - 1 :] + '"', len(text)
        if text.startswith('"', close + 1):
            position = close + 2
            continue
        stop = close + 1
        if text.startswith("*", stop):
            stop += 1
        return text[start - 1 : stop], stop


def _word(piece: str) -> str:
    """One run of characters between spaces, quotes and parentheses."""
    if piece in OPERATORS:
        return piece
    column, colon, rest = piece.partition(":")
    if colon and column.lower() in COLUMNS:
        return f"{column}:" + (_word(rest) if rest else "")
    prefix = piece.endswith("*") and len(piece) > 1
    body = piece.rstrip("*") if prefix else piece
    if _BAREWORD.fullmatch(body):
        return piece if prefix else body
    quoted = '"' + body.replace('"', '""') + '"'
    return quoted + ("*" if prefix else "")


def explain_search_error(query: str) -> str:
    """What to change in a search the engine still cannot read, in plain words."""
    return (
        f"The search {query!r} could not be understood. AND, OR and NOT (in capitals) need words on "
        "both sides, e.g. keys AND rotate, or keys NOT test. Any other character is searched as text; "
        'put a phrase in double quotes, e.g. "rate limit".'
    )
