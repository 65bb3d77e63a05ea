"""One Prefect test harness for every flow test, with hermetic, fast settings (prefect.md §3, "Hermetic").

* a temporary PREFECT_HOME and result storage (results and caches of an earlier session must not leak
  in, §3.10);
* no telemetry (DO_NOT_TRACK, server analytics off, §3.8);
* flow-run heartbeats off (each would add ~1 s per flow run, §3.1);
* the task-run recorder batched (~4 ms instead of ~20 ms of server CPU per task run, §2);
* a 120 s server start-up budget: 7 s idle, 55 s measured on this 2-core machine under load (§3.9).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.runtime import PROCESS_DEFAULTS, hermetic_prefect_settings

# Before Prefect is first imported: its settings snapshot is taken from the environment at import time.
for _key, _value in PROCESS_DEFAULTS.items():
    os.environ.setdefault(_key, _value)
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("PREFECT_API_KEY", None)


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Start the session's temporary Prefect server once (~7 s); yields the temporary PREFECT_HOME."""
    import prefect.settings as ps
    from prefect.testing.utilities import prefect_test_harness

    home = tmp_path_factory.mktemp("prefect-home")
    updates = hermetic_prefect_settings(home, startup_timeout_seconds=120)
    with ps.temporary_settings(updates=updates), prefect_test_harness(server_startup_timeout=120):
        yield home


@pytest.fixture(scope="session")
def small_mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated EDGAR mirror: the 'small' preset (3 deals x 4 months, one 8-K/A restating a month, the
    real statement, paginated submissions) plus one of each malformed input (garbage, foreign 8-K, 2004 HTML
    layout, truncated statement). ``corpus-manifest.json`` at its root says what each filing must become."""
    from dataclasses import asdict, replace

    from corpus.mirror import MALFORMED_KINDS, PRESETS, generate_mirror

    root = tmp_path_factory.mktemp("mirror")
    generate_mirror(root, seed=5, **asdict(replace(PRESETS["small"], malformed=MALFORMED_KINDS)))
    return root
