"""Analysis > Read scanned pages (OCR): OCR text for items already imported, on a worker thread.

The selected items (or, with none selected, every scanned PDF and image of the case that
has no text yet) are read page by page with progress and Cancel (`window.run_task`); the
text is a layer beside each item, shown marked "OCR text" in the detail pane.
"""

from app.importers.ocr import ocr_operation, tesseract_missing

ACTION_TEXT = "Read scanned pages (OCR)"


def install(window):
    def run() -> None:
        missing = tesseract_missing()
        if missing:
            window.show_error(missing)
            return
        chosen = window.selected_item_ids() or None

        def operation(case, token):
            return (yield from ocr_operation(case, chosen, token=token))

        window.run_task(operation, ACTION_TEXT, writes=True)

    return window.add_menu_action("Analysis", ACTION_TEXT + "…", run)
