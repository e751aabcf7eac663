"""The word hashes of a page of texts, computed together with numpy.

Over a million logged responses, splitting each text into words and looking each word's
hash up one by one in Python was most of the time of a run. Texts that are plain ASCII
(most API logs) are instead joined into one byte buffer, lowercased, cut at every
character that is not a letter or digit and given a 64-bit polynomial key per word, all
as arrays; only the distinct keys are looked up in a cache of word hashes, and only the
words never seen before are hashed (BLAKE2b, exactly as `words.WordHashes`). The result
is word for word what `WordHashes.of(words(text))` gives; other texts take that path.

A polynomial key could make two different words look the same (probability about
2^-64 a pair; adversarial collisions need very long words): words longer than
`LONG_WORD` characters are therefore hashed exactly, one by one, and never cached.
"""

import numpy as np

from app.analysis.provenance.words import WordHashes, _hash, words

LONG_WORD = 64
BATCH_CHARS = 1 << 20  # text joined per batch: bounds the arrays (~10 bytes a character)
CACHE_LIMIT = 1 << 20  # distinct words kept; a larger vocabulary is hashed again after a clear

_ALNUM = np.zeros(256, dtype=bool)
_LOWER = np.arange(256, dtype=np.uint8)
for _c in b"0123456789abcdefghijklmnopqrstuvwxyz":
    _ALNUM[_c] = True
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _ALNUM[_c] = True
    _LOWER[_c] = _c + 32
_BASE = np.uint64(0x100000001B3)  # odd: every power is invertible mod 2**64
_POWERS = np.concatenate([[np.uint64(1)], np.cumprod(np.full(LONG_WORD - 1, _BASE, dtype=np.uint64))])


class PageWordHashes:
    """Word hashes of pages of texts; keeps a cache of the words it has hashed."""

    def __init__(self):
        self._keys = np.empty(0, dtype=np.uint64)  # sorted
        self._values = np.empty(0, dtype=np.uint64)
        self._slow = WordHashes()

    def of(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(the word hashes of every text, one after another (uint64); each text's word count)."""
        counts = np.zeros(len(texts), dtype=np.int64)
        parts: list[tuple[list[int], np.ndarray]] = []  # (text indexes, their hashes one after another)
        batch: list[int] = []
        size = 0
        for index, text in enumerate(texts):
            if not text.isascii():
                hashed = np.array(self._slow.of(words(text)), dtype=np.uint64)
                parts.append(([index], hashed))
                counts[index] = len(hashed)
                continue
            batch.append(index)
            size += len(text) + 1
            if size >= BATCH_CHARS:
                parts.append((batch, self._ascii(texts, batch, counts)))
                batch, size = [], 0
        if batch:
            parts.append((batch, self._ascii(texts, batch, counts)))
        if not parts:
            return np.empty(0, dtype=np.uint64), counts
        if len(parts) == 1 or all(text.isascii() for text in texts):
            return np.concatenate([hashed for _i, hashed in parts]), counts
        # ASCII batches and other texts interleave: cut the batches back into texts
        pieces: dict[int, np.ndarray] = {}
        for indexes, hashed in parts:
            pieces.update(zip(indexes, np.split(hashed, np.cumsum(counts[indexes])[:-1])))
        return np.concatenate([pieces[i] for i in range(len(texts))]), counts

    def _ascii(self, texts: list[str], batch: list[int], counts: np.ndarray) -> np.ndarray:
        """The hashes of the ASCII texts `batch` (indexes, in order); fills their counts."""
        joined = "\n".join(texts[i] for i in batch).encode("ascii")
        raw = np.frombuffer(joined, dtype=np.uint8)
        inside = _ALNUM[raw]
        edges = np.diff(inside.view(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        # which text each word is in: texts are separated by one newline in `joined`
        text_starts = np.cumsum([0] + [len(texts[i]) + 1 for i in batch[:-1]])
        text_of = np.searchsorted(text_starts, starts, side="right") - 1
        counts[batch] = np.bincount(text_of, minlength=len(batch))
        if not len(starts):
            return np.empty(0, dtype=np.uint64)
        lengths = ends - starts
        lower = _LOWER[raw[inside]].astype(np.uint64)  # the words' characters, one after another
        first = np.cumsum(lengths) - lengths  # each word's first character in `lower`
        place = np.arange(len(lower), dtype=np.int64) - np.repeat(first, lengths)
        lower *= _POWERS[np.minimum(place, LONG_WORD - 1)]
        keys = np.add.reduceat(lower, first)
        keys ^= lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        values = self._lookup(keys, starts, ends, joined)
        for w in np.flatnonzero(lengths > LONG_WORD):
            values[w] = _hash(joined[starts[w] : ends[w]].decode("ascii").lower())
        return values

    def _lookup(self, keys: np.ndarray, starts, ends, joined: bytes) -> np.ndarray:
        distinct, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        places = np.searchsorted(self._keys, distinct)
        places[places == len(self._keys)] = 0
        known = self._keys[places] == distinct if len(self._keys) else np.zeros(len(distinct), dtype=bool)
        values = np.empty(len(distinct), dtype=np.uint64)
        values[known] = self._values[places[known]]
        new = np.flatnonzero(~known)
        if len(new):
            fresh = np.fromiter(
                (_hash(joined[starts[w] : ends[w]].decode("ascii").lower()) for w in first[new]),
                dtype=np.uint64,
                count=len(new),
            )
            values[new] = fresh
            if len(self._keys) + len(new) > CACHE_LIMIT:
                self._keys, self._values = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint64)
            keys_all = np.concatenate([self._keys, distinct[new]])
            order = np.argsort(keys_all, kind="stable")
            self._keys, self._values = keys_all[order], np.concatenate([self._values, fresh])[order]
        return values[inverse.reshape(-1)]
