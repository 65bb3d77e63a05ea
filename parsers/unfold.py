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

__all__ = ["FOLD_WIDTH", "LogicalLine", "unfold"]

#: The width at which the filer folded the report.
FOLD_WIDTH = 79

_DROPPED = str.maketrans("", "", "\f\v\x00")
_FOLD = "\x00"  # marks a fold ("\n>") inside a logical line; never in the text once _DROPPED is applied


class LogicalLine(NamedTuple):
    """One restored wide line: its text (trailing spaces stripped) and the physical lines it came from."""

    text: str
    line: int  # 1-based number of the first physical line in the original document
    end_line: int  # 1-based number of the last physical line (== line when not folded)


def unfold(text: str, width: int = FOLD_WIDTH) -> tuple[LogicalLine, ...]:
    """The logical (wide) lines of ``text``, each mapped back to its original line numbers."""
    # The checks cost a C scan each; the rewrites a pass that builds a new 60 kB string.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text or "\v" in text or "\x00" in text:
        text = text.translate(_DROPPED)
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return ()
    if "\t" in text:
        text = "\n".join(line.expandtabs(8) if "\t" in line else line for line in text.split("\n"))
    # Split only where the next physical line is not a continuation: each piece is one logical line with its
    # continuations, so the per-line work happens in C (a statement has ~1,200 physical lines). "\x00" was
    # dropped above, so it can stand for the "\n>" of a fold: two C passes, where a regex split with a
    # lookahead was a third of unfold.
    pieces = text.replace("\n>", _FOLD).split("\n")
    if pieces[0].startswith(">"):
        # A ">" line with nothing before it has nothing to continue: keep its content as a line of its own.
        pieces[0] = pieces[0][1:]
    result: list[LogicalLine] = []
    append = result.append
    new = tuple.__new__  # LogicalLine(...) goes through a Python-level __new__; ~700 lines a statement
    number = 1
    for piece in pieces:
        if _FOLD not in piece:
            append(new(LogicalLine, (piece.rstrip(), number, number)))
            number += 1
            continue
        segments = piece.split(_FOLD)
        last = number + len(segments) - 1
        if len(segments) == 2:  # the common fold: one continuation segment
            wide = segments[0].rstrip().ljust(width) + segments[1]
        else:
            # Pad every segment but the last back to the fold width: the filer stripped those trailing spaces.
            wide = "".join([segment.rstrip().ljust(width) for segment in segments[:-1]]) + segments[-1]
        append(new(LogicalLine, (wide.rstrip(), number, last)))
        number = last + 1
    return tuple(result)
