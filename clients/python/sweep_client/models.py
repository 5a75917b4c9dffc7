"""The API's answers as dataclasses. Fields the server adds later are kept in ``raw`` rather than refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Generic, List, Optional, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class SweepCreated:
    id: str
    trial_count: int
    skipped_cells: int
    replayed: bool
    raw: Dict[str, Any] = field(repr=False, default_factory=dict)

    @classmethod
    def from_json(cls, data: Dict[str, Any], replayed: bool) -> "SweepCreated":
        return cls(data["id"], int(data["trialCount"]), int(data.get("skippedCells", 0)), replayed, data)


@dataclass(frozen=True)
class Trial:
    id: str
    batch_size: int
    ghost_batch_size: int
    regime_multiplier: float
    seed: int
    state: str
    metrics: Dict[str, float]
    flags: List[str]
    raw: Dict[str, Any] = field(repr=False, default_factory=dict)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Trial":
        return cls(
            data["id"], int(data["batchSize"]), int(data["ghostBatchSize"]), float(data["regimeMultiplier"]),
            int(data["seed"]), data["state"], {k: float(v) for k, v in (data.get("metrics") or {}).items()},
            list(data.get("flags") or []), data)


@dataclass(frozen=True)
class Sweep:
    id: str
    name: str
    counts: Dict[str, int]
    trials: List[Trial]
    raw: Dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def settled(self) -> bool:
        """No trial is queued or running: the sweep will not change unless someone acts on it."""
        return self.counts.get("queued", 0) + self.counts.get("running", 0) == 0

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Sweep":
        return cls(data["id"], data["name"], {k: int(v) for k, v in (data.get("counts") or {}).items()},
                   [Trial.from_json(t) for t in data.get("trials") or []], data)


@dataclass(frozen=True)
class MetricPoint:
    key: str
    value: float
    step: int
    epoch: int
    timestamp: str

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "MetricPoint":
        return cls(data["key"], float(data["value"]), int(data["step"]), int(data["epoch"]), data["timestamp"])


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a keyset-paged list; pass ``next_cursor`` back, with the same query, for the next page."""

    items: List[T]
    next_cursor: Optional[str]
