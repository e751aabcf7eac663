"""SHA-256 / MD5 of originals and canonical content hashes of items."""

import hashlib
import json
from concurrent.futures import Future, ThreadPoolExecutor

import orjson

# Large blocks are hashed on a helper thread while the caller goes on: hashlib releases
# the GIL for blocks this big, so on two cores hashing an original beside parsing it (or
# MD5 beside SHA-256) costs the caller next to nothing.
PARALLEL_BYTES = 64 * 1024
_hash_worker: ThreadPoolExecutor | None = None


def _hash_thread() -> ThreadPoolExecutor:
    global _hash_worker
    if _hash_worker is None:
        _hash_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hash")
    return _hash_worker


class HashBehind:
    """A hashlib object whose large updates run on the helper thread, in order."""

    def __init__(self, algorithm) -> None:
        self._hash = algorithm
        self._pending: Future | None = None  # the previous block's update, still running

    def update(self, chunk) -> None:
        self._finish()  # blocks reach the hash in order
        if len(chunk) >= PARALLEL_BYTES:
            self._pending = _hash_thread().submit(self._hash.update, bytes(chunk))
        else:
            self._hash.update(chunk)

    def _finish(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None

    def hexdigest(self) -> str:
        self._finish()
        return self._hash.hexdigest()


JSON_CHUNK = 20_000  # list items or characters encoded by one call (a few milliseconds)


def canonical_json(value) -> str:
    """One stable JSON text for a value: sorted keys, no spaces, UTF-8 kept.

    Long lists and strings (an audit entry naming a million tagged items) are encoded a
    piece at a time, into exactly the same text: one json.dumps call over them holds the
    interpreter ~0.2 s, and a worker thread doing so freezes the window that long.
    """
    return _canonical(value, 2)


def _dumps(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _canonical(value, depth: int) -> str:
    kind = type(value)
    if kind is str and len(value) > JSON_CHUNK:
        pieces = (_dumps(value[i : i + JSON_CHUNK])[1:-1] for i in range(0, len(value), JSON_CHUNK))
        return '"' + "".join(pieces) + '"'
    if kind is list and len(value) > JSON_CHUNK:
        return "[" + ",".join(_dumps(value[i : i + JSON_CHUNK])[1:-1] for i in range(0, len(value), JSON_CHUNK)) + "]"
    if depth and kind is list:
        return "[" + ",".join(_canonical(v, depth - 1) for v in value) + "]"
    if depth and kind is dict and all(type(k) is str for k in value):
        return "{" + ",".join(_dumps(k) + ":" + _canonical(value[k], depth - 1) for k in sorted(value)) + "}"
    return _dumps(value)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StreamHasher:
    """SHA-256 and MD5 computed together over bytes as they are read (MD5 behind, on the helper thread)."""

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._md5 = HashBehind(hashlib.md5(usedforsecurity=False))
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self._md5.update(chunk)
        self._sha256.update(chunk)
        self.size += len(chunk)

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @property
    def md5(self) -> str:
        return self._md5.hexdigest()


def item_content_hash(
    kind: str,
    title: str | None,
    text: str | None,
    fields_json: str | None,
    ts_original: str | None,
    ts_utc_us: int | None,
    locator_json: str | None,
) -> str:
    """The hash that `verify` recomputes from an item's stored columns.

    Built from the stored column values themselves (fields and locator as their stored
    JSON text), so a change to any of them outside the application is detected.
    """
    pieces = []
    for part in (
        kind,
        title,
        text,
        fields_json,
        ts_original,
        None if ts_utc_us is None else str(ts_utc_us),
        locator_json,
    ):
        encoded = b"\x00" if part is None else part.encode("utf-8", "surrogatepass") + b"\x01"
        pieces.append(len(encoded).to_bytes(8, "big"))
        pieces.append(encoded)
    return hashlib.sha256(b"".join(pieces)).hexdigest()  # one update: the same digest, fewer calls


def dedup_digest(key: str) -> tuple[int, bytes]:
    """A dedup key as stored: a 64-bit integer to index and look up, and 8 check bytes.

    A million random text keys in a b-tree cost the import about 8 s more than none; 64-bit
    integers about 5 s (measured at 1M rows). The check bytes make a match exact to 128 bits:
    two different rows sharing the integer (odds of 1 in 10^11 at a million rows) are told
    apart, never one counted as a copy of the other.
    """
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(digest[:8], "big", signed=True), digest[8:]


def digest_of_hashes(hashes) -> str:
    """An order-sensitive digest over a sequence of hex hashes (an import's items)."""
    digest = hashlib.sha256()
    for value in hashes:
        digest.update(value.encode("ascii"))
        digest.update(b"\n")
    return digest.hexdigest()


# An item's columns that its content hash does not cover: what the review table lists and
# filters on, and what exhibits and sidecars print beside the content (who, which key, from
# where, in which zone, attached to what). The listing hash covers them, the content hash
# (which covers kind, title, text, fields, the original timestamp and the locator) and the
# SHA-256 of every payload, bound to the item's id.
LISTING_COLUMNS = (
    "id",
    "parent_id",
    "source_id",
    "content_hash",
    "ts_zone",
    "ts_assumed",
    "ts_note",
    "account",
    "api_key",
    "ip",
    "model",
    "thread_id",
    "dedup_hash",
    "dedup_check",
    "warnings",
)


def payload_hashes(payloads: dict[str, bytes]) -> list[list[str]]:
    """[[role, SHA-256], ...] of an item's payloads, by role: what its listing hash covers."""
    return [[role, hashlib.sha256(payloads[role]).hexdigest()] for role in sorted(payloads)]


def item_listing_hash(values: tuple, payloads: list) -> bytes:
    """16 bytes over an item's LISTING_COLUMNS values as stored and its `payload_hashes`.

    The rule: SHA-256 of the compact JSON array of the values in LISTING_COLUMNS order
    (bytes as lower-case hex), then the payload list; the first 16 bytes. One JSON dump
    and one hash: under a microsecond a row, on the import's hot path.
    """
    return hashlib.sha256(orjson.dumps([*values, payloads], default=bytes.hex)).digest()[:16]


def quarantine_row_hash(source_id: int, locator_json: str, raw: bytes | None, reason: str) -> bytes:
    """16 bytes over a quarantine row: where, why, and the SHA-256 of the bytes kept (none: null)."""
    kept = None if raw is None else hashlib.sha256(raw).hexdigest()
    return hashlib.sha256(orjson.dumps([source_id, locator_json, reason, kept])).digest()[:16]


def duplicate_row_bytes(source_id: int, locator_json: str, first_item_id: int, custodian: str | None) -> bytes:
    """A duplicates row as the import's digest of its duplicates takes it."""
    return orjson.dumps([source_id, locator_json, first_item_id, custodian])
