"""Feeding hostile bytes to every importer: one run, the mutations, and a fuzzing loop.

Shared by the suite (tests/fuzz/test_fuzz_*.py: hypothesis and a short deterministic
run) and the long run (bench/fuzz_importers.py). One run hands the bytes to every
importer's `sniff` (as choosing an importer does) and then to one importer's `read`,
with a real ImportContext, and makes each record ready for the case as the item writer
does (its `_prepare`: the JSON of fields and locator, the content hash). A *finding* is:
- an exception out of sniff, read or the writer's preparation (the import would fail
  there, or the pipeline's safety net would give up the rest of the file);
- a record of another type than ItemRecord / Quarantined / Skipped;
- a record quarantined by a catch-all ("... (SomeError: ...)"): no crash, but the
  reason is a program's, not a plain one -- worth a look and a proper reason. (Not the
  Outlook importer's: extract-msg raises any type on a damaged file, by design.)
"""

import hashlib
import io
import random
import re
import signal
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from app.core.records import ImportSettings, ItemRecord, Quarantined, Skipped
from app.core.timestamps import TimestampParser
from app.importers.base import ImportContext
from app.importers.item_writer import _prepare  # exactly what the writer does with a record
from app.importers.registry import UnknownFormat, all_importers, choose_importer

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
CRASHES = HERE / "crashes"
MAX_SIZE = 256 * 1024
# Which importer reads each seed (the name of a crash file starts with its importer's).
SEEDS = {
    "message.eml": "eml",
    "nested.eml": "eml",
    "mailbox.mbox": "mbox",
    "outlook.msg": "msg",
    "headers.msg": "msg",
    "requests.csv": "csv",
    "requests.tsv": "tsv",
    "api.jsonl": "jsonl",
    "access.log": "weblog",
    "syslog.log": "syslog",
    "service.log": "text",
    "outputs.jsonl": "outputs_jsonl",
    "outputs.json": "outputs_json",
    "transcript.md": "outputs_text",
    "document.pdf": "pdf",
    "notes.txt": "text_document",
    "photo.png": "image",
    "photo.jpg": "image",
}
# (an archive's `read` is never called: the pipeline imports its members, each with its own importer)
IMPORTERS = {imp.name: imp for imp in all_importers() if not getattr(imp, "is_archive", False)}
# A reason that names an exception class: a catch-all caught it, not a rule of the format.
_CAUGHT_BY_CATCH_ALL = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception|Defect)\b: ")
_MSG_UNREADABLE = ("not a readable Outlook message", "the Outlook message cannot be read")
# What hostile files are made of: the inputs of issue 14 and their relatives.
TOKENS = [
    b"=?utf-8?B?=?utf-8?B?=",
    b"=?utf\x008?q?a?=",
    b"=?x-unknown?b?////?=",
    b'charset="utf\x008"',
    b"\x00",
    b"\x0cX-Evil: b",
    b"\r",
    b"\n",
    b"\r\n\r\n",
    b"\n\n",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b'Content-Type: multipart/mixed; boundary="z"\n\n--z\n',
    b"Content-Type: message/rfc822\n\n",
    b"Content-Transfer-Encoding: base64\n\n",
    b"Content-Type: text/plain; charset*=utf-8''%FF%00\n",
    b"From x@example.com Tue Jul  1 10:00:00 2025\n",
    b">From ",
    b"[",
    b"{",
    b'{"a":',
    b"]",
    b"}",
    b'"',
    b"\\",
    b"\\ud800",
    b"1e99999",
    b"-0",
    b"NaN",
    b",",
    b"\t",
    b";",
    b":",
    b"<",
    b"%PDF-1.7\n",
    b"\x89PNG\r\n\x1a\n",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"\x1f\x8b\x08\x00",
    b"\xe2\x80\xae",
    b"\xf0\x9f\x92\xa9",
    b"\xc3",
    b"<34>1 ",
    b"Mar  1 10:00:00 ",
    b"2025-02-30T25:61:61Z",
    b"9" * 40,
    b"=" * 10,
    b"A" * 300,
]


@dataclass
class Finding:
    importer: str
    stage: str  # sniff, read, prepare, type, catch-all
    error: str
    where: str  # the innermost frames, for the report
    data: bytes
    file_name: str

    @property
    def key(self) -> tuple:
        """Findings with the same key are the same defect (slow runs: one per importer)."""
        if self.stage in ("slow", "hang"):
            return self.importer, self.stage
        return self.importer, self.stage, self.error.split(":")[0], self.where

    def save(self, folder: Path = CRASHES) -> Path:
        """Keep the input as a regression file: <importer>-<sha256>.<extension of the seed>."""
        folder.mkdir(parents=True, exist_ok=True)
        suffix = "".join(Path(self.file_name).suffixes[-1:])
        path = folder / f"{self.importer}-{hashlib.sha256(self.data).hexdigest()[:12]}{suffix}"
        path.write_bytes(self.data)
        return path


