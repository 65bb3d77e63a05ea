"""Helpers of the edgar/ tests: an injectable clock and settings aimed at a local test server."""

from __future__ import annotations

import threading
from pathlib import Path

from edgar.settings import Settings, load_settings

USER_AGENT = "Acme Research admin@acme.example"


class FakeClock:
    """Time that only moves when someone sleeps: a 600-second throttle pause costs nothing."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            if seconds > 0:
                self.sleeps.append(seconds)
                self.now += seconds


def local_settings(tmp_path: Path, url: str, **overrides: object) -> Settings:
    """Settings aimed at a local test server at ``url`` (short pauses are allowed off sec.gov)."""
    values: dict[str, object] = {
        "sec_www_url": url,
        "sec_data_url": url,
        "user_agent": USER_AGENT,
        "data_dir": tmp_path / "data",
        "max_requests_per_second": 50,
        "throttle_pause_seconds": 1.0,
        "backoff_base_seconds": 0.01,
        "backoff_max_seconds": 0.05,
        "read_timeout_seconds": 5.0,
    }
    values.update(overrides)
    return load_settings({}, **values)
