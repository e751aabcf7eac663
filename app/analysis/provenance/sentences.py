"""Provenance figures in plain words, as counsel would say them to a court."""

from datetime import datetime, timezone

METHOD = (
    "Method: both texts were compared word by word after normalising case, Unicode forms, look-alike letters "
    "and invisible characters; a shared passage is a run of at least {min_run} consecutive words found in both "
    "in the same order; phrases that many of our responses share (boilerplate) never count on their own."
)


def when_utc(ts_us: int | None) -> str:
    if ts_us is None:
        return "(undated)"
    return datetime.fromtimestamp(ts_us / 1_000_000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def link_sentence(link: dict) -> str:
    """'71% of this output's 240 words are in passages shared with the response logged at
    2026-03-04 10:12 UTC for acct-0007; longest shared passage 96 words'."""
    share = round(link["similarity"] * 100)
    account = link.get("response_account")
    sentence = (
        f"{share}% of this output's {link['output_words']:,} words are in passages shared with the response "
        f"logged at {when_utc(link.get('response_ts_us'))}"
        + (f" for {account}" if account else "")
        + f"; longest shared passage {link['longest_run']:,} words"
    )
    copies = link.get("same_text_count") or 1
    if copies > 1:
        sentence += f" (the same response was logged {copies:,} times; this is the earliest)"
    return sentence


def output_link_sentence(link: dict) -> str:
    """The same figures for an output that shares passages with another (earlier) output."""
    return (
        f"{round(link['similarity'] * 100)}% of this output's {link['output_words']:,} words are in passages "
        f"shared with output {link['response_id']}; longest shared passage {link['longest_run']:,} words"
    )


def method_sentence(settings: dict) -> str:
    return METHOD.format(min_run=settings["min_passage_words"])
