"""Fixtures of the edgar/ tests: an injectable clock and settings aimed at SEC's hosts (requests mocked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from edgar_testkit import USER_AGENT, FakeClock

from edgar.settings import Settings, load_settings


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sec_settings(tmp_path: Path) -> Settings:
    """Settings aimed at the real SEC hosts (every request is mocked with ``responses``)."""
    return load_settings(
        {},
        user_agent=USER_AGENT,
        data_dir=tmp_path / "data",
        backoff_base_seconds=1.0,
        backoff_max_seconds=8.0,
        max_retries=3,
    )
