"""What a bundle would hold, counted before exporting: items, exhibits, privileged items withheld.

The export dialog shows it as the user changes the selection ("This selection gives
1,484 items in 12 exhibits; 3 privileged items withheld"). Counted by the same
selection and planning the export uses, without drawing a page; on a worker thread
(a Progress generator), since selecting every item of a large case takes seconds.
"""

from dataclasses import dataclass

from app.core.cancel import Progress
from app.export.planning import group_exhibits
from app.export.selection import Selection, select


@dataclass(frozen=True)
class BundlePreview:
    items: int
    exhibits: int
    withheld: int


def preview_bundle(conn, selection: Selection, log_group=("source", "day"), token=None) -> BundlePreview:
    selected = select(conn, selection)
    if token is not None:
        token.raise_if_cancelled()  # a newer selection is being counted
    plans = group_exhibits(selected.rows, selected.manual, log_group)
    return BundlePreview(len(selected.rows), len(plans), len(selected.withheld))


def preview_steps(case, selection: Selection, log_group, token=None):
    """`preview_bundle` as a Progress generator for a worker thread."""
    yield Progress("Counting what the bundle holds", 0, None, "steps")
    return preview_bundle(case.conn, selection, log_group, token)
