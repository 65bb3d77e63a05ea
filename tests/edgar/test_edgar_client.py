"""The polite client against mocked SEC hosts: retries, the shared throttle pause, timeouts, headers."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import pytest
import requests
import responses
from edgar_testkit import USER_AGENT, FakeClock
from sgml_mirror import FILING_03_000161, render_submission

from edgar.client import EdgarClient
from edgar.errors import (
    ConfigurationError,
    EdgarError,
    NotFoundError,
    ThrottledError,
    TransientError,
    TransportError,
    TruncatedBodyError,
)
from edgar.settings import Settings, load_settings
from edgar.testserver import THRESHOLD_PAGE, UNDECLARED_TOOL_PAGE

URL = "https://www.sec.gov/Archives/edgar/data/1017447/000102024203000161/0001020242-03-000161.txt"
URL2 = "https://data.sec.gov/submissions/CIK0001017447.json"
SUBMISSION = render_submission(FILING_03_000161).encode()


def _client(settings: Settings, clock: FakeClock) -> EdgarClient:
    return EdgarClient(settings, clock=clock, rng=random.Random(7))


class _Recorder:
    """A responses callback that answers from a script and notes the (fake) time each request was sent."""

    def __init__(self, clock: FakeClock, script: list[tuple[int, bytes, dict[str, str]]]) -> None:
        self.clock = clock
        self.script = script
        self.sent_at: list[float] = []

    def __call__(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        self.sent_at.append(self.clock.time())
        status, body, headers = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return status, headers, body


@responses.activate
def test_404_is_not_found_and_never_retried(sec_settings: Settings, clock: FakeClock) -> None:
    responses.get(URL, status=404)
    with pytest.raises(NotFoundError) as caught, _client(sec_settings, clock) as client:
        client.get(URL, accession_no="0001020242-03-000161")
    assert len(responses.calls) == 1
    assert caught.value.status == 404
    assert caught.value.url == URL
    assert "0001020242-03-000161" in str(caught.value)
    assert not caught.value.retryable


@responses.activate
def test_plain_403_is_not_found_not_a_throttle(sec_settings: Settings, clock: FakeClock) -> None:
    responses.get(URL, status=403, body=b"<html>Forbidden</html>")
    with pytest.raises(NotFoundError), _client(sec_settings, clock) as client:
        client.get(URL)
    assert len(responses.calls) == 1
    assert client.stats.throttle_pauses == 0


@responses.activate
def test_5xx_is_retried_with_growing_jittered_backoff(sec_settings: Settings, clock: FakeClock) -> None:
    recorder = _Recorder(clock, [(503, b"", {}), (502, b"", {}), (200, SUBMISSION, {})])
    responses.add_callback(responses.GET, URL, callback=recorder)
    with _client(sec_settings, clock) as client:
        result = client.get(URL, expect_submission=True)
    assert result.content == SUBMISSION
    assert client.stats.retries == 2
    assert client.stats.requests == 3
    first_gap, second_gap = (b - a for a, b in zip(recorder.sent_at, recorder.sent_at[1:], strict=False))
    assert 0.5 <= first_gap <= 1.0 + 0.3  # base 1 s, equal jitter, plus at most one rate-limit slot
    assert 1.0 <= second_gap <= 2.0 + 0.3


@responses.activate
def test_5xx_gives_up_after_the_retry_cap_with_a_transient_error(
    sec_settings: Settings, clock: FakeClock
) -> None:
    responses.get(URL, status=500)
    with pytest.raises(TransientError) as caught, _client(sec_settings, clock) as client:
        client.get(URL)
    assert len(responses.calls) == sec_settings.max_retries + 1
    assert caught.value.retryable
    assert max(clock.sleeps) <= sec_settings.backoff_max_seconds


@pytest.mark.parametrize(
    "failure",
    [requests.exceptions.ConnectTimeout("timed out"), requests.exceptions.ConnectionError("reset by peer")],
)
@responses.activate
def test_timeouts_and_resets_are_retried(
    sec_settings: Settings, clock: FakeClock, failure: Exception
) -> None:
    responses.get(URL, body=failure)
    responses.get(URL, body=SUBMISSION)
    with _client(sec_settings, clock) as client:
        assert client.get(URL).content == SUBMISSION
    assert client.stats.retries == 1


@responses.activate
def test_submission_without_its_end_is_retried_and_never_returned(
    sec_settings: Settings, clock: FakeClock
) -> None:
    responses.get(URL, body=SUBMISSION[: len(SUBMISSION) // 2])
    responses.get(URL, body=SUBMISSION)
    with _client(sec_settings, clock) as client:
        assert client.get(URL, expect_submission=True).content == SUBMISSION
    assert client.stats.retries == 1


@responses.activate
def test_submission_cut_every_time_ends_in_truncated_body_error(
    sec_settings: Settings, clock: FakeClock
) -> None:
    responses.get(URL, body=SUBMISSION[:1000])
    with pytest.raises(TruncatedBodyError, match="SEC-DOCUMENT"), _client(sec_settings, clock) as client:
        client.get(URL, expect_submission=True)


@pytest.mark.parametrize(
    ("status", "body"),
    [(429, b"Too Many Requests"), (403, THRESHOLD_PAGE), (403, UNDECLARED_TOOL_PAGE)],
    ids=["429", "403-threshold", "403-undeclared-tool"],
)
@responses.activate
def test_throttle_pauses_for_the_block_time_and_sends_nothing_meanwhile(
    sec_settings: Settings, clock: FakeClock, status: int, body: bytes
) -> None:
    recorder = _Recorder(clock, [(status, body, {}), (200, SUBMISSION, {})])
    responses.add_callback(responses.GET, URL, callback=recorder)
    with _client(sec_settings, clock) as client:
        assert client.get(URL).status == 200
    throttled_at, resumed_at = recorder.sent_at
    assert resumed_at - throttled_at >= sec_settings.throttle_pause_seconds == 600
    assert client.stats.throttle_pauses == 1
    assert client.stats.throttle_responses == 1
    assert client.stats.retries == 0  # a throttle is a pause, not a retry


@responses.activate
def test_a_throttle_seen_by_one_worker_pauses_another_process(tmp_path: Path, clock: FakeClock) -> None:
    settings = load_settings({}, user_agent=USER_AGENT, data_dir=tmp_path)
    recorder = _Recorder(clock, [(429, b"", {}), (200, b"{}", {})])
    responses.add_callback(responses.GET, URL, callback=recorder)
    other_clock = FakeClock(start=clock.time() + 10)  # a second process, ten seconds into the block
    other_sent: list[float] = []

    def other(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        other_sent.append(other_clock.time())
        return 200, {}, b"{}"

    responses.add_callback(responses.GET, URL2, callback=other)
    with _client(settings, clock) as first:
        first.get(URL)
    with _client(settings, other_clock) as second:  # same state dir: same gate file
        second.get(URL2)
    assert other_sent[0] >= recorder.sent_at[0] + 600
    assert second.stats.throttle_pauses == 0
    assert second.stats.seconds_paused == pytest.approx(590, abs=1)


@responses.activate
def test_retry_after_longer_than_the_pause_is_honoured(sec_settings: Settings, clock: FakeClock) -> None:
    recorder = _Recorder(clock, [(429, b"", {"Retry-After": "900"}), (200, b"ok", {})])
    responses.add_callback(responses.GET, URL, callback=recorder)
    with _client(sec_settings, clock) as client:
        client.get(URL)
    assert recorder.sent_at[1] - recorder.sent_at[0] >= 900


@responses.activate
def test_endless_throttling_ends_in_throttled_error(sec_settings: Settings, clock: FakeClock) -> None:
    responses.get(URL, status=429)
    with pytest.raises(ThrottledError) as caught, _client(sec_settings, clock) as client:
        client.get(URL)
    assert len(responses.calls) == sec_settings.max_throttle_pauses + 1
    assert isinstance(caught.value, TransportError)
    assert "IMH_MAX_REQUESTS_PER_SECOND" in str(caught.value)


@responses.activate
def test_declared_user_agent_and_compression_are_sent(sec_settings: Settings, clock: FakeClock) -> None:
    responses.get(URL, body=b"x")
    with _client(sec_settings, clock) as client:
        client.get(URL)
    headers = responses.calls[0].request.headers
    assert headers["User-Agent"] == USER_AGENT
    assert "gzip" in headers["Accept-Encoding"]


@responses.activate
def test_no_request_leaves_without_a_user_agent(tmp_path: Path, clock: FakeClock) -> None:
    settings = load_settings({}, data_dir=tmp_path)
    responses.get(URL, body=b"x")
    with pytest.raises(ConfigurationError, match="IMH_USER_AGENT"), _client(settings, clock) as client:
        client.get(URL)
    assert len(responses.calls) == 0


@responses.activate
def test_requests_are_spaced_by_the_rate_limit(sec_settings: Settings, clock: FakeClock) -> None:
    recorder = _Recorder(clock, [(200, b"x", {})])
    responses.add_callback(responses.GET, URL, callback=recorder)
    with _client(sec_settings, clock) as client:
        for _ in range(6):
            client.get(URL)
    gaps = [b - a for a, b in zip(recorder.sent_at, recorder.sent_at[1:], strict=False)]
    assert min(gaps) >= 1 / sec_settings.max_requests_per_second


def test_errors_cross_process_boundaries_intact() -> None:
    error = ThrottledError(
        "still throttled", url=URL, status=429, accession_no="0001020242-03-000161", retry_after_seconds=600.0
    )
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is ThrottledError
    assert (clone.url, clone.status, clone.accession_no, clone.retry_after_seconds) == (
        URL,
        429,
        error.accession_no,
        600.0,
    )
    assert str(clone) == str(error)
    assert isinstance(clone, EdgarError)
