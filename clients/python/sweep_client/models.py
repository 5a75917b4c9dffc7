"""The API's answers as dataclasses. Fields the server adds later are kept in ``raw`` rather than refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, Generic, List, NamedTuple, Optional, Tuple, TypeVar

T = TypeVar("T")


class Contract(NamedTuple):
    """Where a model's JSON lives in the server's OpenAPI document, and the fields the model reads from it.

    ``path`` walks from the operation's response schema: a property name, or ``"[]"`` for an array's items.
    ``fields`` maps each JSON property the model reads to its JSON type. tests/test_contract.py checks every
    contract against /openapi/v1.json, so a field the server renames or retypes fails the client's tests rather
    than a user's notebook.
    """

    operation: str
    status: str
    path: Tuple[str, ...]
    fields: Dict[str, str]


@dataclass(frozen=True)
class SweepCreated:
    id: str
    trial_count: int
    skipped_cells: int
    replayed: bool
    raw: Dict[str, Any] = field(repr=False, default_factory=dict)

    CONTRACTS: ClassVar[List[Contract]] = [
        Contract("CreateSweep", "201", (), {"id": "string", "trialCount": "integer", "skippedCells": "integer"})]

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

    _FIELDS: ClassVar[Dict[str, str]] = {
        "id": "string", "batchSize": "integer", "ghostBatchSize": "integer", "regimeMultiplier": "number",
        "seed": "integer", "state": "string", "metrics": "object", "flags": "array"}
    CONTRACTS: ClassVar[List[Contract]] = [
        Contract("ListSweepTrials", "200", ("items", "[]"), _FIELDS),
        Contract("GetSweep", "200", ("trials", "[]"), _FIELDS)]

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

    CONTRACTS: ClassVar[List[Contract]] = [
        Contract("GetSweep", "200", (), {"id": "string", "name": "string", "counts": "object", "trials": "array"})]

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

    CONTRACTS: ClassVar[List[Contract]] = [
        Contract("GetTrialMetrics", "200", ("items", "[]"),
                 {"key": "string", "value": "number", "step": "integer", "epoch": "integer", "timestamp": "string"})]

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "MetricPoint":
        return cls(data["key"], float(data["value"]), int(data["step"]), int(data["epoch"]), data["timestamp"])


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a keyset-paged list; pass ``next_cursor`` back, with the same query, for the next page."""

    items: List[T]
    next_cursor: Optional[str]

    CONTRACTS: ClassVar[List[Contract]] = [
        Contract("ListSweepTrials", "200", (), {"items": "array", "nextCursor": "string"}),
        Contract("GetTrialMetrics", "200", (), {"items": "array", "nextCursor": "string"})]
