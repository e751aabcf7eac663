import pytest

import provenance_corpus as generated
from provenance_corpus import import_as


@pytest.fixture
def traced_corpus(case, tmp_path):
    """The generated corpus imported into `case` (log first, then outputs): (case, corpus)."""
    corpus = generated.build()
    log, outputs = generated.write(corpus, tmp_path)
    import_as(case, log, "logs")
    import_as(case, outputs, "outputs")
    return case, corpus
