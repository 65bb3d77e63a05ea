"""The HTML reader: rows of cell texts in reading order, empty cells kept, the trustee's quirks handled."""

from __future__ import annotations

from parsers.html import Cell, PreBlock, TableBlock, TextBlock, read_html

COVER_AND_TABLE = """<html><body>
<p>FORM 8-K</p>
<p>Date of Report:&nbsp;&nbsp;December 26, 2002</p>
<table>
<tr><td>&nbsp;</td><td colspan="2">Interest Fees</td><td>(212,730.77)</td><td> </td>
<td>$</td><td>8,252,333.44</td></tr>
<tr><td>A</td><td>$ 472500000</td><td>&nbsp;&nbsp;&nbsp;CPC2650</td><td>Paid Off  -  36</td></tr>
</table>
<pre>
Impac CMB Trust   2002-2
</pre>
</body></html>
"""


def _blocks() -> tuple[object, ...]:
    return read_html(COVER_AND_TABLE)


def test_cover_paragraphs_and_statement_tables_come_in_reading_order() -> None:
    kinds = [type(block).__name__ for block in _blocks()]
    assert kinds == ["TextBlock", "TextBlock", "TableBlock", "PreBlock"]


def test_nbsp_becomes_a_space_and_inner_spacing_is_kept() -> None:
    cover = _blocks()[1]
    assert isinstance(cover, TextBlock)
    assert cover.text == "Date of Report:  December 26, 2002"


def test_empty_cells_keep_their_position_and_colspan_is_kept() -> None:
    table = _blocks()[2]
    assert isinstance(table, TableBlock)
    first = table.rows[0]
    assert first.cells[0] == Cell("")
    assert first.cells[1] == Cell("Interest Fees", colspan=2)
    assert first.texts == ("", "Interest Fees", "", "(212,730.77)", "", "8,252,333.44")


def test_dollar_cells_are_dropped_and_dollar_prefixes_removed_but_commas_and_parentheses_stay() -> None:
    table = _blocks()[2]
    assert isinstance(table, TableBlock)
    assert "$" not in table.rows[0].texts
    assert table.rows[1].texts[1] == "472500000"
    assert table.rows[0].texts[3] == "(212,730.77)"


def test_leading_nbsp_is_an_indent_and_printed_double_spaces_survive() -> None:
    table = _blocks()[2]
    assert isinstance(table, TableBlock)
    assert table.rows[1].cells[2] == Cell("CPC2650", indent=3)
    assert table.rows[1].cells[3].text == "Paid Off  -  36"


def test_pre_content_is_kept_verbatim_for_the_fixed_width_path() -> None:
    pre = _blocks()[3]
    assert isinstance(pre, PreBlock)
    assert "Impac CMB Trust   2002-2" in pre.text


def test_rows_and_blocks_carry_the_document_line_where_their_tag_opens() -> None:
    blocks = _blocks()
    table = blocks[2]
    assert isinstance(table, TableBlock)
    lines = COVER_AND_TABLE.split("\n")
    assert lines[table.rows[1].line - 1].startswith("<tr><td>A</td>")
    assert lines[blocks[1].line - 1].startswith("<p>Date of Report")


def test_nested_tables_are_read_where_they_sit_without_duplicating_rows() -> None:
    markup = "<table><tr><td>outer</td><td><table><tr><td>inner</td></tr></table></td></tr></table>"
    [table] = read_html(markup)
    assert isinstance(table, TableBlock)
    assert [row.texts[0] for row in table.rows] == ["outer"]


def test_markup_without_tables_or_body_is_still_read() -> None:
    assert read_html("just text") == (TextBlock("just text", 1),)
    assert read_html("") == ()


def test_deeply_nested_markup_does_not_exhaust_the_stack() -> None:
    assert read_html("<div>" * 5000 + "x" + "</div>" * 5000) == (TextBlock("x", 1),)


def test_cell_alignment_is_read_from_align_or_style() -> None:
    markup = (
        '<table><tr><td align="RIGHT">1</td><td style="color: red; text-align : right">2</td>'
        "<td>3</td><td align=right></td></tr></table>"
    )
    [table] = read_html(markup)
    assert isinstance(table, TableBlock)
    assert [cell.align for cell in table.rows[0].cells] == ["right", "right", None, None]
