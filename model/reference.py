"""Reads the reference tables in `model/data/` (destinations, towns, employers, Kepmenaker 260/2015).

The tables are data with their public source in a header comment, so a researcher can check and
update a fact without touching matching code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    kind: str  # country | city | town
    risk: str  # high | medium | low | kepmenaker260 | transit
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Employer:
    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("model.data").joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=1)
def kepmenaker_260_countries() -> tuple[Place, ...]:
    """Middle East countries closed to household-sector placement since 1 July 2015 (either notice)."""
    return tuple(
        Place(row["country_id"].lower(), row["country_en"], "country", "kepmenaker260",
              (row["country_id"].lower(), row["country_en"].lower()))
        for row in _rows("kepmenaker_260_2015.csv")
    )


@lru_cache(maxsize=1)
def destinations() -> tuple[Place, ...]:
    """Overseas destinations with their risk level; Kepmenaker 260 countries included."""
    places = [Place(row["name"], row["country"], row["kind"], row["risk"], tuple(row["aliases"].split("|")))
              for row in _rows("destinations.csv")]
    return (*places, *kepmenaker_260_countries())


@lru_cache(maxsize=1)
def transit_towns() -> tuple[Place, ...]:
    return tuple(Place(row["name"], "ID", "town", "transit", tuple(row["aliases"].split("|")))
                 for row in _rows("transit_towns.csv"))


@lru_cache(maxsize=1)
def employers() -> tuple[Employer, ...]:
    return tuple(Employer(row["name"], tuple(row["aliases"].split("|")), tuple(row["domains"].split("|")))
                 for row in _rows("employers.csv"))
