"""Damaged or arbitrary input gives a result or one of our own errors, never IndexError/ValueError."""

from __future__ import annotations

import contextlib

from hypothesis import example, given, settings
from hypothesis import strategies as st
from sgml_mirror import FILING_03_000161, company_idx, render_submission

from edgar.discovery import parse_full_index, parse_submissions_page
from edgar.errors import BadContentError
from edgar.settings import load_settings
from edgar.sgml import decode_bytes, parse_submission

SUBMISSION = render_submission(FILING_03_000161).encode()
SETTINGS = load_settings({})


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(SUBMISSION)), st.integers(min_value=0, max_value=len(SUBMISSION))
)
def test_any_cut_of_a_real_header_submission_parses_or_is_bad_content(start: int, stop: int) -> None:
    try:
        submission = parse_submission(SUBMISSION[min(start, stop) : max(start, stop)])
    except BadContentError:
        return
    assert submission.documents


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_decode_and_parse_or_are_bad_content(raw: bytes) -> None:
    text, encoding = decode_bytes(raw)
    assert text.encode(encoding) == raw
    with contextlib.suppress(BadContentError):
        parse_submission(b"<SEC-HEADER>\nACCESSION NUMBER:\t" + raw + b"\n</SEC-HEADER>\n<DOCUMENT>\n" + raw)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="latin-1"), max_size=150), max_size=8))
@example(["AAMES CAPITAL CORP" + " " * 44 + "8-K         ²³          1998-12-31  edgar/data/1/x.txt"])
def test_damaged_index_lines_are_read_or_are_bad_content(lines: list[str]) -> None:
    with contextlib.suppress(BadContentError):
        parse_full_index(company_idx([]) + "\n".join(lines))


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["accessionNumber", "filingDate", "reportDate", "form", "primaryDocument"]),
        st.lists(st.one_of(st.text(max_size=25), st.integers(), st.none()), max_size=3),
    )
)
def test_damaged_submissions_pages_are_read_or_are_bad_content(page: dict[str, list[object]]) -> None:
    with contextlib.suppress(BadContentError):
        parse_submissions_page(page, cik=1017447, settings=SETTINGS, company_name="IMH ASSETS CORP")
