import pytest

from app.core.cancel import run_to_end
from app.core.records import ImportSettings
from app.importers.pipeline import import_files

import provenance_corpus as generated


def import_as(case, path, family: str) -> None:
    report = run_to_end(import_files(case, [path], ImportSettings(as_kind=family, timezone="UTC")))
    assert all(f.error is None for f in report.files)


def request_ids(conn) -> dict[int, str]:
    """item id -> request id of each log row (read through the fields, as a user would)."""
    from app.store.item_query import get_item

    ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE kind = 'log_entry'")]
    return {i: get_item(conn, i)["fields"]["request_id"] for i in ids}


def output_ids(conn) -> dict[int, str]:
    from app.store.item_query import get_item

    ids = [r[0] for r in conn.execute("SELECT id FROM items WHERE kind = 'output'")]
    return {i: get_item(conn, i)["fields"]["original"]["id"] for i in ids}


@pytest.fixture
def traced_corpus(case, tmp_path):
    """The generated corpus imported into `case` (log first, then outputs): (case, corpus)."""
    corpus = generated.build()
    log, outputs = generated.write(corpus, tmp_path)
    import_as(case, log, "logs")
    import_as(case, outputs, "outputs")
    return case, corpus
