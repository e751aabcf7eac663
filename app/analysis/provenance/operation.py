"""`trace_outputs(case, settings)`: link each model output to the logged responses it copies.

A generator yielding `Progress`, checking a `CancelToken`, returning a `ProvenanceResult`.
Stage one finds candidate pairs (app/analysis/provenance/candidates.py), stage two
compares each candidate word by word (passages.py) and keeps a link when the shared
passages cover at least `link_share` of the output's words or one of them is at least
`link_longest_run` words long. Canaries and self-identification are then looked for
in every item but log rows (marks.py). The run is stored in one transaction with its
audit entry (app/store/provenance_links.py); a cancelled run stores nothing.
"""

from dataclasses import dataclass, field

from app.analysis.provenance.candidates import CandidateIndex
from app.analysis.provenance.marks import find_marks, needles
from app.analysis.provenance.highlight import compare_prepared, passage_list, prepare
from app.analysis.provenance.texts import (
    LoggedResponses,
    Text,
    marked_item_count,
    marked_item_pages,
    output_count,
    output_pages,
    output_text,
)
from app.analysis.settings import settings_hash
from app.core.cancel import CancelToken, Progress
from app.store import audit
from app.store.case_file import CaseFile
from app.store.provenance_links import LinkRow, MarkRow, save_run, terms


@dataclass
class ProvenanceResult:
    run_id: int
    links: list[LinkRow]
    marks: list[MarkRow]
    run: dict = field(default_factory=dict)


def provenance_settings(settings: dict, threshold: float | None = None) -> dict:
    """The "provenance" section, with a threshold given on the command line laid over it."""
    section = dict(settings["provenance"])
    if threshold is not None:
        if not 0 < threshold <= 1:
            raise ValueError("The threshold is a share of the output's words: a number above 0 and at most 1.")
        section["link_share"] = threshold
    return section


def trace_outputs(case: CaseFile, settings: dict, token: CancelToken | None = None):
    """Compute and store the case's provenance links and marks (see the module's docstring)."""
    token = token or CancelToken()
    conn = case.conn
    p = settings["provenance"]
    run = {
        "settings_hash": settings_hash(settings),
        "item_count": conn.execute("SELECT count(*) FROM items").fetchone()[0],
    }
    run["audit_seq"], run["audit_head"] = audit.head(conn)
    index = CandidateIndex(p["shingle_words"], p["winnow_window"], p["boilerplate_max_responses"])
    try:
        links = yield from _links(conn, index, p, run, token)
    finally:
        index.close()
    marks = yield from _marks(conn, p, token)
    token.raise_if_cancelled()
    yield Progress("Saving the links", 0, None, "steps")
    run_id = save_run(case, run, settings, links, marks)
    return ProvenanceResult(run_id, links, marks, run)


def _links(conn, index: CandidateIndex, p: dict, run: dict, token: CancelToken):
    total = output_count(conn)
    done = 0
    for page in output_pages(conn, p["page_size"]):
        token.raise_if_cancelled()
        index.add_outputs(page)
        done += len(page)
        yield Progress("Indexing the model outputs", done, total, "outputs")
    index.outputs_done()
    responses = LoggedResponses(conn)
    total, done = responses.count(), 0
    for page, read in responses.pages(p["page_size"]):
        token.raise_if_cancelled()
        index.add_responses(page)
        done += read
        yield Progress("Reading our logged responses", done, total, "rows")
    if p["link_outputs_to_outputs"]:
        done = 0
        for page in output_pages(conn, p["page_size"]):
            token.raise_if_cancelled()
            index.add_output_sources(page)
            done += len(page)
            yield Progress(
                "Reading the outputs again, as text other outputs may copy", done, index.outputs_indexed, "outputs"
            )
    run["outputs_compared"] = index.outputs_indexed
    run["responses_compared"] = index.responses_read
    run["distinct_responses"] = index.distinct_responses
    links: list[LinkRow] = []
    candidates = 0
    yield Progress("Comparing candidate pairs", 0, None, "outputs")
    limits = (p["min_shared_fingerprints"], p["max_candidates_per_output"])
    needed = index.stage(index.candidates(*limits))
    for start in range(0, len(needed), p["page_size"]):
        token.raise_if_cancelled()
        index.keep_texts(t for t in (responses.one(i) for i in needed[start : start + p["page_size"]]) if t)
        yield Progress("Reading the candidate responses", start, len(needed), "responses")
    for number, (output_id, found) in enumerate(index.staged(), start=1):
        token.raise_if_cancelled()
        candidates += len(found)
        others = [(Text(*row), index.representative(row[2])) for row in found]
        links += _verified(output_id, output_text(conn, output_id), others, p, "response", index.only_boilerplate)
        if number % 200 == 0:
            yield Progress("Comparing candidate pairs", number, None, "outputs")
    if p["link_outputs_to_outputs"]:
        for output_id, other_ids in index.output_candidates(*limits):
            token.raise_if_cancelled()
            candidates += len(other_ids)
            others = [(Text(i, None, output_text(conn, i)), (i, 1)) for i in other_ids]
            links += _verified(output_id, output_text(conn, output_id), others, p, "output", index.only_boilerplate)
    run["candidates"] = candidates
    return links


def _verified(output_id: int, output: str, others: list, p: dict, kind: str, only_boilerplate) -> list[LinkRow]:
    """The candidates (Text, (representative id, copies)) that pass the thresholds, strongest first.

    A shared passage made only of boilerplate (`only_boilerplate(words)`) does not count.

    A text whose passages all lie in output words a stronger link already explains is
    left out: one topic's answer sharing only the lab's common template with another's
    does not make a second link, while an output stitched from two responses keeps both.
    """
    compared = []
    prepared = prepare(output, p)
    for other, representative in others:
        result = compare_prepared(prepared, prepare(other.text, p), p)
        result.passages = [
            x for x in result.passages if not only_boilerplate(prepared[0][x.output_start : x.output_start + x.length])
        ]
        if result.similarity >= p["link_share"] or result.longest_run >= p["link_longest_run"]:
            compared.append((result, other, representative))
    compared.sort(key=lambda found: (-found[0].shared_words, -found[0].longest_run, found[1].item_id))
    covered: set[int] = set()
    found: dict[int, LinkRow] = {}
    for result, other, (representative, copies) in compared:
        words_here = {i for x in result.passages for i in range(x.output_start, x.output_start + x.length)}
        if len(words_here - covered) < p["min_passage_words"]:
            continue
        covered |= words_here
        representative = representative or other.item_id
        if representative not in found:
            found[representative] = LinkRow(
                output_id,
                representative,
                result.similarity,
                result.shared_words,
                result.longest_run,
                result.output_words,
                result.response_words,
                copies,
                passage_list(result),
                kind,
            )
    return list(found.values())


def _marks(conn, p: dict, token: CancelToken):
    canaries = terms(conn, "canary")
    names = terms(conn, "lab_name") or list(p["lab_names"])
    wanted = needles(canaries, names, p["self_identification"])
    found: list[MarkRow] = []
    if not wanted:
        return found
    total, done = marked_item_count(conn), 0
    for page in marked_item_pages(conn, p["page_size"]):
        token.raise_if_cancelled()
        for item_id, segments in page:
            found += find_marks(item_id, segments, wanted)
        done += len(page)
        yield Progress("Looking for canaries and self-identification", done, total, "items")
    return found
