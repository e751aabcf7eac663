"""Claim categories (taxonomy) as shipped and as copied into each case.

A taxonomy file has groups (ToS, claims, facts, handling); each group has categories,
and a category may have elements (coded `CLAIM-DTSA/IMPROPER-MEANS`). Codes are stable:
tags refer to them.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from app.core.paths import resources_dir

PRIVILEGE_CODES = ("PRIV-AC", "PRIV-WP")


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    description: str
    group: str
    parent: str | None = None  # the claim, for an element
    privilege: str | None = None  # "AC" / "WP" for privilege designations
    legend: str | None = None  # the confidentiality legend printed on pages
    records_tos_version: bool = False
    position: int = 0


def default_taxonomy_path() -> Path:
    return resources_dir() / "taxonomy" / "default.json"


def load_taxonomy(path: Path | None = None) -> list[Category]:
    """Categories of a taxonomy file, flattened in display order."""
    data = json.loads(Path(path or default_taxonomy_path()).read_text(encoding="utf-8"))
    return flatten_taxonomy(data)


def flatten_taxonomy(data: dict) -> list[Category]:
    categories: list[Category] = []
    for group in data.get("groups", []):
        for entry in group.get("categories", []):
            categories.append(_category(entry, group["code"], None, len(categories)))
            for element in entry.get("elements", []):
                categories.append(_category(element, group["code"], entry["code"], len(categories)))
    codes = [c.code for c in categories]
    if len(codes) != len(set(codes)):
        raise ValueError("The taxonomy repeats a category code.")
    return categories


def _category(entry: dict, group: str, parent: str | None, position: int) -> Category:
    return Category(
        code=entry["code"],
        name=entry["name"],
        description=entry.get("description", ""),
        group=group,
        parent=parent,
        privilege=entry.get("privilege"),
        legend=entry.get("legend"),
        records_tos_version=bool(entry.get("records_tos_version")),
        position=position,
    )
