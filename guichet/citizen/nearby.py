"""The help points nearest to a postal code, computed on the server: no map, no third-party request.

The settings file gives each help point its coordinates and each postal code of the area its centre;
the distance is the great-circle distance (haversine), good enough to say "about 3 km".
"""
from dataclasses import dataclass
from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Nearby:
    point: dict
    km: float | None  # None: no coordinates for this place, or no postal code given


def haversine_km(origin: dict, target: dict) -> float:
    """Distance in kilometres between two {latitude, longitude} points."""
    lat1, lon1, lat2, lon2 = map(radians, (origin["latitude"], origin["longitude"],
                                           target["latitude"], target["longitude"]))
    step = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(step))


def nearest_first(points: list[dict], origin: dict | None) -> list[Nearby]:
    """The points with their distance, nearest first; places without coordinates last, in the file's order.
    Without an origin, the file's order."""
    if origin is None:
        return [Nearby(point, None) for point in points]
    measured = [Nearby(point, haversine_km(origin, point["coordinates"]) if point.get("coordinates") else None)
                for point in points]
    return sorted(measured, key=lambda item: (item.km is None, item.km or 0.0))


def rounded_km(km: float) -> str | None:
    """"1,5", "3", "12": people read a whole number of kilometres (one decimal below 2); None below 1 km."""
    if km < 1:
        return None
    return f"{km:.1f}".replace(".", ",") if km < 2 else str(round(km))
