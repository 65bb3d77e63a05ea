"""Unfolding the 79-column folded statement back into its wide lines."""

from __future__ import annotations

from parsers.unfold import LogicalLine, unfold


def test_segments_are_padded_to_79_columns_before_joining(real_text: str) -> None:
    # Class A of accession 0001020242-03-000013: joined without padding, face value and prior balance would
    # glue into "472500000431396174.4".
    lines = {line.line: line for line in unfold(real_text)}
    class_a = lines[143]
    assert class_a.end_line == 145
    assert class_a.text[30:45].strip() == "472500000"
    assert class_a.text[75:90].strip() == "431396174.4"
    assert "472500000431396174.4" not in class_a.text


def test_first_continuation_column_is_79() -> None:
    text = "A" + " " * 77 + "x\n>yz\n"
    (line,) = unfold(text)
    assert line.text == "A" + " " * 77 + "xyz"
    assert (line.line, line.end_line) == (1, 2)


def test_stripped_trailing_spaces_are_restored() -> None:
    (line,) = unfold("short\n>next\n")
    assert line.text == "short".ljust(79) + "next"


def test_lone_continuation_marker_is_a_blank_segment() -> None:
    (line,) = unfold("first\n>\n>third\n")
    assert line.text == "first".ljust(79) + " " * 79 + "third"
    assert line.end_line == 3


def test_crlf_and_cr_line_ends_unfold_like_lf() -> None:
    lf = unfold("a\n>b\nc\n")
    assert unfold("a\r\n>b\r\nc\r\n") == lf
    assert unfold("a\r>b\rc\r") == lf


def test_form_feeds_are_dropped_without_moving_line_numbers() -> None:
    assert unfold("a\n\f>b\n\fc\n") == unfold("a\n>b\nc\n")


def test_tabs_expand_on_the_physical_line() -> None:
    (line,) = unfold("\tx\n")
    assert line.text == " " * 8 + "x"
    (folded,) = unfold("a\n>\tb\n")
    assert folded.text == "a".ljust(79) + " " * 7 + "b"


def test_a_document_that_was_never_folded_passes_through() -> None:
    wide = "Class".ljust(120) + "Balance"
    assert unfold(wide + "\nnext\n") == (LogicalLine(wide, 1, 1), LogicalLine("next", 2, 2))


def test_continuation_without_a_line_before_it_stands_alone() -> None:
    assert unfold(">orphan\n") == (LogicalLine("orphan", 1, 1),)


def test_every_physical_line_belongs_to_exactly_one_logical_line(real_text: str) -> None:
    lines = unfold(real_text)
    covered = [n for line in lines for n in range(line.line, line.end_line + 1)]
    assert covered == list(range(1, len(real_text.splitlines()) + 1))
