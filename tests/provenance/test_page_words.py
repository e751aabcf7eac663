"""Word hashes of a page at once are exactly the ones of each text on its own: the same fingerprints, the same links."""

import random

import numpy as np

from app.analysis.provenance import page_words
from app.analysis.provenance.fingerprints import flat_fingerprints, page_fingerprints
from app.analysis.provenance.page_words import PageWordHashes
from app.analysis.provenance.words import WordHashes, words

LETTERS = "abcXYZ0189_-. \n\t'"
OTHERS = "éЕ中\u200b"


def _pages(rng: random.Random):
    for _ in range(150):
        page = []
        for _ in range(rng.randrange(0, 25)):
            alphabet = LETTERS + (OTHERS if rng.random() < 0.3 else "")
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 200)))
            if rng.random() < 0.1:
                text += " " + "Ab" * rng.randrange(30, 80)  # longer than LONG_WORD: hashed one by one
            page.append(text)
        yield page


def test_a_page_hashed_at_once_gives_each_texts_words_and_fingerprints(monkeypatch):
    rng = random.Random(5)
    together, one_by_one = PageWordHashes(), WordHashes()
    for number, page in enumerate(_pages(rng)):
        monkeypatch.setattr(page_words, "BATCH_CHARS", [40, 300, 1 << 20][number % 3])
        hashed, counts = together.of(page)
        expected = [one_by_one.of(words(text)) for text in page]
        assert counts.tolist() == [len(e) for e in expected]
        assert hashed.tolist() == [h for e in expected for h in e]
        got = flat_fingerprints(hashed, counts, 3, 2)
        want = page_fingerprints(expected, 3, 2)
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
