"""Text out of e-mail: charsets, RFC 2047 header words, and HTML made readable.

Everything here is offline and inert: HTML is read with the standard library's
`html.parser` (nothing fetched, no script run, scripts and styles dropped); bytes
without a declared charset are identified with charset-normalizer.
"""

import codecs
import re
from email.errors import HeaderParseError
from email.header import decode_header
from html.parser import HTMLParser

from charset_normalizer import from_bytes

from app.importers.cjk_charsets import CJK_CHARSETS

_FOLD = re.compile(r"\r?\n[ \t]+|\r[ \t]+")
_SPACES = re.compile(r"[ \t\u00a0]+")
_SURROGATE = re.compile("[\udc80-\udcff]")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")
# Windows code pages mislabelled as their ISO cousins are the norm in real mail.
_CHARSET_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-unknown": "",
}
_CHARSET_ALIASES.update(CJK_CHARSETS)


def known_codec(name: str | None) -> str | None:
    """A Python codec for a declared charset name, or None when it is unknown."""
    if not name:
        return None
    name = name.strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name if name else None
    except (LookupError, ValueError):  # ValueError: a NUL byte in the name
        return None


def _plain_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip('"')).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Text of `data` in its declared charset, else detected; with a note when guessed.

    Returns (text, note); note is None when the charset was declared and worked, or
    the bytes were plain ASCII / valid UTF-8.
    """
    for codec in (known_codec(declared), declared and _plain_codec(declared)):
        if codec:
            try:
                return data.decode(codec), None
            except (UnicodeError, LookupError):  # LookupError: "rot13", "zlib": not text encodings
                pass
    try:
        return data.decode("utf-8"), None if not declared or data.isascii() else _note(declared, "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None:
        return str(best), _note(declared, best.encoding)
    return data.decode("utf-8", "replace"), _note(declared, "utf-8 with replacement characters")


def _note(declared: str | None, used: str) -> str:
    if declared:
        return f"the text does not match its declared charset {declared!r}; read as {used}"
    return f"the text declares no charset; read as {used} (detected)"


def header_text(value, fallback: str | None = None, warnings: list[str] | None = None, name: str = "") -> str:
    """A header's value as readable text: unfolded, RFC 2047 words decoded, 8-bit detected.

    `fallback`: the charset of the message's text, for raw 8-bit bytes in a header (old
    Chinese and Japanese mail programs wrote subjects so); a short subject is too little
    for detection to tell GB2312 from EUC-KR.
    Encoded words that cannot be decoded (bad base64, say) are kept as written, as RFC
    2047 asks of mail readers, with a warning naming the header in `warnings`.
    """
    if value is None:
        return ""
    if not isinstance(value, str):  # an email.header.Header from compat32 (8-bit bytes)
        chunks = decode_header(value)
    else:
        value = _FOLD.sub(" ", value)
        try:
            chunks = decode_header(value) if "=?" in value else [(value, None)]
        except (HeaderParseError, ValueError, LookupError) as exc:
            if warnings is not None:
                warnings.append(
                    f"The {name or 'a'} header holds an encoded word that cannot be decoded "
                    f"({exc}); it is shown as written."
                )
            chunks = [(value, None)]
    parts = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(_undo_surrogates(chunk, fallback))
        elif charset in (None, "unknown-8bit"):
            parts.append(_raw_header_bytes(chunk, fallback))
        else:
            parts.append(decode_bytes(chunk, charset)[0])
    return "".join(parts).strip()


def _undo_surrogates(text: str, fallback: str | None = None) -> str:
    """Raw 8-bit bytes smuggled through as surrogate escapes, decoded properly."""
    if _SURROGATE.search(text) or ("\x1b$" in text and text.isascii()):
        # (utf-8, not ascii: an Outlook header may hold other characters beside the raw bytes)
        return _raw_header_bytes(text.encode("utf-8", "surrogateescape"), fallback)
    return text


def _raw_header_bytes(data: bytes, fallback: str | None) -> str:
    """Header bytes without a charset of their own: raw JIS (ISO-2022-JP escapes), else UTF-8
    when valid, else the message's charset, else detected."""
    if data.isascii():
        text = data.decode("ascii")
        if b"\x1b$" in data:
            try:
                return data.decode("iso2022_jp_ext")
            except UnicodeDecodeError:
                pass
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return decode_bytes(data, fallback if fallback and not fallback.startswith("utf_") else None)[0]


def message_charset(message) -> str | None:
    """The codec of the message's first text part that declares a charset (two levels down at most)."""
    parts = [message]
    for _level in range(3):
        for part in parts:
            if not part.is_multipart():
                try:
                    codec = known_codec(part.get_content_charset())
                except (ValueError, LookupError, TypeError, UnicodeError):  # a charset no codec is named by
                    codec = None
                if codec:
                    return codec
        parts = [
            child
            for part in parts
            if part.is_multipart()
            for child in part.get_payload()[:5]
            if hasattr(child, "is_multipart")
        ]
    return None


_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "dt",
    "dd",
}
_DROPPED_TAGS = {"script", "style", "head", "title", "noscript", "template", "object", "iframe", "svg"}


class _TextExtractor(HTMLParser):
    """Collects visible text; block elements become line breaks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag == "td":
            self.parts.append("\t")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f"[{alt}]")

    def handle_startendtag(self, tag, attrs):
        if tag not in _DROPPED_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _DROPPED_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(_SPACES.sub(" ", data.replace("\r", " ").replace("\n", " ")))


def html_to_text(html: str) -> str:
    """Readable text of an HTML body; nothing is fetched or run."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
