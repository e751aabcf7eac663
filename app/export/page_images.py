"""One image per bundle page, for the Opticon load file: what review platforms load.

A platform (Relativity, Concordance, ...) loads a production as the DAT (one line per
document), the OPT (one line per page) and an image per page that the OPT names. The
pages are rendered from the finished, stamped bundle -- Bates numbers included -- at
300 dpi: black-and-white Group 4 TIFF for a page in black, white and grey (small, and
what platforms expect), colour JPEG for a page with colour (a screenshot, a highlighted
letter), so nothing a reader relies on is lost. Named by the page's Bates number.

pypdfium2 (PDFium, the renderer in Chrome) renders; Pillow encodes. One page at a time:
memory stays flat whatever the page count.
"""

from pathlib import Path

import pypdfium2
from PIL import Image, ImageChops

from app.core.cancel import CancelToken, Progress

DPI = 300
BLACK_BELOW = 160  # grey level under which a pixel is black in a black-and-white page
COLOUR_SPREAD = 24  # a pixel whose channels differ by more than this is colour, not grey
PROGRESS_EVERY = 10


def write_page_images(pdf_path: Path, folder: Path, bundle, token: CancelToken):
    """Render every page into `folder`; returns each page's image file name, in page order."""
    folder.mkdir()
    document = pypdfium2.PdfDocument(str(pdf_path))
    names = []
    try:
        for index in range(len(document)):
            if index % PROGRESS_EVERY == 0:
                token.raise_if_cancelled()
                yield Progress("Rendering page images for the load file", index, len(document), "pages")
            page = document[index]
            try:
                image = page.render(scale=DPI / 72).to_pil().convert("RGB")
            finally:
                page.close()
            names.append(_save(image, folder, bundle.bates.number(index)))
    finally:
        document.close()
    return names


def _save(image: Image.Image, folder: Path, bates: str) -> str:
    if has_colour(image):
        name = f"{bates}.jpg"
        image.save(folder / name, "JPEG", quality=85, dpi=(DPI, DPI))
    else:
        name = f"{bates}.tif"
        grey = image.convert("L")
        grey.point(lambda level: 255 if level >= BLACK_BELOW else 0, mode="1").save(
            folder / name, "TIFF", compression="group4", dpi=(DPI, DPI))
    return name


def has_colour(image: Image.Image) -> bool:
    """Whether any pixel of an RGB image is clearly coloured (not a shade of grey)."""
    red, green, blue = image.split()
    spread = max(ImageChops.difference(red, green).getextrema()[1], ImageChops.difference(green, blue).getextrema()[1])
    return spread > COLOUR_SPREAD
