"""The one settings object of the whole application.

Read from the environment (prefix ``IMH_``) and from a ``.env`` file in the working directory if present,
validated once at start-up by :func:`load_settings`, then passed in explicitly. Nothing reads it at import
time. List settings accept JSON (``IMH_FORMS='["8-K","10-D"]'``) or commas (``IMH_FORMS=8-K,10-D``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from edgar.errors import ConfigurationError

ENV_PREFIX = "IMH_"
USER_AGENT_EXAMPLE = 'IMH_USER_AGENT="Acme Research admin@acme.example"'
# Used only for hosts that are not SEC's (the local test server, a private mirror): SEC itself must get a
# declared agent naming a person or company and an e-mail address (fair-access policy, edgar.md §f).
DEFAULT_NON_SEC_USER_AGENT = "imh-edgar offline-mirror noreply@imh-edgar.invalid"
# SEC keeps a user blocked until its rate has stayed below the threshold for 10 minutes (edgar.md §f).
SEC_MIN_THROTTLE_PAUSE_SECONDS = 600.0
SEC_MAX_REQUESTS_PER_SECOND = 10.0

_USER_AGENT_RE = re.compile(r"^\S(?:.*\S)?\s+[^\s@]+@[^\s@]+\.[^\s@]+$")

DEFAULT_COMPANY_PATTERNS: tuple[str, ...] = (
    "IMH ASSETS CORP",
    "IMPAC CMB TRUST",
    "IMPAC SECURED ASSETS",
    "IMPERIAL CMB",
    "IMPAC CMB GRANTOR TRUST",
    # former name of IMPAC SECURED ASSETS CORP (CIK 1018905, renamed 1996-07-16, imh-filings.md §3)
    "ICIFC SECURED ASSETS",
)


def is_valid_user_agent(value: str) -> bool:
    """True for SEC's declared form ``Company or Name contact@domain.tld``."""
    return bool(_USER_AGENT_RE.match(value.strip()))


