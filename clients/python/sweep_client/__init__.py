"""Sweep's REST API from Python: ``SweepClient(url, token).submit(spec)``, ``wait``, ``heatmap``, ``trials``, ``metrics``."""

from .client import SweepClient
from .errors import SweepApiError, SweepAuthError, SweepConflict, SweepNotFound, SweepValidationError
from .models import MetricPoint, Page, Sweep, SweepCreated, Trial

__all__ = [
    "SweepClient", "SweepApiError", "SweepAuthError", "SweepConflict", "SweepNotFound", "SweepValidationError",
    "MetricPoint", "Page", "Sweep", "SweepCreated", "Trial",
]
__version__ = "0.1.0"
