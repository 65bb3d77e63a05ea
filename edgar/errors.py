"""Errors raised by edgar/, the only package that talks to the network.

The tree separates "we could not ask" from "SEC says there is no such thing" from "we got bytes we cannot
use"::

    ImhEdgarError (parsers.errors)
    `-- EdgarError                     root of edgar/; context: url, status, accession_no
        |-- ConfigurationError         settings missing/invalid (no IMH_USER_AGENT): fix the env, no retry
        |-- TransportError             could not ask
        |   |-- TransientError         5xx, timeout, connection reset: retried with jittered backoff
        |   |   `-- TruncatedBodyError short body / no </SEC-DOCUMENT>: retried, never stored
        |   `-- ThrottledError         429, or 403 "Request Rate Threshold Exceeded" / "Undeclared Automated
        |                              Tool": every worker pauses, then the request is retried
        |-- NotFoundError              404 and every other 4xx: SEC has no such resource; never retried
        `-- BadContentError            the bytes arrived whole but cannot be used (SGML without documents,
            |                          JSON that is not a submissions page, an index with no header)
            |-- UnsafeFilenameError    a filename from EDGAR that would escape the raw store (path traversal)
            `-- RawStoreConflictError  write-once violated: stored bytes differ from the new ones

``retryable`` tells a caller (a Prefect task's retry condition) whether trying again later can help.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parsers.errors import ImhEdgarError

__all__ = [
    "BadContentError",
    "ConfigurationError",
    "EdgarError",
    "NotFoundError",
    "RawStoreConflictError",
    "ThrottledError",
    "TransientError",
    "TransportError",
    "TruncatedBodyError",
    "UnsafeFilenameError",
]


class EdgarError(ImhEdgarError):
    """Root of edgar/ errors; ``url``, ``status`` and ``accession_no`` are attributes and in the context."""

    retryable: bool = False
    default_hint: str | None = None

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        accession_no: str | None = None,
        hint: str | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        self.url = url
        self.status = status
        self.accession_no = accession_no
        facts: dict[str, Any] = {}
        if accession_no:
            facts["accession_no"] = accession_no
        if status is not None:
            facts["status"] = status
        if url:
            facts["url"] = url
        facts.update(context or {})
        super().__init__(message, hint=hint or self.default_hint, context=facts)

    def _init_kwargs(self) -> dict[str, Any]:
        own = {"accession_no", "status", "url"}
        return {
            "url": self.url,
            "status": self.status,
            "accession_no": self.accession_no,
            "hint": self.hint,
            "context": {k: v for k, v in self.context.items() if k not in own},
        }


class ConfigurationError(EdgarError):
    """A setting is missing or invalid; the message names the IMH_ variable and shows an example."""


class TransportError(EdgarError):
    """We could not ask SEC (or the mirror): no usable HTTP answer."""

    retryable = True
    default_hint = "check the network or the mirror URL and run again"


class TransientError(TransportError):
    """5xx, timeout, connection reset: a later attempt may succeed (retried with jittered backoff)."""

    default_hint = "SEC or the network failed temporarily; a later run will retry"


class TruncatedBodyError(TransientError):
    """The body ended early (Content-Length mismatch or no ``</SEC-DOCUMENT>``); never stored."""

    default_hint = "the download was cut short; a later run will fetch it again"


class ThrottledError(TransportError):
    """SEC throttled us (429 or a 403 threshold / undeclared-tool page)."""

    default_hint = (
        "SEC is throttling this host: every worker pauses for IMH_THROTTLE_PAUSE_SECONDS; "
        "lower IMH_MAX_REQUESTS_PER_SECOND and check IMH_USER_AGENT"
    )

    def __init__(self, message: str, *, retry_after_seconds: float | None = None, **kwargs: Any) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(message, **kwargs)

    def _init_kwargs(self) -> dict[str, Any]:
        return {**super()._init_kwargs(), "retry_after_seconds": self.retry_after_seconds}


class NotFoundError(EdgarError):
    """SEC answered 404 or another 4xx: the resource is not there. Not retried."""

    default_hint = "check the CIK/accession; EDGAR has no such document"


class BadContentError(EdgarError):
    """The bytes arrived whole but cannot be used as the format we asked for."""

    default_hint = "the raw bytes are kept for inspection; report the accession if EDGAR's format changed"


class UnsafeFilenameError(BadContentError):
    """A filename from EDGAR would leave its accession folder (``..``, ``/``, ``\\``, NUL, absolute)."""

    default_hint = "the file was not stored; report the accession"


class RawStoreConflictError(BadContentError):
    """The raw store already holds different bytes under the same (cik, accession, filename)."""

    default_hint = "raw files are write-once; inspect both copies before removing the stored one"
