"""One request budget and one throttle pause shared by every thread and process that talks to SEC.

SEC's limit is per user "regardless of the number of machines used" (edgar.md §f), so a per-process token
bucket is not enough: four Prefect workers with their own 5 req/s buckets send 20 req/s. Two mechanisms here:

* :class:`FileRateLimiter` (default, one host): the time of the last granted request in a small file in the
  state dir, under an exclusive lock (a thread lock inside a process, ``filelock`` between processes). A
  caller takes the lock, sleeps until ``last + interval``, records the time it actually got and releases the
  lock, so consecutive grants from all threads and processes are at least ``interval`` apart even when a
  sleeper wakes late. There is no burst capacity, unlike a token bucket (prefect.md measured 18 calls in one
  second from a GCL with limit=10, decay=10). Waiting processes poll the lock every 2 ms; threads block on the
  thread lock.
* :class:`PrefectRateLimiter` (``IMH_RATE_LIMIT_BACKEND=prefect``, several hosts): Prefect's global
  concurrency limit ``rate_limit(name, strict=True)``, created with ``--limit 1 --slot-decay-per-second
  <rate>`` so it cannot burst; strict so a missing limit fails loudly instead of silently limiting nothing.

:class:`ThrottleGate` is the shared "blocked until" timestamp file: after a 429 or a 403 threshold page,
whoever saw it pushes the timestamp ``throttle_pause_seconds`` into the future, and every worker checks the
gate before every request, so no request at all is sent during SEC's block window.

Time is injected (:class:`Clock`) so a test can run a 600-second pause instantly.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from pathlib import Path
from typing import ClassVar, Protocol

from filelock import FileLock

log = logging.getLogger(__name__)

# Grants are 5% further apart than 1/rate: at exactly 1/rate, N+1 requests span exactly one second and any
# arrival jitter puts them into one window; 2% still let the test server count one extra request in a second
# under load (docs/edgar.md, "Politeness").
SPACING_HEADROOM = 1.05
MAX_BLOCK_SECONDS = 86400.0


class Clock(Protocol):
    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Wall-clock time, comparable across processes on one host (the schedule files hold these values)."""

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class RateLimiter(Protocol):
    def acquire(self) -> float:
        """Block until this caller may send one request; returns the seconds waited."""
        ...


class _LockedFile:
    """A float stored in ``path``, read and written under one thread lock plus one cross-process file lock."""

    _thread_locks: ClassVar[dict[str, threading.Lock]] = {}
    _registry_lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        key = str(path.resolve())
        with self._registry_lock:
            self._thread_lock = self._thread_locks.setdefault(key, threading.Lock())
        self._file_lock = FileLock(str(path) + ".lock", thread_local=False)

    def __enter__(self) -> _LockedFile:
        # threads of one process queue on the cheap thread lock; only one of them polls the file lock
        self._thread_lock.acquire()
        try:
            self._file_lock.acquire(poll_interval=0.002)
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._file_lock.release()
        self._thread_lock.release()

    def read(self) -> float:
        try:
            return float(self.path.read_text().strip() or 0.0)
        except (FileNotFoundError, ValueError):
            return 0.0

    def write(self, value: float) -> None:
        # temp + rename so a lock-free reader (ThrottleGate.wait) never sees a half-written number
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(f"{value:.6f}\n")
        os.replace(tmp, self.path)


class FileRateLimiter:
    """Requests spaced ``1/rate`` apart across all threads and processes sharing ``state_dir``."""

    def __init__(
        self, state_dir: Path, rate: float, *, clock: Clock | None = None, name: str = "sec"
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = SPACING_HEADROOM / rate
        self.clock = clock or SystemClock()
        self._slot = _LockedFile(Path(state_dir) / f"ratelimit-{name}.next")
        # Grant times of this process, stamped under the lock: the limiter's own guarantee. A thread's actual
        # send can be later than its grant when the machine is busy, so tests judge spacing by grants.
        self.granted_at: deque[float] = deque(maxlen=100_000)

    def acquire(self) -> float:
        # The lock is held through the wait, so the next caller measures its interval from the moment this
        # one actually went (a late wake-up delays everyone instead of letting two requests leave together).
        with self._slot:
            now = self.clock.time()
            last = self._slot.read()
            if last - now > 3600:  # only a clock that jumped back leaves a grant in the future
                last = now - self.interval
            wait = max(0.0, last + self.interval - now)
            self.clock.sleep(wait)
            granted = max(self.clock.time(), last + self.interval)
            self._slot.write(granted)
            self.granted_at.append(granted)
        return wait


class PrefectRateLimiter:
    """Prefect global concurrency limit as the shared budget of several hosts (see module docstring)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def acquire(self) -> float:
        from prefect.concurrency.sync import rate_limit

        started = time.monotonic()
        rate_limit(self.name, occupy=1, strict=True)
        return time.monotonic() - started


class ThrottleGate:
    """Shared "blocked until" timestamp: while it lies in the future nobody sends anything."""

    def __init__(self, state_dir: Path, *, clock: Clock | None = None, name: str = "sec") -> None:
        self.clock = clock or SystemClock()
        self._until = _LockedFile(Path(state_dir) / f"blocked-until-{name}")

    def blocked_until(self) -> float:
        return self._until.read()

    def block(self, seconds: float, reason: str) -> bool:
        """Close the gate for ``seconds`` from now; True if this call started a block (one pause)."""
        with self._until:
            now = self.clock.time()
            current = self._until.read()
            new_until = now + seconds
            if new_until > current:
                self._until.write(new_until)
            started = current <= now
        if started:
            log.warning("SEC throttled us (%s): every worker pauses for %.0f s", reason, seconds)
        return started

    def wait(self) -> float:
        """Sleep until the gate is open (re-read: another worker may extend the block); seconds waited."""
        waited = 0.0
        while True:
            remaining = self._until.read() - self.clock.time()
            if remaining <= 0:
                return waited
            if remaining > MAX_BLOCK_SECONDS:
                # no throttle asks for a day; only a clock that jumped back (or a hand-edited file) does
                log.warning("ignoring a throttle block %.0f s ahead in %s", remaining, self._until.path)
                return waited
            self.clock.sleep(remaining)
            waited += remaining
