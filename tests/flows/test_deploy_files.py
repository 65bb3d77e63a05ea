"""deploy/ stays true to the code: every setting explained, every deployment pointing at a real flow."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import yaml

from edgar.settings import ENV_PREFIX, Settings
from flows.runtime import TELEMETRY_OFF

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_env_example_explains_every_setting() -> None:
    text = (DEPLOY / ".env.example").read_text()
    mentioned = set(re.findall(r"^#?\s*(IMH_[A-Z_]+)=", text, flags=re.MULTILINE))
    expected = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    assert expected - mentioned == set()
    assert mentioned - expected <= {"IMH_PROJECT_DIR"}  # read by prefect.yaml, not by Settings


def test_every_deployment_names_a_flow_and_only_its_parameters() -> None:
    config = yaml.safe_load((DEPLOY / "prefect.yaml").read_text())
    assert config["pull"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $IMH_PROJECT_DIR }}"}}
    ]
    names = set()
    for deployment in config["deployments"]:
        path, _, attribute = deployment["entrypoint"].partition(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        flow = getattr(module, attribute)
        accepted = set(inspect.signature(flow.fn).parameters)
        assert set(deployment.get("parameters") or {}) <= accepted, deployment["name"]
        assert deployment["work_pool"]["name"] == "imh-edgar"
        names.add(f"{flow.name}/{deployment['name']}")
    assert names == {"imh-edgar-sync/daily", "imh-edgar-backfill/backfill", "imh-edgar-reparse/reparse"}


def test_the_daily_sync_is_scheduled_with_a_time_zone_and_runs_one_at_a_time() -> None:
    config = yaml.safe_load((DEPLOY / "prefect.yaml").read_text())
    daily = next(d for d in config["deployments"] if d["name"] == "daily")
    assert daily["schedules"][0]["timezone"] == "America/New_York"
    assert daily["concurrency_limit"] == 1


def test_flow_run_processes_and_containers_start_with_telemetry_off() -> None:
    config = yaml.safe_load((DEPLOY / "prefect.yaml").read_text())
    for deployment in config["deployments"]:
        assert deployment["work_pool"]["job_variables"]["env"] == TELEMETRY_OFF
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    compose = (DEPLOY / "compose.yaml").read_text()
    for key, value in TELEMETRY_OFF.items():
        assert f"{key}={value}" in dockerfile
        assert f'{key}: "{value}"' in compose
