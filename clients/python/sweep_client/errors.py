"""Errors raised by the client: every refusal of the API becomes a SweepApiError built from its ProblemDetails."""

from __future__ import annotations

import json
from typing import ClassVar, Dict, List, Optional

from .models import Contract


class SweepApiError(Exception):
    """The API refused a request. ``errors`` maps a field's JSON path (``grid.batchSize``) to its messages."""

    CONTRACTS: ClassVar[List[Contract]] = [
        Contract("CreateSweep", "400", (), {"title": "string", "detail": "string", "errors": "object"}),
        Contract("GetSweep", "404", (), {"title": "string", "detail": "string"})]

    def __init__(self, status: int, title: str, detail: Optional[str], errors: Dict[str, List[str]], body: str):
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.body = body
        fields = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
        super().__init__(f"{status} {title}" + (f": {detail}" if detail else "") + (f" ({fields})" if fields else ""))

    @classmethod
    def from_response(cls, status: int, content_type: str, body: str) -> "SweepApiError":
        """Reads an RFC 7807 problem document; a body that is not one keeps its text in the message."""
        problem = {}
        if "json" in (content_type or ""):
            try:
                problem = json.loads(body) if body else {}
            except ValueError:
                problem = {}
        if not isinstance(problem, dict):
            problem = {}
        errors = problem.get("errors") or {}
        if not isinstance(errors, dict):
            errors = {}
        return cls(
            status,
            str(problem.get("title") or body[:200] or f"HTTP {status}"),
            problem.get("detail"),
            {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in errors.items()},
            body,
        )


class SweepNotFound(SweepApiError):
    """404: no such sweep or trial, or one in a project the token's owner cannot see."""


class SweepValidationError(SweepApiError):
    """400 or 422: the request was refused for what it holds; ``errors`` names each field."""


class SweepConflict(SweepApiError):
    """409: the action does not apply in the current state (for example cancelling a finished sweep)."""


class SweepAuthError(SweepApiError):
    """401 or 403: no valid token, or one without the scope or role the action needs."""


def error_for(status: int, content_type: str, body: str) -> SweepApiError:
    """The most specific error class for a status."""
    kind = {400: SweepValidationError, 422: SweepValidationError, 401: SweepAuthError, 403: SweepAuthError,
            404: SweepNotFound, 409: SweepConflict}.get(status, SweepApiError)
    generic = SweepApiError.from_response(status, content_type, body)
    return kind(generic.status, generic.title, generic.detail, generic.errors, generic.body)
