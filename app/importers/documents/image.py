"""Images (PNG, JPEG, WebP; screenshots of a chat): one `image` item each, with a thumbnail.

Pillow reads the header (dimensions, format, EXIF) and then decodes the pixels for a
small PNG thumbnail, turned as the EXIF orientation says. EXIF DateTimeOriginal is the
date (its OffsetTimeOriginal when given, else the import's zone, marked assumed);
without it, the file's modification time, noted. A corrupt or truncated image, or
one too large to decode safely (a decompression bomb), is still an item -- the
original is stored by the pipeline -- with the reason in its warnings; no exception
escapes.
"""

import io
import warnings as python_warnings
from datetime import datetime

from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.records import ItemRecord
from app.core.timestamps import TimestampError, with_note
from app.importers.base import ImportContext
from app.importers.ocr import tesseract_missing
from app.importers.documents.whole_file import extension_of, file_mtime_stamp

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".jpe", ".webp")
FORMATS = ["PNG", "JPEG", "WEBP"]
THUMBNAIL_SIZE = (256, 256)
# Pixels beyond which nothing is decoded (Pillow's own bomb threshold): the item keeps
# its dimensions and a warning, without a thumbnail.
MAX_PIXELS = Image.MAX_IMAGE_PIXELS or 89_478_485
EXIF_IFD = 0x8769
ORIENTATION, DATETIME = 0x0112, 0x0132
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011
EXIF_FORMAT = "%Y:%m:%d %H:%M:%S"
TURNED_ORIENTATIONS = (5, 6, 7, 8)  # EXIF orientations shown a quarter turn round: width and height swap


def sniff_magic(head: bytes) -> bool:
    return (
        head.startswith(b"\x89PNG\r\n\x1a\n")
        or head.startswith(b"\xff\xd8\xff")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


class ImageImporter:
    name = "image"
    random_access = True  # its library seeks in the file: it reads the stored copy
    family = "image"

    def sniff(self, head: bytes, filename: str) -> int:
        if sniff_magic(head):
            return 95
        return 40 if extension_of(filename) in IMAGE_EXTENSIONS else 0  # a corrupt header is still an image

    def read(self, stream, ctx: ImportContext):
        data = stream.read()
        record = ItemRecord(
            kind="image",
            locator={"file": ctx.file_name},
            title=ctx.file_name,
            fields={
                "width": None,
                "height": None,
                "format": None,
                "mode": None,
                "exif_datetime": None,
                "orientation": None,
                "size": len(data),
            },
        )
        try:
            _read_image(data, record, ctx)
        except Exception as exc:  # noqa: BLE001 -- Pillow raises many types on corrupt files
            record.warnings.append(f"The image could not be decoded ({_reason(exc)}); the original is kept.")
        record.timestamp = record.timestamp or file_mtime_stamp(ctx)
        missing = tesseract_missing()
        if missing:
            record.warnings.append(f"Any text in the image is not searchable. {missing}")
        yield record


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnidentifiedImageError):  # its message names a Python object, not the file
        return "not a readable PNG, JPEG or WebP image"
    return str(exc)[:300] or type(exc).__name__


def _read_image(data: bytes, record: ItemRecord, ctx: ImportContext) -> None:
    with python_warnings.catch_warnings():
        python_warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # MAX_PIXELS decides
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            record.fields.update(width=image.width, height=image.height, format=image.format, mode=image.mode)
            exif = image.getexif()
            _read_exif(exif, record, ctx)
            turned = record.fields["orientation"] in TURNED_ORIENTATIONS
            record.fields.update(
                shown_width=image.height if turned else image.width,
                shown_height=image.width if turned else image.height,
            )
            if image.width * image.height > MAX_PIXELS:
                record.warnings.append(
                    f"The image is too large to decode safely ({image.width} x {image.height} "
                    "pixels); no thumbnail was made."
                )
                return
            record.payloads["thumbnail"] = _thumbnail(image)


def _read_exif(exif, record: ItemRecord, ctx: ImportContext) -> None:
    orientation = exif.get(ORIENTATION)
    record.fields["orientation"] = orientation if isinstance(orientation, int) else None
    details = exif.get_ifd(EXIF_IFD)
    for tag, label in ((DATETIME_ORIGINAL, "EXIF DateTimeOriginal"), (DATETIME, "EXIF DateTime")):
        raw = details.get(tag) if tag == DATETIME_ORIGINAL else exif.get(tag)
        if not raw:
            continue
        raw = str(raw).strip("\x00 ")
        record.fields["exif_datetime"] = raw
        try:
            record.timestamp = _exif_stamp(
                raw, details.get(OFFSET_TIME_ORIGINAL) if tag == DATETIME_ORIGINAL else None, label, ctx
            )
            return
        except (ValueError, TimestampError) as exc:
            record.warnings.append(f"The {label} {raw!r} cannot be read ({_reason(exc)}).")


def _exif_stamp(raw: str, offset, label: str, ctx: ImportContext):
    moment = datetime.strptime(raw, EXIF_FORMAT)  # noqa: DTZ007 (EXIF is naive: from_datetime assumes the zone)
    if offset:  # "+02:00": the camera stated its zone
        moment = datetime.fromisoformat(moment.isoformat() + str(offset).strip("\x00 "))
    stamp = ctx.timestamps.from_datetime(raw, moment, label)
    return with_note(stamp, f"offset {offset} stated") if offset else stamp


def _thumbnail(image) -> bytes:
    """A small PNG, the EXIF orientation applied (as a viewer would show it)."""
    if image.format == "JPEG":
        image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))  # decode at reduced size
    shown = ImageOps.exif_transpose(image)
    shown.thumbnail(THUMBNAIL_SIZE)
    if shown.mode not in ("RGB", "RGBA", "L", "LA"):
        shown = shown.convert("RGBA" if "transparency" in shown.info or shown.mode in ("P", "PA") else "RGB")
    out = io.BytesIO()
    shown.save(out, format="PNG")
    return out.getvalue()
