"""Sweep's REST API (/api/v1) from Python, with the standard library only."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, Iterator, Optional

from .errors import SweepApiError, error_for
from .models import MetricPoint, Page, Sweep, SweepCreated, Trial


class SweepClient:
    """A client for one Sweep server. ``token`` is a personal access token (``swp_…``) from the account page."""

    def __init__(self, url: str, token: Optional[str] = None, timeout: float = 60.0):
        self.url = url.rstrip("/") + "/"
        self.token = token
        self.timeout = timeout

    # Sweeps

    def submit(self, spec: Dict[str, Any], idempotency_key: Optional[str] = None) -> SweepCreated:
        """Creates a sweep. The key (a fresh one when none is given) makes a retried submit return the first sweep."""
        key = idempotency_key or str(uuid.uuid4())
        status, headers, body = self._request("POST", "api/v1/sweeps", spec, {"Idempotency-Key": key})
        return SweepCreated.from_json(json.loads(body), (headers.get("Idempotent-Replayed") or "").lower() == "true")

    def get(self, sweep_id: str) -> Sweep:
        return Sweep.from_json(self._json("GET", f"api/v1/sweeps/{sweep_id}"))

    def wait(self, sweep_id: str, poll: float = 5.0, timeout: Optional[float] = None,
             progress: Optional[Callable[[Sweep], None]] = None) -> Sweep:
        """Polls until no trial is queued or running; raises TimeoutError after ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            sweep = self.get(sweep_id)
            if progress:
                progress(sweep)
            if sweep.settled:
                return sweep
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"sweep {sweep_id} still has trials queued or running: {sweep.counts}")
            time.sleep(poll)

    def cancel(self, sweep_id: str) -> None:
        """Cancels every trial not yet finished; a sweep with nothing left to cancel raises SweepConflict."""
        self._request("POST", f"api/v1/sweeps/{sweep_id}/cancel")

    def heatmap(self, sweep_id: str, **query: Any) -> Dict[str, Any]:
        """The heatmap as the API returns it; ``query`` takes its parameters (x, y, metric, at, facet, …)."""
        return self._json("GET", f"api/v1/sweeps/{sweep_id}/heatmap" + _query(query))

    # Trials and metrics

    def trials_page(self, sweep_id: str, cursor: Optional[str] = None, limit: Optional[int] = None, **query: Any) -> Page[Trial]:
        page = self._json("GET", f"api/v1/sweeps/{sweep_id}/trials" + _query({**query, "limit": limit, "cursor": cursor}))
        return Page([Trial.from_json(t) for t in page["items"]], page.get("nextCursor"))

    def trials(self, sweep_id: str, limit: Optional[int] = None, **query: Any) -> Iterator[Trial]:
        """Every trial the query matches, page after page (``orderBy``, ``descending``, ``state``, … as in the API)."""
        return _all(lambda cursor: self.trials_page(sweep_id, cursor, limit, **query))

    def metrics_page(self, trial_id: str, key: Optional[str] = None, cursor: Optional[str] = None,
                     limit: Optional[int] = None) -> Page[MetricPoint]:
        page = self._json("GET", f"api/v1/trials/{trial_id}/metrics" + _query({"key": key, "limit": limit, "cursor": cursor}))
        return Page([MetricPoint.from_json(p) for p in page["items"]], page.get("nextCursor"))

    def metrics(self, trial_id: str, key: Optional[str] = None, limit: Optional[int] = None) -> Iterator[MetricPoint]:
        """A trial's whole metric history (or one key's), ordered by key and step."""
        return _all(lambda cursor: self.metrics_page(trial_id, key, cursor, limit))

    def to_pandas(self, sweep_id: str):
        """The sweep's trials as a pandas DataFrame, one row per trial with its final metrics; needs pandas."""
        import pandas  # imported here so that the client itself needs nothing outside the standard library

        rows = []
        for trial in self.trials(sweep_id):
            row = {k: v for k, v in trial.raw.items() if not isinstance(v, (dict, list))}
            row.update(trial.metrics)
            row["flags"] = ",".join(trial.flags)
            rows.append(row)
        return pandas.DataFrame(rows)

    # HTTP

    def _json(self, method: str, path: str, body: Any = None) -> Dict[str, Any]:
        return json.loads(self._request(method, path, body)[2])

    def _request(self, method: str, path: str, body: Any = None, headers: Optional[Dict[str, str]] = None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(urllib.parse.urljoin(self.url, path), data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                # The headers stay an HTTPMessage: its get() ignores case, as HTTP header names do.
                return response.status, response.headers, response.read().decode("utf-8")
        except urllib.error.HTTPError as refused:
            text = refused.read().decode("utf-8", errors="replace")
            raise error_for(refused.code, refused.headers.get("Content-Type", ""), text) from None


def _query(values: Dict[str, Any]) -> str:
    """A query string of the values that are set; booleans as the API spells them."""
    pairs = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in values.items() if v is not None]
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def _all(page: Callable[[Optional[str]], Page]) -> Iterator:
    cursor = None
    while True:
        current = page(cursor)
        yield from current.items
        cursor = current.next_cursor
        if cursor is None:
            return


__all__ = ["SweepClient", "SweepApiError"]
