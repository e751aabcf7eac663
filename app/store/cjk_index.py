"""Chinese, Japanese and Korean words in the text index: overlapping bigrams, as Lucene's CJK analyzer.

FTS5's `unicode61` tokenizer splits on spaces and punctuation, and these scripts write a
sentence without spaces: 每三天更换一次密钥 is one token, so 密钥 ("key") inside it was
never found. Python's sqlite3 cannot register a tokenizer, so the bigrams are made here:
an item whose title or text holds a CJK character is indexed (again) in `items_cjk`, a
contentless FTS5 table with the same tokenizer, from its text with every CJK run
rewritten as its overlapping bigrams plus the run's last character ("一次密钥" becomes
"一次 次密 密钥 钥"). Latin words glued to CJK ("API密钥") become words of their own there.

A search is run twice (app/store/item_query.py): as typed on `items_fts` for the items
without CJK, and rewritten (`rewrite_query`) on `items_cjk` for the items with CJK, so
AND, OR, NOT, NEAR, phrases, prefixes and column filters keep their meaning on each
item. A CJK word of two or more characters becomes the phrase of its bigrams, which
matches exactly where the word appears as a substring; one character becomes a prefix
query (`密*`), which matches every bigram starting with it and the run-final unigram, so
every place the character appears. As with Lucene, word boundaries are unknown: 京都
(Kyoto) is found inside 东京都 (Tokyo Metropolis).

`str.isascii()` is O(1) on CPython strings, so the millions of ASCII log rows of an
import pay two attribute checks each.
"""

import operator
import re
import sqlite3
import unicodedata
from collections.abc import Iterator

# Han (with extensions and compatibility ideographs), Hiragana, Katakana (with half-width
# forms and extensions), Hangul, and the ideographic iteration marks 々〆〇 and kana
# repeat marks. Only letters: the middle dot ・, the voicing marks ゛゜ and punctuation
# are separators for unicode61, and so they end a run here too.
_CJK = (
    "\u1100-\u11ff\u3005-\u3007\u3031-\u3035\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"
    "\uf900-\ufaff\uff66-\uff9f\uffa0-\uffdc\U0001b000-\U0001b16f\U00020000-\U0003ffff"
)
CJK_RUN = re.compile(f"[{_CJK}]+")
# What an FTS5 query may hold unquoted (a "bareword"): ASCII letters, digits, _, \x1a, and
# every non-ASCII character.
_BAREWORD = re.compile("[A-Za-z0-9_\x1a\x80-\U0010ffff]+")
_PREFIX_STAR = re.compile(r"\s*\*")
_WORD_CHAR = re.compile(r"[^\W_]")

CJK_TABLE = "items_cjk"
INSERT_STEP_BYTES = 16 * 1024 * 1024  # characters of bigram text held before they are written to the index


def _bigrams(run: str) -> list[str]:
    return list(map(operator.add, run, run[1:]))


def _folded(run: str) -> str:
    """Half-width katakana as full-width (ﾊﾟｽﾜｰﾄﾞ is パスワード), compatibility ideographs as
    the unified ones: NFKC, as Lucene's CJK width filter; both the index and the query."""
    return unicodedata.normalize("NFKC", run)


def _expand(match: re.Match) -> str:
    run = _folded(match.group())
    return f" {' '.join(_bigrams(run))} {run[-1]} "


def index_text(text: str | None) -> str | None:
    """The text as `items_cjk` indexes it: each CJK run as its bigrams and its last character."""
    if text is None or text.isascii():
        return text
    return CJK_RUN.sub(_expand, text)


def has_cjk(text: str | None) -> bool:
    if not text or _latin1(text):
        return False
    return CJK_RUN.search(text) is not None


def _latin1(text: str) -> bool:
    """True when every character is below U+0100 (so none is CJK).

    A title such as "acct · model · prompt" is not ASCII; encoding a string Python stores
    one byte a character is a copy (0.07 us), where the regex reads it (2 us, every log row).
    """
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def index_row(title: str | None, text: str | None) -> tuple[str | None, str | None] | None:
    """(title, text) for `items_cjk`, or None when neither holds a CJK character (most items)."""
    if (title is None or title.isascii()) and (text is None or text.isascii()):
        return None
    if not (has_cjk(title) or has_cjk(text)):
        return None
    return index_text(title), index_text(text)


def rewrite_query(query: str) -> str:
    """The FTS5 query for `items_cjk`: each string or bareword holding CJK as a phrase of bigrams.

    Operators, parentheses, NEAR groups, column filters and words without CJK are kept
    as typed; a query without CJK comes back unchanged.
    """
    if query.isascii():
        return query
    out: list[str] = []
    i, end = 0, len(query)
    while i < end:
        if query[i] == '"':
            content, stop = _quoted(query, i)
            if content is None:  # unterminated: FTS5 says so, with the original text
                out.append(query[i:])
                break
        else:
            word = _BAREWORD.match(query, i)
            if word is None:
                out.append(query[i])
                i += 1
                continue
            content, stop = word.group(), word.end()
        star = _PREFIX_STAR.match(query, stop)
        if CJK_RUN.search(content):
            out.append(_bigram_phrase(content, star is not None))
            i = star.end() if star else stop
        else:
            out.append(query[i:stop])
            i = stop
    return "".join(out)


