"""`casefile ocr`: read scanned pages and images of items already imported (a derived text layer)."""

from app.cli.arguments import case_arg
from app.cli.errors import UserError
from app.cli.opening import open_case
from app.cli.progress import run_with_progress
from app.importers.ocr import OcrUnavailable, ocr_operation


def register_ocr(sub) -> None:
    p = sub.add_parser(
        "ocr",
        help="read scanned PDFs and images with OCR (Tesseract): searchable text beside each item",
        description="Give each scanned PDF and image without text of its own an OCR text layer: "
        "searchable, shown and produced marked as OCR text with its confidence; the item and its "
        "original are never changed. Items already read are left as they are unless --again.",
    )
    case_arg(p)
    p.add_argument("--item", type=int, action="append", help="only this item (repeatable)")
    p.add_argument("--again", action="store_true", help="read items that already have OCR text again")
    p.add_argument("--operator", help="who runs it (default: the OS user)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_ocr)


def cmd_ocr(args) -> int:
    with open_case(args.case, args.operator) as case:
        try:
            details = run_with_progress(ocr_operation(case, args.item, args.again), quiet=args.quiet)
        except OcrUnavailable as exc:
            raise UserError(str(exc)) from exc
    layers, unreadable = details["layers"], details.get("unreadable", [])
    if not layers and not unreadable:
        print("No scanned PDFs or images need OCR text.")
        return 0
    for layer in layers:
        confidence = f"{layer['confidence']:.0f}%" if layer["confidence"] is not None else "no words found"
        print(f"Item {layer['item_id']}: {layer['pages']} page(s) read, confidence {confidence}")
    for item in unreadable:
        print(f"Item {item['item_id']}: not read ({item['reason']})")
    print(f"OCR text added to {len(layers):,} item(s) ({details['engine']}, {details['languages']}).")
    return 0
