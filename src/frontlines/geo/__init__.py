"""The embedded gazetteer and geocoder: offline place resolution that knows transliterations."""

from .geocoder import Candidate, Geocoder, Resolution, distance_km
from .names import name_keys, normalize_name

__all__ = [
    "Candidate",
    "Geocoder",
    "Resolution",
    "distance_km",
    "name_keys",
    "normalize_name",
]
