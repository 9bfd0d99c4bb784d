"""Times as people in Indonesia read them: in the display zone (WIB unless configured), `1 Des 2026 04.36 WIB`.

The store and the machine-readable files (manifest.json, ads.json, the API) keep UTC ISO-8601; only what
people read goes through here, so the desk and the police summary agree on one form.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DISPLAY_TIMEZONE = "Asia/Jakarta"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
# Indonesia's three zones by their Indonesian names; the fixed offsets serve a machine without tzdata.
INDONESIAN_ZONES: dict[str, tuple[str, int]] = {
    "Asia/Jakarta": ("WIB", 7), "Asia/Pontianak": ("WIB", 7), "Asia/Makassar": ("WITA", 8),
    "Asia/Jayapura": ("WIT", 9),
}


def display_zone(name: str) -> tzinfo:
    """The zone called `name` (IANA, e.g. Asia/Jakarta); ValueError naming it if there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        if name in INDONESIAN_ZONES:
            abbreviation, hours = INDONESIAN_ZONES[name]
            return timezone(timedelta(hours=hours), abbreviation)
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as Asia/Jakarta") from exc


def zone_abbreviation(zone: tzinfo, at: datetime) -> str:
    """WIB/WITA/WIT for Indonesia's zones; elsewhere the zone's own abbreviation (or its UTC offset)."""
    key = getattr(zone, "key", None)
    if key in INDONESIAN_ZONES:
        return INDONESIAN_ZONES[key][0]
    name = at.tzname() or ""
    if name and not name.startswith(("+", "-")):
        return name
    offset = at.utcoffset() or timedelta(0)
    hours, minutes = divmod(int(offset.total_seconds()) // 60, 60)
    return f"UTC{'+' if offset >= timedelta(0) else '-'}{abs(hours)}" + (f".{minutes:02d}" if minutes else "")


def as_datetime(value: datetime | str | None) -> datetime | None:
    """A datetime from a datetime or an ISO-8601 string (what the JSON files hold); naive means UTC."""
    if value is None or value == "":
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(value: datetime | str | None, zone: tzinfo, with_time: bool = True) -> str:
    """`1 Des 2026 04.36 WIB` (or `1 Des 2026` without the time); `—` for no value."""
    moment = as_datetime(value)
    if moment is None:
        return "—"
    local = moment.astimezone(zone)
    day = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
    if not with_time:
        return day
    return f"{day} {local:%H.%M} {zone_abbreviation(zone, local)}"
