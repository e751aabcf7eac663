"""Reading scanned pages and images with Tesseract: the OCR layer of an item (a generator).

PDF pages are rendered with pypdfium2 (at 300 dpi) and images opened with Pillow, from the
item's stored bytes; nothing is written back into the original or the item. Tesseract
(called through pytesseract) reads each page in English and Simplified Chinese where
those languages are installed; each page's words give its text and a confidence (the
mean of the word confidences, weighted by length). The work is page by page, yielding
Progress and checking the CancelToken between pages; the layers are stored with one
`ocr` audit entry in the caller's transaction (app/store/ocr_layers.py).

Without Tesseract, `tesseract_missing()` says how to install it; imports go on.
"""

import functools
import io
import shutil
from datetime import datetime, timezone

from app.core.cancel import CancelToken, Progress
from app.store.item_query import item_bytes
from app.store.ocr_layers import OcrLayer, needing_ocr, save_layer

DPI = 300
WANTED_LANGUAGES = ("eng", "chi_sim")
MAX_PAGES = 500  # of one PDF read by OCR; the pages after are named, not read
INSTALL_HINT = (
    "OCR text is available once Tesseract is installed: on Debian or Ubuntu "
    "`sudo apt install tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim`, on macOS "
    "`brew install tesseract tesseract-lang`, on Windows the UB Mannheim installer; then "
    "run `casefile ocr CASE` or Analysis > Read scanned pages (OCR)."
)


def tesseract_missing() -> str | None:
    """None when Tesseract can be run; else what to do, in plain words."""
    program = shutil.which("tesseract")
    if program is None:
        return f"Tesseract is not installed. {INSTALL_HINT}"
    problem = _run_check(program)
    return f"Tesseract cannot be run ({problem}). {INSTALL_HINT}" if problem else None


@functools.cache
def _run_check(program: str) -> str | None:
    """Why the program found cannot be run, once per process (it is asked for every scan)."""
    try:
        import pytesseract

        pytesseract.get_tesseract_version()
    except Exception as exc:  # noqa: BLE001 -- a broken install raises many kinds
        return str(exc) or type(exc).__name__
    return None


def languages() -> str:
    import pytesseract

    installed = set(pytesseract.get_languages(config=""))
    chosen = [lang for lang in WANTED_LANGUAGES if lang in installed]
    return "+".join(chosen or ["eng"])


def engine_name() -> str:
    import pytesseract

    return f"Tesseract {pytesseract.get_tesseract_version()}"


def read_items(case, item_ids, token: CancelToken | None = None, label: str = "Reading scanned pages"):
    """OCR each item and store its layer in the open transaction; returns the audit details.

    A generator (Progress per page). An item whose bytes cannot be opened as an image or
    PDF is skipped and named in the details' `unreadable`, with the reason."""
    token = token or CancelToken()
    conn = case.conn
    langs, engine = languages(), engine_name()
    saved, unreadable = [], []
    for number, item_id in enumerate(item_ids, start=1):
        token.raise_if_cancelled()
        data = item_bytes(conn, item_id)
        try:
            pages = yield from _read_pages(data or b"", langs, token, f"{label}: item {number} of {len(item_ids)}")
        except _NotReadable as exc:
            unreadable.append({"item_id": item_id, "reason": str(exc)})
            continue
        layer = _layer(item_id, pages, engine, langs)
        saved.append(save_layer(conn, layer))
    details = {"layers": saved, "engine": engine, "languages": langs}
    if unreadable:
        details["unreadable"] = unreadable
    if saved or unreadable:
        case.audit("ocr", details)
    return details


def ocr_operation(case, item_ids=None, again: bool = False, token: CancelToken | None = None):
    """`casefile ocr` and the GUI's action: OCR the items that need it (of `item_ids`, else
    every one) as ONE transaction with its audit entry; returns the audit details."""
    missing = tesseract_missing()
    if missing:
        raise OcrUnavailable(missing)
    wanted = needing_ocr(case.conn, item_ids=item_ids, again=again)
    if not wanted:
        return {"layers": [], "engine": None, "languages": None}
    with case.transaction("ocr", f"{len(wanted)} item(s)"):
        return (yield from read_items(case, wanted, token))


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed or cannot be run; the text says how to install it."""


class _NotReadable(ValueError):
    pass


def _read_pages(data: bytes, langs: str, token: CancelToken, label: str):
    """[{page, text, confidence}] of a PDF's pages or an image (a generator)."""
    if data[:1024].lstrip().startswith(b"%PDF"):
        return (yield from _pdf_pages(data, langs, token, label))
    try:
        from PIL import Image

        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:  # noqa: BLE001 -- Pillow raises many kinds on damaged data
        raise _NotReadable(f"not an image or PDF that can be opened ({type(exc).__name__})") from exc
    yield Progress(label, 0, 1, "pages")
    page = _read_image(image, langs)
    yield Progress(label, 1, 1, "pages")
    return [{"page": 1, **page}]


def _pdf_pages(data: bytes, langs: str, token: CancelToken, label: str):
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 -- pdfium raises PdfiumError and others
        raise _NotReadable(f"the PDF cannot be opened for OCR ({exc})") from exc
    pages = []
    try:
        total = min(len(document), MAX_PAGES)
        for index in range(total):
            token.raise_if_cancelled()
            yield Progress(label, index, total, "pages")
            page = document[index]
            try:
                image = page.render(scale=DPI / 72).to_pil()
            finally:
                page.close()
            pages.append({"page": index + 1, **_read_image(image, langs)})
        yield Progress(label, total, total, "pages")
    finally:
        document.close()
    return pages


def _read_image(image, langs: str) -> dict:
    """{text, confidence} of one page image, from Tesseract's words."""
    import pytesseract

    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    data = pytesseract.image_to_data(image, lang=langs, output_type=pytesseract.Output.DICT)
    lines: dict[tuple, list[str]] = {}
    weighted = letters = 0.0
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        confidence = float(data["conf"][i])
        if not word or confidence < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        weighted += confidence * len(word)
        letters += len(word)
    text = "\n".join(_joined(words) for _key, words in sorted(lines.items()))
    return {"text": text, "confidence": round(weighted / letters, 1) if letters else None}


def _joined(words: list[str]) -> str:
    """Words of a line: with spaces, except between two CJK characters (Tesseract splits those)."""
    out = words[0]
    for word in words[1:]:
        out += word if _is_cjk(out[-1]) and _is_cjk(word[0]) else " " + word
    return out


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _layer(item_id: int, pages: list[dict], engine: str, langs: str) -> OcrLayer:
    read = [p for p in pages if p["confidence"] is not None]
    letters = sum(len(p["text"]) for p in read)
    confidence = round(sum(p["confidence"] * len(p["text"]) for p in read) / letters, 1) if letters else None
    return OcrLayer(
        item_id=item_id,
        text="\f".join(p["text"] for p in pages),
        confidence=confidence,
        pages=pages,
        engine=engine,
        languages=langs,
        created_utc=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    )