@dataclass
class RunResult:
    records: int = 0
    quarantined: int = 0
    findings: list[Finding] = field(default_factory=list)


def context(file_name: str) -> ImportContext:
    return ImportContext(
        settings=ImportSettings(),
        timestamps=TimestampParser("UTC", False, 2025),
        file_name=file_name,
        file_mtime=datetime(2025, 3, 1, tzinfo=timezone.utc),
        stream_is_original=True,
    )


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))


def run_one(importer_name: str, data: bytes, file_name: str) -> RunResult:
    """Sniff with every importer, then read with `importer_name`; what was found."""
    result = RunResult()

    def found(stage, error, where=""):
        result.findings.append(Finding(importer_name, stage, error, where, data, file_name))

    try:
        choose_importer(data[: 64 * 1024], file_name)
    except UnknownFormat:
        pass
    except Exception as exc:  # noqa: BLE001 -- what the fuzzer is looking for
        found("sniff", f"{type(exc).__name__}: {str(exc)[:200]}", _where(exc))
    try:
        for record in IMPORTERS[importer_name].read(io.BufferedReader(io.BytesIO(data)), context(file_name)):
            result.records += 1
            if isinstance(record, ItemRecord):
                _prepare(record, 1)
            elif isinstance(record, Quarantined):
                result.quarantined += 1
                if not isinstance(record.raw, (bytes, str)):
                    found("type", f"quarantined raw is {type(record.raw).__name__}")
                _prepare(ItemRecord("log_entry", record.locator), 1)  # the locator must be storable
                if _CAUGHT_BY_CATCH_ALL.search(record.reason) and not record.reason.startswith(_MSG_UNREADABLE):
                    found("catch-all", record.reason[:300])
            elif not isinstance(record, Skipped):
                found("type", f"read yielded {type(record).__name__}")
    except Exception as exc:  # noqa: BLE001
        stage = "prepare" if "_prepare" in _where(exc) else "read"
        found(stage, f"{type(exc).__name__}: {str(exc)[:200]}", _where(exc))
    return result


# -- mutations ----------------------------------------------------------------------------


def _flip(data: bytearray, rng: random.Random) -> None:
    if data:
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)


def _set_byte(data: bytearray, rng: random.Random) -> None:
    if data:
        data[rng.randrange(len(data))] = rng.choice(
            (0, 0x0A, 0x0D, 0x20, 0x22, 0x7F, 0x80, 0xC3, 0xFF, rng.randrange(256))
        )


def _insert_token(data: bytearray, rng: random.Random) -> None:
    at = rng.randrange(len(data) + 1)
    data[at:at] = rng.choice(TOKENS)


def _nest(data: bytearray, rng: random.Random) -> None:
    """A token repeated hundreds or thousands of times: deep nesting, long runs."""
    at = rng.randrange(len(data) + 1)
    token = rng.choice(TOKENS[:20] + [b"[", b"{", b'{"a":', b"[{", b"--z\n", b">"])
    data[at:at] = token * rng.choice((300, 1100, 5000))


def _nest_well_formed(data: bytearray, rng: random.Random) -> None:
    """Deep nesting that still parses: a JSON member whose value is nested hundreds or thousands
    of levels deep, or MIME multiparts nested as deep before a text part."""
    levels = rng.choice((200, 254, 300, 1000, 1100, 5000))
    if rng.random() < 0.5:
        starts = [m.end() for m in re.finditer(rb"\{\s*(?=\")", bytes(data))]
        nest = rng.choice((b"[" * levels + b"]" * levels, b'{"a":' * levels + b"1" + b"}" * levels))
        at, piece = (rng.choice(starts), b'"deep": ' + nest + b", ") if starts else (0, nest)
    else:
        starts = [m.start() for m in re.finditer(rb"(?im)^content-type: text/plain", bytes(data))]
        at = rng.choice(starts) if starts else 0
        piece = b"".join(b'Content-Type: multipart/mixed; boundary="n%d"\n\n--n%d\n' % (i, i) for i in range(levels))
    data[at:at] = piece


def _delete(data: bytearray, rng: random.Random) -> None:
    if data:
        at = rng.randrange(len(data))
        del data[at : at + rng.choice((1, 2, 8, 64, 512))]


