"""The embedded gazetteer and geocoder: offline place resolution that knows transliterations."""

from .geocoder import Candidate, Geocoder, Resolution, distance_km
from .mentions import find_place_mentions
from .names import name_keys, normalize_name

__all__ = [
    "Candidate",
    "Geocoder",
    "Resolution",
    "distance_km",
    "find_place_mentions",
    "name_keys",
    "normalize_name",
]
