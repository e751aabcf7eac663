"""One image per bundle page, for the Opticon load file: what review platforms load.

A platform (Relativity, Concordance, ...) loads a production as the DAT (one line per
document), the OPT (one line per page) and an image per page that the OPT names. The
pages are rendered from the finished, stamped bundle -- Bates numbers included -- at
300 dpi: black-and-white Group 4 TIFF for a page in black, white and grey (small, and
what platforms expect), colour JPEG for a page with colour (a screenshot, a highlighted
letter), so nothing a reader relies on is lost. Named by the page's Bates number.

pypdfium2 (PDFium, the renderer in Chrome) renders; Pillow encodes. Each page is first
rendered small to see whether it has colour, then at 300 dpi in grey or in colour. Both
libraries release the GIL in their C code, so a second thread encodes one page while the
next renders (57 -> ~20 ms a page here). Two pages at most are held: memory stays flat
whatever the page count.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2
from PIL import Image, ImageChops

from app.core.cancel import CancelToken, Progress

DPI = 300
CHECK_DPI = 100  # colour is looked for in a quick low-resolution render first
BLACK_BELOW = 160  # grey level under which a pixel is black in a black-and-white page
COLOUR_SPREAD = 24  # a pixel whose channels differ by more than this is colour, not grey
PROGRESS_EVERY = 10


def write_page_images(pdf_path: Path, folder: Path, bundle, token: CancelToken):
    """Render every page into `folder`; returns each page's image file name, in page order."""
    folder.mkdir()
    document = pypdfium2.PdfDocument(str(pdf_path))
    names = []
    saving = None  # the previous page, being checked and encoded on the other thread
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="casefile-images") as saver:
            for index in range(len(document)):
                if index % PROGRESS_EVERY == 0:
                    token.raise_if_cancelled()
                    yield Progress("Rendering page images for the load file", index, len(document), "pages")
                page = document[index]  # PDFium is used from this thread only
                try:
                    image = _render(page)
                finally:
                    page.close()
                if saving is not None:
                    names.append(saving.result())
                saving = saver.submit(_save, image, folder, bundle.bates.number(index))
            if saving is not None:
                names.append(saving.result())
    finally:
        document.close()
    return names


def _render(page) -> Image.Image:
    """The page at DPI: in colour (RGB) if it has any, else in grey (L, a third of the memory)."""
    if has_colour(page.render(scale=CHECK_DPI / 72).to_pil().convert("RGB")):
        return page.render(scale=DPI / 72).to_pil().convert("RGB")
    return page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")


def _save(image: Image.Image, folder: Path, bates: str) -> str:
    if image.mode == "RGB":
        name = f"{bates}.jpg"
        image.save(folder / name, "JPEG", quality=85, dpi=(DPI, DPI))
    else:
        name = f"{bates}.tif"
        image.point(lambda level: 255 if level >= BLACK_BELOW else 0, mode="1").save(
            folder / name, "TIFF", compression="group4", dpi=(DPI, DPI)
        )
    return name


def has_colour(image: Image.Image) -> bool:
    """Whether any pixel of an RGB image is clearly coloured (not a shade of grey).

    Given the CHECK_DPI render: a coloured line thinner than its pixels, averaged with
    white, is still far from grey (blue text on white: channels ~120 apart).
    """
    red, green, blue = image.split()
    spread = max(ImageChops.difference(red, green).getextrema()[1], ImageChops.difference(green, blue).getextrema()[1])
    return spread > COLOUR_SPREAD
