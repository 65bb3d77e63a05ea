"""Name the statement template of a document, from its opening and structure: never a guess.

One function, :func:`detect_template`, used by :func:`parsers.api.parse_document` and by the flows. It
answers with a :class:`Template`; ``UNKNOWN`` means "no statement layout we know", and a recognised family
we cannot parse yet (the 2004+ trustee layout, Wells Fargo CTSLink) is *named*, so it is stored as
``unsupported`` and re-parsed later.

What each template looks like (docs/templates.md lists the excerpts each rule was read from):

* trustee (Deutsche Bank / Bankers Trust of California, agent 0001020242, 2002-2004): a title block
  ``<deal> / <bond type> / <Month D, YYYY> Distribution [- SUPPLEMENTAL|- Revised] / Contents /
  TABLE OF CONTENTS``. Filed as folded fixed-width text in 2002 (``im020212.txt``) and as HTML tables from
  2003 (``im030110.htm``); the rendition decides between ``TRUSTEE_TEXT`` and ``TRUSTEE_HTML``. HTML whose
  statement sits in ``<pre>`` is the text template wrapped in markup and goes to the fixed-width path.
* trustee 2004+ (``im040810.htm`` onwards): ``<Month D, YYYY> Distribution / External Parties /
  Table of Contents``.
* CTSLink (Norwest / Wells Fargo Bank Minnesota for series 2000-1, Wells Fargo Columbia MD for 2004-2): the
  statement says ``CTSLink`` or ``Certificateholder Distribution Summary``; the 8-K cover page before it is
  filed "c/o" the Wells Fargo (or Norwest) office in Columbia, MD, an address only this administrator uses
  in the IMH family (imh-filings.md §4, agent 0001056404).

A cover page alone (8-K text up to the signature, as in several stored excerpts) does not name a trustee
template: the same Deutsche Bank cover precedes text, HTML and 2004+ statements, so it stays ``UNKNOWN``.

Two renditions are accepted: the document as EDGAR serves it (raw markup or folded text) and the
search-engine rendition of the stored excerpts (whitespace collapsed, HTML cells as ``|``-separated text).
"""

from __future__ import annotations

import enum
import re

__all__ = ["Template", "detect_template", "is_html_markup", "normalized_text"]


class Template(enum.StrEnum):
    """Statement templates of the IMH family; the value is what db/ and the run summary store."""

    TRUSTEE_TEXT = "trustee-text"
    TRUSTEE_HTML = "trustee-html"
    TRUSTEE_2004 = "trustee-2004"
    CTSLINK = "ctslink"
    UNKNOWN = "unknown"

    @property
    def supported(self) -> bool:
        """Whether :func:`parsers.api.parse_document` has a parser for this template."""
        return self in (Template.TRUSTEE_TEXT, Template.TRUSTEE_HTML)


# HTML proper, not EDGAR's SGML text-table tags: CTSLink text exhibits carry <TABLE>, <CAPTION>, <S>, <C>,
# <PAGE> (incjournal copy of the 2000-1 EX-99.1, excerpt 019) and must stay on the text side.
_HTML_TAG = re.compile(r"<(?:html|body|tr|td|th|div|font|br|p|pre)\b[^>]*>", re.IGNORECASE)
_PRE_BLOCK = re.compile(r"<pre\b[^>]*>(.*?)</pre\s*>", re.IGNORECASE | re.DOTALL)
# Excerpt rendition of HTML: every cell on its own line, prefixed by "|".
_MIN_PIPE_CELL_LINES = 3

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_TRUSTEE_OPENING = re.compile(
    _MONTH + r"\s+\d{1,2},\s*\d{4}\s+Distribution(?:\s*-\s*[A-Za-z]+)?\s+Contents\s+TABLE OF CONTENTS"
)
_TRUSTEE_2004_OPENING = re.compile(
    _MONTH + r"\s+\d{1,2},\s*\d{4}\s+Distribution\s+External Parties\s+Table of Contents"
)
# Spelled as printed (019, 021, 023); case-sensitive literals are scanned at C speed.
_CTSLINK_STATEMENT = re.compile(r"CTSLink|CTSLINK|Certificateholder Distribution Summary")
_CTSLINK_COVER = re.compile(
    r"c/o\s+(?:Norwest Bank Minnesota|Wells Fargo Bank)[^()]{0,120}?Columbia,\s*MD", re.IGNORECASE
)
# Both trustee openings end in "CONTENTS" / "Contents"; in text, the window before it holds the title block
# (four title lines, or four rows of "|" cells in the excerpt rendition).
_CONTENTS_ANCHOR = re.compile(r"C(?:ONTENTS|ontents)")
_COLUMBIA_ANCHOR = re.compile(r"Columbia|COLUMBIA")
_OPENING_WINDOW = 6000
_TAG = re.compile(r"<[^>]*>")


