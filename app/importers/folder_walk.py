"""The files an import gets from what the user chose: one rule for the CLI and the wizard.

A file the user names is taken as it is (hidden or not: naming it is a choice). A
folder gives every file below it, recursively and sorted, each with the folder it was
found in -- except hidden ones: a file or folder below the chosen folder whose name
starts with "." (`.DS_Store`, `.git/`, an editor's `.swp`) is skipped and counted, and
both fronts say how many, so nothing is left out unsaid. Such files are the system's or
a tool's, almost never evidence; a user who wants one names it itself.
"""

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ChosenFile:
    path: Path
    folder: str | None = None  # the folder it was found in, from the chosen folder's name; None if named itself


@dataclass
class ChosenFiles:
    """The files to import, in order, and what was left aside."""

    files: list[ChosenFile] = field(default_factory=list)
    hidden: dict[Path, int] = field(default_factory=dict)  # chosen folder -> hidden files skipped in it
    unreadable: list[Path] = field(default_factory=list)  # named, but not there or neither file nor folder

    def import_paths(self) -> list[tuple[Path, str | None]]:
        """(path, folder) pairs, as `import_files` takes them."""
        return [(f.path, f.folder) for f in self.files]

    def hidden_note(self) -> str | None:
        """One sentence naming the folders whose hidden files were skipped, or None."""
        if not self.hidden:
            return None
        total = sum(self.hidden.values())
        where = ", ".join(f"{folder} ({count:,})" for folder, count in self.hidden.items())
        return (
            f"Skipped {total:,} hidden file{'s' if total != 1 else ''} (names starting with '.') in {where}; "
            "to import a hidden file, choose the file itself."
        )


def expand_inputs(paths) -> ChosenFiles:
    """Files as given, folders walked recursively (sorted), hidden files below a folder skipped."""
    chosen = ChosenFiles()
    for path in map(Path, paths):
        if path.is_dir():
            hidden = 0
            for found in sorted(path.rglob("*")):
                if not found.is_file():
                    continue
                if any(part.startswith(".") for part in found.relative_to(path).parts):
                    hidden += 1
                    continue
                chosen.files.append(ChosenFile(found, str(found.parent.relative_to(path.parent))))
            if hidden:
                chosen.hidden[path] = hidden
        elif path.is_file():
            chosen.files.append(ChosenFile(path))
        else:
            chosen.unreadable.append(path)
    return chosen
