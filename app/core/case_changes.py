"""What an operation changed in a case, so each view redraws only what it shows.

The main window emits one `CaseChanges` after every write (like Anki's OpChanges).
A view asks the question it cares about: the table redraws after a tag, the exhibits
list only when exhibits or the items they cite changed, the timeline's bars only when
items came or went (a tag change redraws its tagged markers alone). Qt-free: a write
made by the CLI or a worker describes itself the same way.
"""

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class CaseChanges:
    items: bool = False  # items added, removed or rewritten (an import, a settings change of zone)
    tags: bool = False
    notes: bool = False
    exhibits: bool = False
    sources: bool = False  # original files registered (their names show in the table)
    taxonomy: bool = False  # the categories tags are chosen from
    facts: bool = False  # facts of the case, their elements and evidence (the Facts and Proof views)
    batches: bool = False  # review batches made, assigned or items marked reviewed
    redactions: bool = False  # what productions hide (app/store/redactions.py)

    @classmethod
    def everything(cls) -> "CaseChanges":
        """For a write whose effects are not described (an import, a refresh asked for by the user)."""
        return cls(**{f.name: True for f in fields(cls)})

    @property
    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def timeline_bars(self) -> bool:
        """The timeline's bars count items per period: only new or changed items move them."""
        return self.items or self.sources

    @property
    def timeline_tags(self) -> bool:
        """The timeline marks tagged items above its bars."""
        return self.tags or self.timeline_bars

    @property
    def exhibit_list(self) -> bool:
        """The exhibits panel lists exhibits and labels their items (kind, date, title)."""
        return self.exhibits or self.items
