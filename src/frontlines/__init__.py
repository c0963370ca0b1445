"""frontlines: reports about a war -> a cited, geolocated event dataset and who holds what, by day."""

from .errors import FrontlinesError
from .model import Analysis, Document
from .pipeline import extract

__all__ = ["Analysis", "Document", "FrontlinesError", "extract"]
__version__ = "0.1.0"
