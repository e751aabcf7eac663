"""Writing every input file of the demo case under one folder, grouped by family."""

import collections
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from app.demo import correspondence, documents, images, logs, outputs, story

TERMS_NAME = "northwind-terms-of-service-2025-11-01.pdf"
LETTER_NAME = "cease-and-desist-2026-05-12.pdf"
SCREENSHOT_NAME = "orca-chat-screenshot.png"
# Every input's modification time: when the files were collected for the case, so
# that the case built from them is the same on every run.
COLLECTED = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class DemoInput:
    path: Path
    family: str  # the importer family ("logs", "outputs", "email", "document", "image")
    custodian: str


def write_inputs(folder: Path, seed: int = story.SEED) -> list[DemoInput]:
    """Write the inputs under `folder` (created); returns them in import order."""
    parts = {name: folder / name for name in ("logs", "outputs", "correspondence", "documents", "images")}
    for path in parts.values():
        path.mkdir(parents=True, exist_ok=True)
    lab, engineer, counsel = story.LAB, story.PEOPLE["eng"][0], story.PEOPLE["gc"][0]
    result = [DemoInput(p, "logs", f"{lab} API platform") for p in logs.write_logs(parts["logs"], seed)]
    result += [DemoInput(p, "outputs", engineer) for p in outputs.write_outputs(parts["outputs"], seed)]
    counts = collections.Counter(row["account_id"] for row in logs.log_rows(seed))
    terms = documents.write_terms(parts["documents"] / TERMS_NAME)
    letter = documents.write_cease_and_desist(parts["documents"] / LETTER_NAME, counts)
    shot = images.write_screenshot(parts["images"] / SCREENSHOT_NAME)
    result += [
        DemoInput(terms, "document", counsel),
        DemoInput(letter, "document", counsel),
        DemoInput(shot, "image", engineer),
    ]
    files = {
        TERMS_NAME: terms.read_bytes(),
        LETTER_NAME: letter.read_bytes(),
        SCREENSHOT_NAME: shot.read_bytes(),
        **correspondence.attachment_texts(counts),
    }
    for path in correspondence.write_correspondence(parts["correspondence"], files):
        custodian = f"{story.COMPETITOR} (production)" if path.suffix == ".mbox" else counsel
        result.append(DemoInput(path, "email", custodian))
    for item in result:
        os.utime(item.path, (COLLECTED.timestamp(), COLLECTED.timestamp()))
    return result
