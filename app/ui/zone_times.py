"""Times the case recorded (UTC ISO text: a note's, a review's) shown in the display zone."""

from datetime import datetime

from app.core.timestamps import resolve_zone, to_utc_us
from app.ui.evidence_model import format_time


def recorded_time(iso_utc: str | None, zone_name: str) -> str:
    """'2026-12-04 23:10:05 +00:00' in the zone the window shows times in; '' for none."""
    if not iso_utc:
        return ""
    try:
        moment = datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
    except ValueError:
        return iso_utc  # as recorded: never hide a value we cannot read
    return format_time(to_utc_us(moment), resolve_zone(zone_name))