def is_html_markup(text: str) -> bool:
    """True when ``text`` carries HTML markup (not only EDGAR's SGML ``<TABLE>``/``<S>``/``<C>`` tags)."""
    return "<" in text and _HTML_TAG.search(text) is not None


def normalized_text(text: str) -> str:
    """The words of ``text`` on one line: tags, ``|`` cells and fold markers removed, whitespace collapsed.

    Entities are decoded only for the space family (``&nbsp;``), which is all the markers need; this keeps
    detection a few regex passes instead of a full HTML parse.
    """
    if is_html_markup(text):
        text = _TAG.sub(" ", text)
        text = re.sub(r"&(?:nbsp|#160|#xa0);", " ", text, flags=re.IGNORECASE).replace("&amp;", "&")
    # str.split() and " ".join() collapse whitespace (``\xa0`` included) in C, several times faster than a
    # regex substitution. A ">" continuation marker of the 79-column folding (statement-format.md) starts a
    # word: at a line start in the served text, after a space in the whitespace-collapsed rendition
    # ("Collection Account >Report"); only that one ">" goes (">>" keeps its second).
    words = " " + " ".join(text.replace("|", " ").split())
    return " ".join(words.replace(" >", " ").split())


def _windows(text: str, anchor: re.Pattern[str], before: int, after: int) -> list[str]:
    """Normalised text around every match of ``anchor``, overlapping windows merged (linear in the text)."""
    spans: list[list[int]] = []
    for match in anchor.finditer(text):
        start, end = max(0, match.start() - before), match.end() + after
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return [normalized_text(text[start:end]) for start, end in spans]


def _html_rendition(text: str, filename: str | None, markup: bool) -> bool:
    if markup:
        return True
    pipe_lines = text.count("\n|") + text.startswith("|")
    if pipe_lines >= _MIN_PIPE_CELL_LINES:
        return True
    # The name only breaks a tie: an .htm document whose excerpt shows a single cell line is still HTML.
    return pipe_lines > 0 and filename is not None and filename.lower().endswith((".htm", ".html"))


def _trustee_statement_in_pre(text: str) -> bool:
    return any(_TRUSTEE_OPENING.search(normalized_text(block)) for block in _PRE_BLOCK.findall(text))


def detect_template(text: str, filename: str | None = None) -> Template:
    """Name the template of one EDGAR document (``text`` already decoded; ``filename`` as in ``<FILENAME>``).

    Returns ``Template.UNKNOWN`` for anything that does not show a known statement's opening; never raises.
    In text, only the windows before each "Contents" / "Columbia" are normalised, so a 60 kB statement costs
    a few C-level scans, not a rewrite of the whole document; HTML markup is stripped whole.
    """
    markup = is_html_markup(text)
    # Markup is verbose (styles on every cell) and its parse costs far more than this: read it all.
    openings = [normalized_text(text)] if markup else _windows(text, _CONTENTS_ANCHOR, _OPENING_WINDOW, 40)
    if any(_TRUSTEE_2004_OPENING.search(window) for window in openings):
        return Template.TRUSTEE_2004
    if _CTSLINK_STATEMENT.search(text) or any(
        _CTSLINK_COVER.search(window) for window in _windows(text, _COLUMBIA_ANCHOR, 400, 20)
    ):
        return Template.CTSLINK
    if any(_TRUSTEE_OPENING.search(window) for window in openings):
        if not _html_rendition(text, filename, markup):
            return Template.TRUSTEE_TEXT
        if markup and _trustee_statement_in_pre(text):
            return Template.TRUSTEE_TEXT
        return Template.TRUSTEE_HTML
    return Template.UNKNOWN
