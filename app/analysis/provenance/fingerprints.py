"""Winnowed word n-gram fingerprints of a page of texts, computed together with numpy.

Each run of `shingle` words gets a hash; of every `window` consecutive n-gram hashes the
smallest is kept (winnowing, Schleimer, Wilkerson & Aiken 2003). Two texts sharing a
passage of at least `shingle + window - 1` words are guaranteed to share a
fingerprint, and a text of n words keeps about 2n/(window+1) of them. A page of
thousands of texts is hashed as one array: per-text Python work would be most of the
time over a million logged responses.
"""

import itertools

import numpy as np

# Odd 64-bit multipliers, one per position in the n-gram (the golden ratio's and its powers').
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD]
    + [0xC4CEB9FE1A85EC53 ^ (n * 0x9E3779B97F4A7C15 % (1 << 64)) | 1 for n in range(1, 60)],
    dtype=np.uint64,
)


def min_words(shingle: int, window: int) -> int:
    """The shortest text that has a full window, and the shortest passage always found."""
    return shingle + window - 1


def page_fingerprints(hashed: list[list[int]], shingle: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(text index, fingerprint) pairs for a page of texts given as lists of word hashes.

    Each pair appears once (a text repeating a passage counts it once); texts shorter than
    `min_words(shingle, window)` have none. Fingerprints are uint64.
    """
    counts = np.fromiter((len(h) for h in hashed), dtype=np.int64, count=len(hashed))
    flat = np.fromiter(itertools.chain.from_iterable(hashed), dtype=np.uint64, count=int(counts.sum()))
    return flat_fingerprints(flat, counts, shingle, window)


def flat_fingerprints(
    hashed: np.ndarray, counts: np.ndarray, shingle: int, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """`page_fingerprints` of the texts' word hashes given one after another (`counts` words each)."""
    shortest = min_words(shingle, window)
    long_enough = counts >= shortest
    lengths = np.where(long_enough, counts, 0)
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint64)
    words = hashed if long_enough.all() else hashed[np.repeat(long_enough, counts)]
    text_of = np.repeat(np.arange(len(counts), dtype=np.int64), lengths)
    grams = _ngram_hashes(words, shingle)
    span = len(grams) - window + 1
    smallest = grams[:span].copy()
    for offset in range(1, window):
        np.minimum(smallest, grams[offset : offset + span], out=smallest)
    # a window is whole when its first and last words belong to the same text
    whole = text_of[:span] == text_of[shortest - 1 : shortest - 1 + span]
    texts, prints = text_of[:span][whole], smallest[whole]
    order = np.lexsort((prints, texts))
    texts, prints = texts[order], prints[order]
    keep = np.ones(len(prints), dtype=bool)
    keep[1:] = (prints[1:] != prints[:-1]) | (texts[1:] != texts[:-1])
    return texts[keep], prints[keep]


def _ngram_hashes(words: np.ndarray, shingle: int) -> np.ndarray:
    """A mixed 64-bit hash of each run of `shingle` words (wrapping arithmetic, as intended)."""
    count = len(words) - shingle + 1
    grams = words[:count] * _MULTIPLIERS[0]
    for offset in range(1, shingle):
        grams += words[offset : offset + count] * _MULTIPLIERS[offset]
    # finalise (splitmix64) so that the smallest of a window is a fair sample
    grams ^= grams >> np.uint64(30)
    grams *= np.uint64(0xBF58476D1CE4E5B9)
    grams ^= grams >> np.uint64(27)
    grams *= np.uint64(0x94D049BB133111EB)
    grams ^= grams >> np.uint64(31)
    return grams
