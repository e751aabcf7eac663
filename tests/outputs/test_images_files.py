"""Images: dimensions, EXIF capture time and orientation, thumbnails, corrupt files kept."""

import io
import os

import pytest
from PIL import Image

from app.store.item_query import item_bytes, item_payload
from outputs_helpers import import_one, items_of, verify_ok

CAPTURED = "2025:03:01 10:20:30"


def image_bytes(
    fmt: str,
    exif_time: str | None = CAPTURED,
    offset: str | None = None,
    orientation: int | None = None,
    size=(400, 200),
) -> bytes:
    exif = Image.Exif()
    if exif_time:
        exif.get_ifd(0x8769)[0x9003] = exif_time
    if offset:
        exif.get_ifd(0x8769)[0x9011] = offset
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    Image.new("RGB", size, (30, 90, 200)).save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.parametrize("fmt, suffix", [("PNG", ".png"), ("JPEG", ".jpg"), ("WEBP", ".webp")])
def test_exif_capture_time_in_the_import_zone(case, tmp_path, fmt, suffix):
    path = tmp_path / f"screenshot{suffix}"
    path.write_bytes(image_bytes(fmt))
    report = import_one(case, path, timezone="Europe/Paris")
    (item,) = items_of(case, report.source_id)
    assert (report.importer, item["kind"]) == ("image", "image")
    assert (item["fields"]["width"], item["fields"]["height"], item["fields"]["format"]) == (400, 200, fmt)
    assert item["fields"]["exif_datetime"] == CAPTURED
    assert (item["ts_utc"], item["ts_zone"], item["ts_assumed"]) == ("2025-03-01T09:20:30.000000Z", "Europe/Paris", 1)
    thumbnail = Image.open(io.BytesIO(item_payload(case.conn, item["id"], "thumbnail")))
    assert thumbnail.format == "PNG" and thumbnail.size == (256, 128)
    assert item_bytes(case.conn, item["id"]) == path.read_bytes()


def test_stated_offset_and_orientation_honoured(case, tmp_path):
    path = tmp_path / "phone.jpg"
    path.write_bytes(image_bytes("JPEG", offset="+02:00", orientation=6))  # rotate 90 degrees to show
    (item,) = items_of(case, import_one(case, path).source_id)
    assert (item["ts_utc"], item["ts_zone"], item["ts_assumed"]) == ("2025-03-01T08:20:30.000000Z", "+02:00", 0)
    assert item["fields"]["orientation"] == 6
    assert (item["fields"]["shown_width"], item["fields"]["shown_height"]) == (200, 400)
    thumbnail = Image.open(io.BytesIO(item_payload(case.conn, item["id"], "thumbnail")))
    assert thumbnail.size == (128, 256)  # shown upright: taller than wide


def test_without_exif_the_file_time_is_used_and_noted(case, tmp_path):
    path = tmp_path / "plain.png"
    path.write_bytes(image_bytes("PNG", exif_time=None))
    os.utime(path, (1_700_000_000, 1_700_000_000))
    (item,) = items_of(case, import_one(case, path).source_id)
    assert item["ts_utc"] == "2023-11-14T22:13:20.000000Z" and item["ts_note"] == "file modification time used"
    assert item["fields"]["exif_datetime"] is None and item["warnings"] == []


@pytest.mark.parametrize("damage", ["garbled", "truncated"])
def test_corrupt_png_is_kept_hashed_with_the_reason(case, tmp_path, damage):
    good = image_bytes("PNG", exif_time=None)
    bad = good[:16] + b"\xff" * 40 + good[56:] if damage == "garbled" else good[: len(good) // 2]
    path = tmp_path / f"{damage}.png"
    path.write_bytes(bad)
    report = import_one(case, path)
    (item,) = items_of(case, report.source_id)
    assert (report.read, report.imported, item["kind"]) == (1, 1, "image")
    assert any("could not be decoded" in w for w in item["warnings"])
    assert item_payload(case.conn, item["id"], "thumbnail") is None
    assert item_bytes(case.conn, item["id"]) == bad
    verify_ok(case)


def test_decompression_bomb_is_described_not_decoded(case, tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (12000, 12000)).save(path, format="PNG")  # 144 M pixels, a tiny file
    (item,) = items_of(case, import_one(case, path).source_id)
    assert item["kind"] == "image" and item["warnings"]
    assert item_payload(case.conn, item["id"], "thumbnail") is None
