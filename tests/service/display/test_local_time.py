"""Times for people: the configured zone (WIB by default), written the Indonesian way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from service.display.local_time import display_zone, local_time
from service.settings import Settings

JAKARTA = display_zone("Asia/Jakarta")


def test_a_utc_time_is_shown_in_wib_with_an_indonesian_month_and_a_dot_between_hours_and_minutes() -> None:
    assert local_time(datetime(2026, 12, 1, 21, 4, 36, tzinfo=UTC), JAKARTA) == "2 Des 2026 04.04 WIB"
    assert local_time("2026-12-01T21:04:36+00:00", JAKARTA) == "2 Des 2026 04.04 WIB"  # as ads.json holds it
    assert local_time(datetime(2026, 8, 17, 3, 0), JAKARTA) == "17 Agu 2026 10.00 WIB"  # naive means UTC
    assert local_time(datetime(2026, 5, 1, 0, 0, tzinfo=UTC), JAKARTA, with_time=False) == "1 Mei 2026"
    assert local_time(None, JAKARTA) == "—"


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Makassar", "2 Des 2026 05.04 WITA"), ("Asia/Jayapura", "2 Des 2026 06.04 WIT"),
    ("Asia/Pontianak", "2 Des 2026 04.04 WIB"), ("Europe/Amsterdam", "1 Des 2026 22.04 CET"),
])
def test_other_zones_are_named_as_people_there_name_them(zone: str, expected: str) -> None:
    assert local_time(datetime(2026, 12, 1, 21, 4, tzinfo=UTC), display_zone(zone)) == expected


def test_the_display_zone_is_a_setting_and_a_typo_is_refused_by_name() -> None:
    assert Settings(_env_file=None).display_timezone == "Asia/Jakarta"  # type: ignore[call-arg]
    assert Settings(display_timezone="Asia/Makassar", _env_file=None).display_timezone == "Asia/Makassar"  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="Asia/Jakrta"):
        Settings(display_timezone="Asia/Jakrta", _env_file=None)  # type: ignore[call-arg]