def is_sec_url(url: str) -> bool:
    """True when ``url`` points at SEC (``sec.gov`` or a subdomain), whose fair-access rules then apply."""
    host = (urlsplit(url).hostname or "").lower()
    return host == "sec.gov" or host.endswith(".sec.gov")


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every tunable of imh-edgar. Environment variable = ``IMH_`` + field name in upper case."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    # --- SEC access ---
    user_agent: str | None = Field(
        default=None,
        description="Declared User-Agent `Name email@domain`; required before any request to sec.gov.",
    )
    sec_www_url: str = Field(default="https://www.sec.gov", description="Base of /Archives (www host).")
    sec_data_url: str = Field(default="https://data.sec.gov", description="Base of /submissions (data host).")
    max_requests_per_second: float = Field(
        default=5.0, gt=0, description="One budget shared by every thread and process on this host."
    )
    connect_timeout_seconds: float = Field(default=10.0, gt=0)
    read_timeout_seconds: float = Field(default=60.0, gt=0)
    throttle_pause_seconds: float = Field(
        default=600.0,
        ge=0,
        description="Pause of every worker after a 429 / 403 threshold page; at least 600 s against sec.gov.",
    )
    max_throttle_pauses: int = Field(
        default=3, ge=0, description="Throttle pauses one request may sit through before giving up."
    )
    max_retries: int = Field(default=5, ge=0, description="Retries of one request after 5xx/timeout/reset.")
    backoff_base_seconds: float = Field(default=1.0, ge=0)
    backoff_max_seconds: float = Field(default=60.0, ge=0)
    rate_limit_backend: Literal["file", "prefect"] = Field(
        default="file",
        description="`file`: lock-file schedule shared by all processes of this host; "
        "`prefect`: a Prefect global concurrency limit shared by every host using one Prefect server.",
    )
    prefect_rate_limit_name: str = Field(default="sec-edgar")

    # --- what to look for ---
    forms: Annotated[tuple[str, ...], NoDecode] = ("8-K", "8-K/A")
    ciks: Annotated[tuple[int, ...], NoDecode] = (1017447,)
    company_patterns: Annotated[tuple[str, ...], NoDecode] = DEFAULT_COMPANY_PATTERNS
    full_index_start: date = Field(
        default=date(1996, 7, 1), description="First quarter scanned in the full-index name search."
    )

    # --- where things live ---
    data_dir: Path = Field(default=Path("data"), description="Root of local state; relative to the cwd.")
    raw_store_url: str | None = Field(default=None, description="Default <data_dir>/raw; any fsspec URL.")
    state_dir: Path | None = Field(default=None, description="Default <data_dir>/state (limiter, caches).")
    database_url: str | None = Field(default=None, description="Default sqlite:///<data_dir>/imh_edgar.db.")

    @field_validator("forms", "company_patterns", mode="before")
    @classmethod
    def _split_text_lists(cls, value: Any) -> Any:
        value = _split_list(value)
        if isinstance(value, (list, tuple)):
            return tuple(str(v).strip().upper() for v in value if str(v).strip())
        return value

    @field_validator("ciks", mode="before")
    @classmethod
    def _split_ciks(cls, value: Any) -> Any:
        value = _split_list(value)
        if isinstance(value, (list, tuple)):
            return tuple(int(str(v).strip().lstrip("0") or "0") for v in value)
        return value

    @field_validator("user_agent")
    @classmethod
    def _check_user_agent(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not is_valid_user_agent(value):
            raise ValueError(f"must be 'Name email@domain', got {value!r}")
        return " ".join(value.split())

    @field_validator("sec_www_url", "sec_data_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an http(s) base URL, got {value!r}")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _check_sec_limits(self) -> Settings:
        if self.talks_to_sec:
            if self.max_requests_per_second > SEC_MAX_REQUESTS_PER_SECOND:
                raise ValueError(
                    f"IMH_MAX_REQUESTS_PER_SECOND={self.max_requests_per_second:g} exceeds SEC's "
                    f"{SEC_MAX_REQUESTS_PER_SECOND:g} req/s fair-access limit "
                    "(e.g. IMH_MAX_REQUESTS_PER_SECOND=5)"
                )
            if self.throttle_pause_seconds < SEC_MIN_THROTTLE_PAUSE_SECONDS:
                raise ValueError(
                    f"IMH_THROTTLE_PAUSE_SECONDS={self.throttle_pause_seconds:g} is shorter than SEC's "
                    "10-minute block, and requests during the block extend it "
                    "(e.g. IMH_THROTTLE_PAUSE_SECONDS=600)"
                )
        return self

    # --- derived values ---
    @property
    def talks_to_sec(self) -> bool:
        return is_sec_url(self.sec_www_url) or is_sec_url(self.sec_data_url)

    @property
    def raw_store_location(self) -> str:
        return self.raw_store_url or str(self.data_dir / "raw")

    @property
    def state_path(self) -> Path:
        return self.state_dir or (self.data_dir / "state")

    @property
    def database_location(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'imh_edgar.db'}"

    def user_agent_for(self, url: str) -> str:
        """The User-Agent to send to ``url``; refuses SEC hosts without a declared agent."""
        if self.user_agent:
            return self.user_agent
        if is_sec_url(url):
            raise ConfigurationError(
                f"IMH_USER_AGENT is not set; SEC requires a declared agent. Set e.g. {USER_AGENT_EXAMPLE}",
                url=url,
            )
        return DEFAULT_NON_SEC_USER_AGENT


def load_settings(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build and validate :class:`Settings`; an invalid value becomes one :class:`ConfigurationError` line.

    ``env`` replaces ``os.environ`` (tests); ``overrides`` win over both.
    """
    try:
        if env is None:
            return Settings(**overrides)
        values: dict[str, Any] = {}
        for name in Settings.model_fields:
            key = ENV_PREFIX + name.upper()
            for candidate in (key, key.lower()):
                if candidate in env:
                    values[name] = env[candidate]
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise ConfigurationError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        loc = err.get("loc") or ()
        field = str(loc[0]) if loc else ""
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if field:
            variable = ENV_PREFIX + field.upper()
            example = USER_AGENT_EXAMPLE if field == "user_agent" else _EXAMPLES.get(field, "")
            hint = f" (e.g. {example})" if example else ""
            problems.append(f"{variable}: {message}{hint}")
        else:
            problems.append(message)
    return "invalid settings: " + "; ".join(problems)


_EXAMPLES = {
    "sec_www_url": "IMH_SEC_WWW_URL=https://www.sec.gov",
    "sec_data_url": "IMH_SEC_DATA_URL=https://data.sec.gov",
    "max_requests_per_second": "IMH_MAX_REQUESTS_PER_SECOND=5",
    "throttle_pause_seconds": "IMH_THROTTLE_PAUSE_SECONDS=600",
    "forms": "IMH_FORMS=8-K,8-K/A,10-D",
    "ciks": "IMH_CIKS=1017447,1018905",
    "company_patterns": 'IMH_COMPANY_PATTERNS="IMH ASSETS CORP,IMPAC CMB TRUST"',
    "rate_limit_backend": "IMH_RATE_LIMIT_BACKEND=file",
    "full_index_start": "IMH_FULL_INDEX_START=1996-07-01",
}
