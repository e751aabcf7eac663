"""A screenshot of Example Dynamics' chat app in which Orca says Northwind AI trained it.

Drawn with Pillow so that the demo needs no binary files; saved as PNG with no
time-dependent metadata, so two runs give the same bytes.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.core.paths import resources_dir
from app.demo import outputs, story

WIDTH, HEIGHT = 760, 700
MARGIN = 28
CAPTURED, CAPTURED_OFFSET = "2026:04:21 10:14:37", "-07:00"
BUBBLE_WIDTH = 520
COLOURS = {
    "page": "#f4f5f7",
    "bar": "#1f2a44",
    "user": "#2f6fed",
    "bot": "#ffffff",
    "text": "#1b1b1b",
    "muted": "#6b7280",
}


def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    path = resources_dir() / "fonts" / name
    return ImageFont.truetype(str(path), size) if path.is_file() else ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}".strip()
            if draw.textlength(candidate, font=font) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _bubble(draw, top: int, text: str, from_user: bool, font) -> int:
    lines = _wrap(draw, text, font, BUBBLE_WIDTH - 28)
    height = 18 + 22 * len(lines)
    left = WIDTH - MARGIN - BUBBLE_WIDTH if from_user else MARGIN
    fill = COLOURS["user"] if from_user else COLOURS["bot"]
    draw.rounded_rectangle(
        (left, top, left + BUBBLE_WIDTH, top + height), radius=14, fill=fill, outline=None if from_user else "#d9dce3"
    )
    for number, line in enumerate(lines):
        draw.text(
            (left + 14, top + 10 + 22 * number), line, font=font, fill="#ffffff" if from_user else COLOURS["text"]
        )
    return top + height + 16


def chat_screenshot() -> Image.Image:
    """The screenshot as an image."""
    image = Image.new("RGB", (WIDTH, HEIGHT), COLOURS["page"])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 64), fill=COLOURS["bar"])
    draw.text((MARGIN, 18), f"Orca Chat  -  {story.COMPETITOR}", font=_font(22, bold=True), fill="#ffffff")
    draw.text((MARGIN, 80), "Tuesday 21 April 2026, 10:14", font=_font(14), fill=COLOURS["muted"])
    body = _font(16)
    top = 112
    topic = "binary search"
    for text, from_user in (
        (outputs.IDENTITY_PROMPT, True),
        (outputs.LEAKED_IDENTITY, False),
        (story.STEP_TEMPLATE.format(topic=topic), True),
        (story.lab_answer(topic), False),
    ):
        top = _bubble(draw, top, text, from_user, body)
    draw.rectangle((0, HEIGHT - 70, WIDTH, HEIGHT), fill="#ffffff")
    draw.text((MARGIN, HEIGHT - 45), "Message Orca...", font=body, fill=COLOURS["muted"])
    return image


def write_screenshot(path: Path) -> Path:
    """The PNG, with the capture time in EXIF as a phone or screenshot tool records it."""
    exif = Image.Exif()
    exif[0x0132] = CAPTURED  # DateTime
    exif.get_ifd(0x8769).update({0x9003: CAPTURED, 0x9011: CAPTURED_OFFSET})  # DateTimeOriginal, its offset
    chat_screenshot().save(path, format="PNG", optimize=False, exif=exif.tobytes())
    return path
