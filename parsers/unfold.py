"""Restore the wide lines of a statement that EDGAR filers folded at 79 columns.

The trustee printed its report 250+ columns wide; the filer folded every line at 79 characters, starting each
continuation segment with ``>`` in column 0, and stripped the trailing spaces of every segment (accession
0001020242-03-000013). Joining the segments without padding glues neighbouring columns together
(``472500000431396174.4``), so each segment is padded back to 79 columns before the next one is appended.

Also tolerated: CRLF or CR line ends, tabs (expanded at 8-column stops on the physical line, where an editor
would have made them), form feeds and vertical tabs (page breaks, dropped), lone ``>`` lines (a continuation
whose content was blank), and documents that were never folded (no ``>`` lines, lines wider than 79).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["FOLD_WIDTH", "LogicalLine", "normalise_newlines", "unfold"]

#: The width at which the filer folded the report.
FOLD_WIDTH = 79

_DROPPED = str.maketrans("", "", "\f\v\x00")


class LogicalLine(NamedTuple):
    """One restored wide line: its text (trailing spaces stripped) and the physical lines it came from."""

    text: str
    line: int  # 1-based number of the first physical line in the original document
    end_line: int  # 1-based number of the last physical line (== line when not folded)


def normalise_newlines(text: str) -> list[str]:
    """Split on LF, CRLF or lone CR only (``str.splitlines`` would also break at form feeds)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def unfold(text: str, width: int = FOLD_WIDTH) -> tuple[LogicalLine, ...]:
    """The logical (wide) lines of ``text``, each mapped back to its original line numbers."""
    result: list[LogicalLine] = []
    segments: list[str] = []
    first = last = 0
    for number, physical in enumerate(normalise_newlines(text.translate(_DROPPED)), start=1):
        if "\t" in physical:
            physical = physical.expandtabs(8)
        continued = physical[:1] == ">"
        if continued and segments:
            segments.append(physical[1:].rstrip())
            last = number
            continue
        if segments:
            result.append(LogicalLine(_join(segments, width), first, last))
        # A ">" line with nothing before it has nothing to continue: keep its content as a line of its own.
        segments = [physical[1:].rstrip() if continued else physical.rstrip()]
        first = last = number
    if segments:
        result.append(LogicalLine(_join(segments, width), first, last))
    return tuple(result)


def _join(segments: list[str], width: int) -> str:
    if len(segments) == 1:
        return segments[0]
    # Pad every segment but the last back to the fold width: the filer stripped those trailing spaces.
    head = "".join(segment.ljust(width) for segment in segments[:-1])
    return (head + segments[-1]).rstrip()
