"""Counts in plain English: "1 record", "2 records", never "record(s)"."""


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, with the plural form (`many`, default word + "s") unless count is 1."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
