"""The comparison exhibit in a bundle: two columns, shared passages shaded and underlined, the
request's account and time, Bates cites of both items, figures and method; text extractable, CJK too."""

import json
import subprocess

from provenance_corpus import import_as
from pypdf import PdfReader

from app.analysis.provenance.operation import trace_outputs
from app.analysis.settings import load_settings
from app.core.cancel import run_to_end
from app.export.bundle import ExportSettings, export_bundle
from app.export.selection import Selection
from app.store import annotations
from app.store import provenance_links as store

ANSWER = (
    "Let's work through compound interest carefully. Step 1: write the principal, the rate and the number of "
    "periods. Step 2: multiply the principal by one plus the rate for every period. Step 3: subtract the "
    "principal to find the interest earned. Final answer: interest grows on interest, so money doubles faster "
    "than simple interest suggests. 我们一步一步地计算复利：先写出本金和利率，再乘以每一期的增长因子。"
)
COPY = ANSWER.replace("Let's work through", "Let us walk through").replace("Final answer:", "In short:")


def _case_with_a_copy(case, tmp_path, answer: str = ANSWER, copy: str = COPY):
    log = tmp_path / "api.jsonl"
    row = {
        "timestamp": "2026-03-04T10:12:00Z",
        "account": "acct-0007",
        "status": 200,
        "prompt": "Explain compound interest step by step.",
        "response": answer,
    }
    log.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    import_as(case, log, "logs")
    outputs = tmp_path / "outputs.jsonl"
    record = {"prompt": "Explain compound interest.", "response": copy}
    outputs.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    import_as(case, outputs, "outputs")
    run_to_end(trace_outputs(case, load_settings()))
    (link,) = store.links(case.conn)
    run = store.latest_run(case.conn)
    ref = {
        "output_id": link["output_id"],
        "response_id": link["response_id"],
        "provenance": run["settings"]["provenance"],
    }
    exhibit = annotations.create_summary_exhibit(case, "Output copies our answer", "comparison", ref)
    return link, exhibit


def test_the_comparison_exhibit_says_everything_in_extractable_text(case, tmp_path):
    link, exhibit = _case_with_a_copy(case, tmp_path)
    selection = Selection(item_ids=[link["output_id"]], exhibit_ids=[exhibit])
    run_to_end(export_bundle(case, tmp_path / "bundle.pdf", selection, ExportSettings(exhibit_scheme="PX-1")))
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "bundle.pdf")).pages]
    text = "\n".join(pages)
    flat = " ".join(text.split())
    assert "The competitor's output and our logged response, side by side" in flat
    share = round(link["similarity"] * 100)
    assert f"{share}% of this output's {link['output_words']} words are in passages shared with the response" in flat
    assert "logged at 2026-03-04 10:12 UTC for acct-0007" in flat
    assert f"longest shared passage {link['longest_run']} words" in flat
    # cites: the output is an exhibit of this bundle; the response was never produced
    assert f"item {link['output_id']}; PX-" in flat
    assert f"item {link['response_id']}; not produced" in flat
    assert "a shared passage is a run of at least 12 consecutive words" in flat
    assert "The competitor's output" in flat and "Our logged response" in flat
    assert "我们一步一步地计算复利" in text.replace("\n", "").replace(" ", "")
    assert "Let us walk through" in flat and "Let's work through" in flat


def test_the_comparison_page_renders(case, tmp_path):
    link, exhibit = _case_with_a_copy(case, tmp_path)
    run_to_end(export_bundle(case, tmp_path / "bundle.pdf", Selection(exhibit_ids=[exhibit]), ExportSettings()))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", tmp_path / "bundle.pdf", tmp_path / "page"], check=True
    )
    rendered = list(tmp_path.glob("page*.png"))
    assert rendered and rendered[0].stat().st_size > 5000


def test_long_texts_continue_in_both_columns_on_later_pages(case, tmp_path):
    answer = "\n".join(f"Paragraph {n}: " + ANSWER for n in range(30))
    link, exhibit = _case_with_a_copy(case, tmp_path, answer, answer.replace("Paragraph 7:", "Section seven:"))
    run_to_end(export_bundle(case, tmp_path / "bundle.pdf", Selection(exhibit_ids=[exhibit]), ExportSettings()))
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "bundle.pdf")).pages]
    drawn = [p for p in pages if "Our logged response" in p]
    assert len(drawn) >= 3  # the columns go on, each page with both headings
    assert all("The competitor's output" in p for p in drawn)
    assert "Paragraph 29" in drawn[-1] and "Section seven" in "".join(drawn)
