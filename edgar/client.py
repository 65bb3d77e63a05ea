"""The polite HTTP client: every request to SEC (or a mirror) goes through :meth:`EdgarClient.get`.

Per request: wait at the shared throttle gate, take a slot from the shared rate limiter, check the gate again
(a block may have started meanwhile), send with a declared User-Agent and timeouts, then classify the answer:

* 2xx: returned; a body shorter than its Content-Length or a full submission without ``</SEC-DOCUMENT>`` is a
  :class:`TruncatedBodyError` (retried, never returned, so never stored);
* 304: returned (conditional GET of mutable indexes);
* 429, or 403 with SEC's "Request Rate Threshold Exceeded" / "Undeclared Automated Tool" page: close the
  shared gate for ``throttle_pause_seconds`` (or a longer ``Retry-After``) and try again after it; every other
  worker waits at the same gate instead of retrying (a request during SEC's block extends the block);
* 5xx, timeouts, connection resets: retried with jittered exponential backoff, at most ``max_retries`` times;
* 404 and every other 4xx (SEC answers 403 for some missing paths): :class:`NotFoundError`, never retried.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import deque
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from edgar.errors import (
    BadContentError,
    NotFoundError,
    ThrottledError,
    TransientError,
    TruncatedBodyError,
)
from edgar.politeness import (
    Clock,
    FileRateLimiter,
    PrefectRateLimiter,
    RateLimiter,
    SystemClock,
    ThrottleGate,
)
from edgar.settings import Settings
from edgar.sgml import is_ascii_digits, is_complete_submission

log = logging.getLogger(__name__)

THROTTLE_MARKERS = (b"request rate threshold exceeded", b"undeclared automated tool")
_TRANSPORT_ERRORS = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


@dataclass(frozen=True, slots=True)
class HttpResult:
    url: str
    status: int
    content: bytes
    headers: CaseInsensitiveDict[str]
    attempts: int = 1  # requests sent for this result (retries and throttle repeats included)

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise BadContentError(f"response is not JSON: {exc}", url=self.url, status=self.status) from None


@dataclass(frozen=True, slots=True)
class ClientStats:
    """Counters for the run summary (flows report requests and throttle pauses)."""

    requests: int = 0
    throttle_pauses: int = 0
    throttle_responses: int = 0
    retries: int = 0
    not_modified: int = 0
    seconds_paused: float = 0.0


def make_rate_limiter(settings: Settings, clock: Clock) -> RateLimiter:
    if settings.rate_limit_backend == "prefect":
        return PrefectRateLimiter(settings.prefect_rate_limit_name)
    return FileRateLimiter(settings.state_path, settings.max_requests_per_second, clock=clock)


class EdgarClient:
    """Thread-safe; one per process is enough (limiter and gate are shared through the state dir anyway)."""

    def __init__(
        self,
        settings: Settings,
        *,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        rate_limiter: RateLimiter | None = None,
        gate: ThrottleGate | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.rate_limiter = rate_limiter or make_rate_limiter(settings, self.clock)
        self.gate = gate or ThrottleGate(settings.state_path, clock=self.clock)
        self._rng = rng or random.Random()
        self._owns_session = session is None
        self.session = session or requests.Session()
        if self._owns_session:
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=32, max_retries=0)
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)
        self._lock = threading.Lock()
        self._stats = ClientStats()
        # send times (clock.time()) of the latest requests, for measuring the achieved rate
        self.sent_at: deque[float] = deque(maxlen=100_000)
        # time.monotonic() when each throttle answer was handled (the gate closed): lets a benchmark with the
        # test server in the same process tell requests already in flight from requests sent after we knew
        self.throttled_at: deque[float] = deque(maxlen=10_000)

    # --- lifecycle ---
    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def stats(self) -> ClientStats:
        with self._lock:
            return self._stats

    def _bump(self, **deltas: float) -> None:
        with self._lock:
            values = {k: getattr(self._stats, k) + v for k, v in deltas.items()}
            self._stats = ClientStats(**{**_asdict(self._stats), **values})

    # --- requests ---
    def get_json(self, url: str, **kwargs: Any) -> Any:
        return self.get(url, **kwargs).json()

    def get(
        self,
        url: str,
        *,
        accession_no: str | None = None,
        expect_submission: bool = False,
        headers: dict[str, str] | None = None,
    ) -> HttpResult:
        """GET ``url`` politely; raises NotFoundError, ThrottledError, TransientError (after retries)."""
        request_headers = {
            "User-Agent": self.settings.user_agent_for(url),
            "Accept-Encoding": "gzip, deflate",
            **(headers or {}),
        }
        timeout = (self.settings.connect_timeout_seconds, self.settings.read_timeout_seconds)
        failures = 0
        throttles = 0
        attempts = 0
        while True:
            self._take_slot()
            self.sent_at.append(self.clock.time())
            attempts += 1
            try:
                response = self.session.get(url, headers=request_headers, timeout=timeout)
                content = response.content
            except _TRANSPORT_ERRORS as exc:
                self._bump(requests=1)
                error: TransientError = _transport_error(exc, url, accession_no)
            else:
                self._bump(requests=1)
                status = response.status_code
                if _is_throttle(status, content):
                    throttles += 1
                    self._on_throttle(response, url, accession_no, throttles)
                    continue
                if 200 <= status < 300 or status == 304:
                    truncated = _truncation(response, content, expect_submission)
                    if truncated is None:
                        if status == 304:
                            self._bump(not_modified=1)
                        return HttpResult(url, status, content, response.headers, attempts)
                    error = TruncatedBodyError(truncated, url=url, status=status, accession_no=accession_no)
                elif status >= 500:
                    error = TransientError(
                        f"SEC answered HTTP {status}", url=url, status=status, accession_no=accession_no
                    )
                elif 400 <= status < 500:
                    raise NotFoundError(
                        f"SEC answered HTTP {status}", url=url, status=status, accession_no=accession_no
                    )
                else:
                    raise BadContentError(
                        f"unexpected HTTP {status}", url=url, status=status, accession_no=accession_no
                    )
            failures += 1
            if failures > self.settings.max_retries:
                raise error
            delay = self._backoff(failures)
            log.info("retry %d of %s in %.2f s after: %s", failures, url, delay, error)
            self._bump(retries=1)
            self.clock.sleep(delay)

    def _take_slot(self) -> None:
        """A rate slot taken while the gate is open; a slot that waited out a block is not used, so workers
        queued during a throttle pause leave one interval apart afterwards instead of all at once."""
        while True:
            self._wait_at_gate()
            self.rate_limiter.acquire()
            if not self._wait_at_gate():
                return

    def _wait_at_gate(self) -> float:
        waited = self.gate.wait()
        if waited:
            self._bump(seconds_paused=waited)
        return waited

    def _backoff(self, failures: int) -> float:
        # "equal jitter": half the exponential step is fixed, half random, so workers that failed together
        # do not come back together
        step = min(
            self.settings.backoff_max_seconds, self.settings.backoff_base_seconds * 2 ** (failures - 1)
        )
        return step / 2 + self._rng.uniform(0, step / 2)

    def _on_throttle(
        self, response: requests.Response, url: str, accession_no: str | None, count: int
    ) -> None:
        self.throttled_at.append(time.monotonic())
        retry_after = _retry_after_seconds(response.headers.get("Retry-After"), self.clock.time())
        pause = max(self.settings.throttle_pause_seconds, retry_after or 0.0)
        reason = f"HTTP {response.status_code} for {url}"
        started = self.gate.block(pause, reason)
        self._bump(throttle_responses=1, throttle_pauses=1 if started else 0)
        if count > self.settings.max_throttle_pauses:
            raise ThrottledError(
                f"still throttled after {count - 1} pauses of {pause:.0f} s",
                url=url,
                status=response.status_code,
                accession_no=accession_no,
                retry_after_seconds=pause,
            )


def _asdict(stats: ClientStats) -> dict[str, Any]:
    return {name: getattr(stats, name) for name in ClientStats.__slots__}


def _is_throttle(status: int, content: bytes) -> bool:
    if status == 429:
        return True
    if status != 403:
        return False
    head = content[:20000].lower()
    return any(marker in head for marker in THROTTLE_MARKERS)


def _truncation(response: requests.Response, content: bytes, expect_submission: bool) -> str | None:
    declared = response.headers.get("Content-Length")
    # with Content-Encoding the header counts compressed bytes; urllib3 checks those itself while reading
    if (
        declared
        and is_ascii_digits(declared)
        and not response.headers.get("Content-Encoding")
        and int(declared) != len(content)
    ):
        return f"body has {len(content)} of {declared} bytes (Content-Length)"
    if expect_submission and response.status_code == 200 and not is_complete_submission(content):
        return "full submission ends before </SEC-DOCUMENT> (or its last </DOCUMENT>)"
    return None


def _transport_error(exc: Exception, url: str, accession_no: str | None) -> TransientError:
    text = str(exc)
    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return TruncatedBodyError(f"body cut short: {text}", url=url, accession_no=accession_no)
    kind = "timeout" if isinstance(exc, requests.Timeout) else "connection failed"
    return TransientError(f"{kind}: {type(exc).__name__}", url=url, accession_no=accession_no)


def _retry_after_seconds(value: str | None, now: float) -> float | None:
    if not value:
        return None
    value = value.strip()
    if is_ascii_digits(value):
        return float(value)
    try:
        return max(parsedate_to_datetime(value).timestamp() - now, 0.0)
    except (TypeError, ValueError):
        return None
