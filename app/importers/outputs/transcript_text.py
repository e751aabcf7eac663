"""A chat transcript saved as text or Markdown: one `output` item, its turns in order.

Turns start at role lines such as `User: ...`, `**Assistant:**`, `## ChatGPT` or
`Human:`. A file with no such lines, forced here with `--as outputs`, is one
response. The date comes from the text when stated, else the file's modification
time (document_text).
"""

import re
from collections import Counter

from app.core.records import ItemRecord
from app.importers.base import ImportContext
from app.importers.documents.text import TEXT_EXTENSIONS, read_text_file, text_sniff
from app.importers.outputs.records import normalise_role, prompt_and_response

_ROLE = (
    r"(user|human|you|prompt|question|assistant|chatgpt|claude|gemini|gpt|ai|model|bot|response|answer|"
    r"system)"
)
# `Role: text` (the colon required), or a heading / bold line holding only the role.
_TURN_LINE = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ \t]+)?(?:\*\*|__)?{_ROLE}(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(.*)$"
    rf"|^[ \t]*(?:#{{1,6}}[ \t]+|\*\*|__){_ROLE}(?:\*\*|__)?[ \t]*$",
    re.I | re.M,
)
SNIFF_SCORES = {TEXT_EXTENSIONS: 60}  # Markdown included
# YAML front matter (`---` lines at the top) holds metadata, never turns; its `model:`
# names the model ("Model:" elsewhere is a speaker, as in Gemini transcripts).
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^---[ \t]*$", re.S | re.M)
_MODEL_LINE = re.compile(r"^model[ \t]*:[ \t]*[\"']?([^\n\"']{1,100})", re.I | re.M)


# A speaker by name: `Dana: ...`, `**Dana:** ...`, or a heading holding only the name.
_NAME_LINE = re.compile(
    r"^[ \t]*(?:\*\*|__)?([A-Z][\w.'-]*(?: [\w.'-]+){0,3})(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(.*)$"
    r"|^[ \t]*#{1,6}[ \t]+([A-Z][\w.'-]*(?: [\w.'-]+){0,3})[ \t]*$",
    re.M,
)
# Name parts that say a speaker is a model (a transcript with one is offered as outputs).
_MODEL_NAMES = re.compile(
    r"\b(gpt[\w.-]*|claude|gemini|llama|mistral|qwen|deepseek|assistant|bot|model|ai|copilot|grok)\b", re.I
)
MIN_NAME_LINES = 4


def speaker_lines(text: str, need_model: bool = True) -> list:
    """The name lines of a transcript whose speakers are named (two to six of them, taking
    turns, one a model when `need_model`); empty when the text is not such a transcript."""
    front = _FRONT_MATTER.match(text)
    found = list(_NAME_LINE.finditer(text, front.end() if front else 0))
    said = Counter(m.group(1) or m.group(3) for m in found)
    found = [m for m in found if said[m.group(1) or m.group(3)] > 1]  # a title or a "Note:" once is no speaker
    names = [m.group(1) or m.group(3) for m in found]
    if len(found) < MIN_NAME_LINES or not 2 <= len(set(names)) <= 6:
        return []
    changes = sum(1 for a, b in zip(names, names[1:]) if a != b)
    if changes < (len(names) - 1) / 2:
        return []
    if need_model and not any(_MODEL_NAMES.search(name) for name in set(names)):
        return []
    return found


def _speaker_role(name: str, first: str) -> str:
    role = normalise_role(name)
    if role in ("user", "assistant", "system"):
        return role
    return "user" if name == first and not _MODEL_NAMES.search(name) else "assistant"


def transcript_turns(text: str, forced: bool = False) -> list[dict]:
    """[{role, content}] split at role lines, else at speakers' name lines ({role, name,
    content}: the first speaker asks unless a model's name says otherwise). Text before the
    first such line (a title, front matter) is kept as a 'preamble' turn; text with none of
    them is one answer."""
    matches = _role_lines(text)
    if not matches:
        named = speaker_lines(text, need_model=not forced)
        if named:
            return _named_turns(text, named)
    turns = []
    preamble = text[: matches[0].start()].strip() if matches else text.strip()
    if preamble:
        turns.append({"role": "preamble" if matches else "assistant", "content": preamble})
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        first_line = match.group(2) or ""
        body = (first_line + text[match.end() : end]).strip()
        turns.append({"role": normalise_role(match.group(1) or match.group(3)), "content": body})
    return turns


def _named_turns(text: str, found: list) -> list[dict]:
    first = found[0].group(1) or found[0].group(3)
    preamble = text[: found[0].start()].strip()
    turns = [{"role": "preamble", "content": preamble}] if preamble else []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        name = match.group(1) or match.group(3)
        body = ((match.group(2) or "") + text[match.end() : end]).strip()
        turns.append({"role": _speaker_role(name, first), "name": name, "content": body})
    return turns


def _role_lines(text: str) -> list:
    front = _FRONT_MATTER.match(text)
    return list(_TURN_LINE.finditer(text, front.end() if front else 0))


def front_matter_model(text: str) -> str | None:
    front = _FRONT_MATTER.match(text)
    stated = _MODEL_LINE.search(front.group(0)) if front else None
    return stated.group(1).strip() or None if stated else None


def is_transcript(text: str) -> bool:
    roles = {normalise_role(m.group(1) or m.group(3)) for m in _role_lines(text)}
    return {"user", "assistant"} <= roles or bool(speaker_lines(text))


class TranscriptTextImporter:
    name = "outputs_text"
    family = "outputs"

    def sniff(self, head: bytes, filename: str) -> int:
        score = text_sniff(head, filename, SNIFF_SCORES, 45)
        if score and not is_transcript(head.decode("utf-8", "ignore")):
            return 1  # plain text: a document, unless the user says `--as outputs`
        return score

    def read(self, stream, ctx: ImportContext):
        text, fields, stamp, warnings, rest = read_text_file(stream, ctx)
        turns = transcript_turns(text, forced=ctx.settings.as_kind in (self.name, "outputs"))
        prompt, response = prompt_and_response(turns)
        system = next((t["content"] for t in turns if t["role"] == "system"), None)
        model = front_matter_model(text)
        fields = {
            "prompt": prompt,
            "response": response,
            "model": model,
            "system": system,
            "turns": turns,
            "conversation_id": None,
            "shape": "transcript",
            **fields,
        }
        yield ItemRecord(
            kind="output",
            locator={"file": ctx.file_name},
            title=ctx.file_name,
            text=text,
            fields=fields,
            timestamp=stamp,
            model=model,
            warnings=warnings,
        )
        if rest is not None:
            yield rest
