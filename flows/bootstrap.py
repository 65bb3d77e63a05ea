"""``imh-edgar bootstrap``: the one-time (and idempotent) set-up of a Prefect server for imh-edgar.

Creates or updates, through the Prefect API named by PREFECT_API_URL:

* the process work pool the deployments in deploy/prefect.yaml run on (``prefect worker start --pool``);
* the global concurrency limit every worker's EDGAR client takes a slot of before each request
  (``IMH_RATE_LIMIT_BACKEND=prefect``). It is a token bucket: ``limit=1`` with ``slot_decay_per_second``
  equal to the allowed rate keeps any one-second window at or under the rate across processes, where
  ``limit=10, decay=10`` let 18 calls through in one second (prefect.md §1, measured with 3 processes);
* the application database schema (migrations to head).

Done by code, not by hand, so a new environment is one command and a re-run changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from db.engine import redacted
from db.migrate import upgrade
from edgar.errors import ConfigurationError
from edgar.settings import Settings

__all__ = ["DEFAULT_WORK_POOL", "BootstrapReport", "bootstrap"]

DEFAULT_WORK_POOL = "imh-edgar"


@dataclass(frozen=True, slots=True)
class BootstrapReport:
    api_url: str
    work_pool: str
    work_pool_created: bool
    rate_limit: str
    rate_limit_created: bool
    requests_per_second: float
    database: str
    revision: str

    def lines(self) -> list[str]:
        verb = {True: "created", False: "already there, kept"}
        return [
            f"Prefect API        {self.api_url}",
            f"work pool          {self.work_pool} (process): {verb[self.work_pool_created]}",
            f"SEC rate limit     {self.rate_limit}: limit 1, slot decay {self.requests_per_second:g}/s "
            f"({'created' if self.rate_limit_created else 'updated'})",
            f"database           {self.database} at revision {self.revision}",
        ]


def bootstrap(
    settings: Settings, *, work_pool: str = DEFAULT_WORK_POOL, migrate: bool = True
) -> BootstrapReport:
    """Create or update the work pool, the SEC rate limit and the database schema; safe to run again."""
    api_url = os.environ.get("PREFECT_API_URL", "")
    if not api_url:
        raise ConfigurationError(
            "PREFECT_API_URL is not set; bootstrap configures a running Prefect server",
            hint="start one (prefect server start) and set e.g. PREFECT_API_URL=http://127.0.0.1:4200/api",
        )
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import (
        GlobalConcurrencyLimitCreate,
        GlobalConcurrencyLimitUpdate,
        WorkPoolCreate,
    )
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    rate = settings.max_requests_per_second
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(work_pool)
            pool_created = False
        except ObjectNotFound:
            client.create_work_pool(
                WorkPoolCreate(
                    name=work_pool,
                    type="process",
                    description="imh-edgar flows (deploy/prefect.yaml)",
                    base_job_template=ProcessWorker.get_default_base_job_template(),
                )
            )
            pool_created = True
        name = settings.prefect_rate_limit_name
        try:
            client.read_global_concurrency_limit_by_name(name)
            client.update_global_concurrency_limit(
                name, GlobalConcurrencyLimitUpdate(limit=1, slot_decay_per_second=rate, active=True)
            )
            limit_created = False
        except ObjectNotFound:
            client.create_global_concurrency_limit(
                GlobalConcurrencyLimitCreate(name=name, limit=1, slot_decay_per_second=rate, active=True)
            )
            limit_created = True
    revision = upgrade(settings.database_location) if migrate else "(not migrated)"
    return BootstrapReport(
        api_url=api_url,
        work_pool=work_pool,
        work_pool_created=pool_created,
        rate_limit=name,
        rate_limit_created=limit_created,
        requests_per_second=rate,
        database=redacted(settings.database_location),
        revision=revision,
    )
