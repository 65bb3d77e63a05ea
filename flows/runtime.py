"""Process-level defaults for every process we start (CLI, demo, worker): offline-safe and quiet.

Prefect reads its settings from the environment when it is first imported, so :func:`apply_process_defaults`
runs before any ``import prefect`` (the CLI calls it first thing). Values already set by the user win.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "PROCESS_DEFAULTS",
    "TELEMETRY_OFF",
    "apply_process_defaults",
    "heartbeats_off",
    "hermetic_prefect_settings",
]

# prefect.md §3.8: the server sends analytics unless told not to, the SDK unless DO_NOT_TRACK is set; an
# offline laptop or a locked-down worker must not try either.
TELEMETRY_OFF: dict[str, str] = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}

PROCESS_DEFAULTS: dict[str, str] = {
    **TELEMETRY_OFF,
    # prefect.md §3.9: the ephemeral server's 20 s start-up budget is too short on a busy 2-core machine.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "60",
    # prefect.md §2: the task-run recorder costs ~19.5 ms of server CPU per task run at batch size 1,
    # ~4 ms at 100.
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "100",
}


def apply_process_defaults(environ: MutableMapping[str, str] | None = None) -> None:
    """Set :data:`PROCESS_DEFAULTS` in ``environ`` (default ``os.environ``) unless the user set them."""
    target = os.environ if environ is None else environ
    for key, value in PROCESS_DEFAULTS.items():
        target.setdefault(key, value)


@contextmanager
def heartbeats_off() -> Iterator[None]:
    """Flow-run heartbeats off for short local runs (demo, tests).

    Each sync flow run joins its heartbeat thread at the end, ~1 s per run (prefect.md §3.1, PR #21058); the
    variable cannot be set to None from the environment, so this goes through ``temporary_settings``.
    Production keeps heartbeats on: they are how the server notices a crashed worker.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def hermetic_prefect_settings(home: Path, *, startup_timeout_seconds: int = 120) -> dict[Any, Any]:
    """Settings of a throwaway local Prefect (tests, benchmarks), for ``temporary_settings(updates=...)``.

    Its own PREFECT_HOME and result storage (an earlier session's cached results must not leak in,
    prefect.md §3.10), no analytics, no heartbeats, the task-run recorder batched, and a start-up budget
    for a loaded machine.
    """
    import prefect.settings as ps

    return {
        ps.PREFECT_HOME: str(home),
        ps.PREFECT_RESULTS_LOCAL_STORAGE_PATH: str(home / "storage"),
        ps.PREFECT_SERVER_ANALYTICS_ENABLED: False,
        ps.PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None,
        ps.PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE: 100,
        ps.PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE: 100,
        ps.PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: startup_timeout_seconds,
    }