def _quoted(query: str, start: int) -> tuple[str | None, int]:
    """The text of the FTS5 string starting at `start` ("" inside is one quote) and where it ends."""
    parts, position = [], start + 1
    while True:
        close = query.find('"', position)
        if close < 0:
            return None, len(query)
        if query.startswith('"', close + 1):
            parts.append(query[position : close + 1])
            position = close + 2
            continue
        parts.append(query[position:close])
        return "".join(parts), close + 1


def _bigram_phrase(content: str, prefix: bool) -> str:
    """One FTS5 phrase matching `content` in text indexed by `index_text`.

    A CJK run followed by more words of the phrase must end there: its last character
    (indexed after each run) follows its bigrams. A single character at the end is a
    prefix, so it matches any bigram that starts with it.
    """
    pieces: list[tuple[bool, str]] = []
    position = 0
    for run in CJK_RUN.finditer(content):
        if run.start() > position:
            pieces.append((False, content[position : run.start()]))
        pieces.append((True, _folded(run.group())))
        position = run.end()
    if position < len(content):
        pieces.append((False, content[position:]))
    pieces = [(cjk, text) for cjk, text in pieces if cjk or _WORD_CHAR.search(text)]
    tokens: list[str] = []
    for index, (cjk, text) in enumerate(pieces):
        if not cjk:
            tokens.append(text)
            continue
        tokens.extend(_bigrams(text))
        if index < len(pieces) - 1 or len(text) == 1:
            tokens.append(text[-1])
    last_cjk, last_text = pieces[-1]
    star = (last_cjk and len(last_text) == 1) or (not last_cjk and prefix)
    return '"' + " ".join(tokens).replace('"', '""') + '"' + ("*" if star else "")


def cjk_words(term: str) -> list[str]:
    """The words of a search term split at spaces and where CJK meets other scripts."""
    words: list[str] = []
    for part in term.split():
        words.extend(piece for piece in re.split(f"([{_CJK}]+)", part) if _WORD_CHAR.search(piece))
    return words if len(words) > 1 else []


def index_existing_items(conn: sqlite3.Connection, batch: int = 2000) -> int:
    """Fill `items_cjk` for the items already in a case (the migration); returns how many."""
    rows: list[tuple] = []
    added = 0
    cursor = conn.execute("SELECT id, title, text FROM item_details ORDER BY id")
    while chunk := cursor.fetchmany(batch):
        for item_id, title, text in chunk:
            grams = index_row(title, text)
            if grams is not None:
                rows.append((item_id, *grams))
        if rows:
            insert_rows(conn, rows)
            added += len(rows)
            rows = []
    return added


def insert_rows(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """(item id, title, text) rows into `items_cjk`, with as few statements as SQLite allows.

    Each FTS5 statement writes a segment of its own: one row per statement would make
    thousands of segments to merge.
    """
    per_statement = max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 3)
    for start in range(0, len(rows), per_statement):
        part = rows[start : start + per_statement]
        conn.execute(
            f"INSERT INTO {CJK_TABLE}(rowid, title, text) VALUES {', '.join(['(?, ?, ?)'] * len(part))}",
            [value for row in part for value in row],
        )


def index_discrepancies(conn: sqlite3.Connection, batch: int = 2000) -> Iterator[tuple[int, str]]:
    """(item id, what is wrong) for each row of `items_cjk` that is missing, extra, or not what the
    item's title and text give -- for verify.

    The table is contentless: its text cannot be read back. The rows expected are indexed
    again, a batch at a time, into a scratch table, and each row's token count per column
    (`items_cjk_docsize`) compared with what is stored.
    """
    stored = dict(conn.execute(f"SELECT id, sz FROM {CJK_TABLE}_docsize"))
    conn.execute(
        "CREATE VIRTUAL TABLE temp.cjk_expected USING fts5(title, text, content='',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    try:
        cursor = conn.execute("SELECT id, title, text FROM item_details ORDER BY id")
        while chunk := cursor.fetchmany(batch):
            rows = [
                (item_id, *grams) for item_id, title, text in chunk if (grams := index_row(title, text)) is not None
            ]
            if not rows:
                continue
            conn.executemany("INSERT INTO temp.cjk_expected(rowid, title, text) VALUES (?, ?, ?)", rows)
            for item_id, size in conn.execute("SELECT id, sz FROM temp.cjk_expected_docsize"):
                if item_id not in stored:
                    yield item_id, "has Chinese, Japanese or Korean text missing from the CJK text index"
                elif stored.pop(item_id) != size:
                    yield item_id, "its row in the CJK text index does not match its title and text"
            conn.execute("INSERT INTO temp.cjk_expected(cjk_expected) VALUES ('delete-all')")
        for item_id in sorted(stored):
            yield item_id, "has a row in the CJK text index but no Chinese, Japanese or Korean text"
    finally:
        conn.execute("DROP TABLE temp.cjk_expected")