def _duplicate(data: bytearray, rng: random.Random) -> None:
    if data:
        at = rng.randrange(len(data))
        piece = data[at : at + rng.choice((4, 32, 256, 2048))]
        where = rng.randrange(len(data) + 1)
        data[where:where] = piece * rng.choice((1, 2, 10))


def _truncate(data: bytearray, rng: random.Random) -> None:
    if data:
        del data[rng.randrange(len(data)) :]


def _line_swap(data: bytearray, rng: random.Random) -> None:
    lines = bytes(data).split(b"\n")
    if len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        data[:] = b"\n".join(lines)


MUTATIONS = (_flip, _set_byte, _insert_token, _nest, _nest_well_formed, _delete, _duplicate, _truncate, _line_swap)


def mutate(data: bytes, rng: random.Random, others: list[bytes] = ()) -> bytes:
    """1 to 4 mutations (now and then a splice with another seed); at most MAX_SIZE bytes."""
    out = bytearray(data)
    if others and rng.random() < 0.1:
        other = rng.choice(others)
        out[rng.randrange(len(out) + 1) :] = other[rng.randrange(len(other) + 1) :]
    for _ in range(rng.randint(1, 4)):
        rng.choice(MUTATIONS)(out, rng)
    return bytes(out[:MAX_SIZE])


def apply_mutations(data: bytes, steps: list[tuple[int, int]]) -> bytes:
    """Mutations chosen by numbers (for hypothesis): (which mutation, its random seed)."""
    out = bytearray(data)
    for which, seed in steps:
        MUTATIONS[which % len(MUTATIONS)](out, random.Random(seed))
    return bytes(out[:MAX_SIZE])


def corpus() -> dict[str, bytes]:
    return {name: (CORPUS / name).read_bytes() for name in SEEDS}


def crash_files() -> list[Path]:
    return sorted(p for p in CRASHES.glob("*") if p.is_file() and p.name.split("-")[0] in IMPORTERS)


@dataclass
class FuzzReport:
    runs: int = 0
    records: int = 0
    findings: dict = field(default_factory=dict)  # key -> first Finding
    hits: dict = field(default_factory=dict)  # key -> how many runs found it


class TooSlow(BaseException):
    """A run over its time (a BaseException: no importer's catch-all may swallow it)."""


def _alarm(_signum, _frame):
    raise TooSlow()


def fuzz(
    runs: int, seed: int, on_finding=None, should_stop=None, slow_seconds: float | None = None, on_progress=None
) -> FuzzReport:
    """`runs` mutated seeds, deterministic for a given `seed`. Each run reads the mutant with
    its seed's importer (one run in five: with the importer the sniff chooses);
    `on_progress(report)` every 500 runs.

    With `slow_seconds` (the long run; never in the suite, which has no time limits) a run
    taking more CPU time is a finding ("slow"), and one taking ten times more is stopped
    ("hang"): a hostile file must not stall an import either. CPU time, not wall-clock time:
    the fuzzer shares its cores.
    """
    if slow_seconds:
        signal.signal(signal.SIGVTALRM, _alarm)
    rng = random.Random(seed)
    seeds = corpus()
    names = sorted(seeds)
    report = FuzzReport()
    for _ in range(runs):
        if should_stop is not None and should_stop():
            break
        name = rng.choice(names)
        data = mutate(seeds[name], rng, [seeds[n] for n in names])
        importer = SEEDS[name]
        if rng.random() < 0.2:
            try:
                importer = choose_importer(data[: 64 * 1024], name).name
            except Exception:  # noqa: BLE001 -- run_one reports a failing sniff
                pass
        started = time.process_time()
        try:
            if slow_seconds:
                signal.setitimer(signal.ITIMER_VIRTUAL, slow_seconds * 10)
            result = run_one(importer, data, name)
        except TooSlow:
            stopped = Finding(importer, "hang", f"stopped after {slow_seconds * 10:g} s of CPU time", "", data, name)
            result = RunResult(findings=[stopped])
        finally:
            if slow_seconds:
                signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        took = time.process_time() - started
        if slow_seconds and slow_seconds < took < slow_seconds * 10:
            result.findings.append(Finding(importer, "slow", f"took {took:.1f} s of CPU time", "", data, name))
        report.runs += 1
        report.records += result.records
        if on_progress is not None and report.runs % 500 == 0:
            on_progress(report)
        for finding in result.findings:
            report.hits[finding.key] = report.hits.get(finding.key, 0) + 1
            if finding.key not in report.findings:
                report.findings[finding.key] = finding
                if on_finding is not None:
                    on_finding(finding)
    return report
