"""Settings: one object from IMH_ variables (and .env), validated at start-up with one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from edgar.errors import ConfigurationError
from edgar.settings import DEFAULT_NON_SEC_USER_AGENT, Settings, load_settings


def test_missing_user_agent_refuses_a_sec_request_and_shows_an_example() -> None:
    settings = load_settings({})
    with pytest.raises(ConfigurationError) as caught:
        settings.user_agent_for("https://data.sec.gov/submissions/CIK0001017447.json")
    message = str(caught.value)
    assert "IMH_USER_AGENT" in message
    assert 'IMH_USER_AGENT="Acme Research admin@acme.example"' in message
    assert "\n" not in message


def test_local_mirror_may_be_asked_without_a_declared_agent() -> None:
    settings = load_settings({"IMH_SEC_WWW_URL": "http://127.0.0.1:8765"})
    assert settings.user_agent_for("http://127.0.0.1:8765/Archives/x") == DEFAULT_NON_SEC_USER_AGENT


@pytest.mark.parametrize("agent", ["python-requests/2.32", "Foo/1.0", "admin@acme.example", "Acme Research"])
def test_undeclared_user_agent_is_rejected_naming_the_variable(agent: str) -> None:
    with pytest.raises(ConfigurationError, match=r"IMH_USER_AGENT: must be 'Name email@domain'"):
        load_settings({"IMH_USER_AGENT": agent})


def test_declared_user_agent_is_accepted_and_normalised() -> None:
    settings = load_settings({"IMH_USER_AGENT": "  Acme   Research admin@acme.example "})
    assert settings.user_agent == "Acme Research admin@acme.example"
    assert settings.user_agent_for("https://www.sec.gov/Archives/") == "Acme Research admin@acme.example"


def test_lists_come_from_commas_or_json_and_ciks_lose_their_zero_padding() -> None:
    settings = load_settings({"IMH_FORMS": "8-K, 8-k/a ,10-D", "IMH_CIKS": "0001017447,1076336"})
    assert settings.forms == ("8-K", "8-K/A", "10-D")
    assert settings.ciks == (1017447, 1076336)
    assert load_settings({"IMH_FORMS": '["10-D"]'}).forms == ("10-D",)


def test_defaults_follow_the_issue() -> None:
    settings = load_settings({})
    assert settings.forms == ("8-K", "8-K/A")
    assert settings.ciks == (1017447,)
    assert settings.max_requests_per_second <= 8
    assert settings.throttle_pause_seconds >= 600
    assert {"IMH ASSETS CORP", "IMPAC CMB TRUST", "IMPAC SECURED ASSETS", "IMPERIAL CMB"} <= set(
        settings.company_patterns
    )


def test_paths_derive_from_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings({"IMH_DATA_DIR": str(tmp_path)})
    assert settings.raw_store_location == str(tmp_path / "raw")
    assert settings.state_path == tmp_path / "state"
    assert settings.database_location == f"sqlite:///{tmp_path / 'imh_edgar.db'}"
    assert load_settings({"IMH_RAW_STORE_URL": "s3://bucket/raw"}).raw_store_location == "s3://bucket/raw"


def test_a_throttle_pause_shorter_than_sec_block_is_refused_for_sec() -> None:
    with pytest.raises(ConfigurationError, match="IMH_THROTTLE_PAUSE_SECONDS=5 is shorter than SEC's"):
        load_settings({"IMH_THROTTLE_PAUSE_SECONDS": "5"})


def test_a_short_pause_is_allowed_against_a_local_server() -> None:
    env = {"IMH_SEC_WWW_URL": "http://127.0.0.1:1", "IMH_SEC_DATA_URL": "http://127.0.0.1:1"}
    assert load_settings({**env, "IMH_THROTTLE_PAUSE_SECONDS": "0.5"}).throttle_pause_seconds == 0.5


def test_more_than_ten_requests_per_second_to_sec_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="IMH_MAX_REQUESTS_PER_SECOND=12 exceeds SEC's 10"):
        load_settings({"IMH_MAX_REQUESTS_PER_SECOND": "12"})


def test_a_non_number_names_its_variable_and_an_example() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"IMH_MAX_REQUESTS_PER_SECOND": "fast"})
    assert "IMH_MAX_REQUESTS_PER_SECOND" in str(caught.value)
    assert "e.g. IMH_MAX_REQUESTS_PER_SECOND=5" in str(caught.value)


def test_environment_and_dotenv_file_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text('IMH_USER_AGENT="Dot Env admin@dotenv.example"\nIMH_FORMS=10-D\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IMH_FORMS", "8-K")
    settings = load_settings()
    assert settings.user_agent == "Dot Env admin@dotenv.example"
    assert settings.forms == ("8-K",)  # the environment wins over .env


def test_settings_are_immutable() -> None:
    settings = Settings()
    with pytest.raises(ValueError, match="frozen"):
        settings.forms = ("10-D",)  # type: ignore[misc]
