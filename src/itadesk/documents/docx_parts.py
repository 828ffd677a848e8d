"""DOCX building blocks shared by every document (measures plan, results report, province
summary): Thai fonts, paragraphs, tables, the memo, signatures, page set-up and page numbers.

Word treats Thai as a complex script: it sizes and chooses the font of Thai text from
``w:rFonts/@w:cs``, ``w:szCs`` and ``w:bCs``, not from ``w:ascii``/``w:sz``, and built-in
styles point at theme fonts that override explicit names. So the complex-script font,
size and language are written on the document defaults, on the styles used, and on
every run. LibreOffice takes column widths from ``w:gridCol`` and Word from ``w:tcW``,
so tables set both.

Every run gets a copy of a prepared ``w:rPr`` element (one per size/weight), which keeps a
whole document at a few tens of milliseconds.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import deepcopy
from functools import cache

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tc
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from itadesk.documents.model import Memo, Signature
from itadesk.documents.thai_text import whole_words
from itadesk.text import clean_text
from itadesk.thai import digits

FONT = "TH SarabunPSK"
BODY_PT = 16
TABLE_PT = 14
MEMO_TITLE_PT = 29
MEMO_LABEL_PT = 20
COVER_TITLE_PT = 24
COVER_AGENCY_PT = 20
REPORT_HEADING_PT = 18

PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 21.0, 29.7
MARGIN_LEFT_CM, MARGIN_RIGHT_CM = 2.5, 2.0
MARGIN_TOP_CM, MARGIN_BOTTOM_CM = 2.0, 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM              # 16.5
LANDSCAPE_TEXT_WIDTH_CM = PAGE_HEIGHT_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM   # 25.2

MEMO_INDENT_CM = 2.5       # first line of a memo paragraph (ระเบียบงานสารบรรณ)
REPORT_INDENT_CM = 1.25    # first line of a report paragraph
SIGNATURE_INDENT_CM = 6.0  # signature blocks sit in the right half of the page
STEP_HANGING_CM = 0.55     # "๑. " hangs out of the wrapped lines of a step

HEADER_FILL = "D9D9D9"
_JC = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.LEFT: "left",
       WD_ALIGN_PARAGRAPH.RIGHT: "right"}
SIGNATURE_DOTS = "." * 30
CELL_MARGINS_CM = 0.38     # Word's default left and right cell margins (0.19 cm each)


# --------------------------------------------------------------------------- fonts


# Order of the rPr children this module writes, as the WordprocessingML schema wants them.
_RPR_ORDER = ["w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
              "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
              "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
              "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
              "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
              "w:em", "w:lang"]
_RPR_RANK = {qn(tag): rank for rank, tag in enumerate(_RPR_ORDER)}


def _child(parent, tag: str):
    """The child ``tag`` of ``parent``, created in schema order when missing."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    element = OxmlElement(tag)
    rank = _RPR_RANK.get(qn(tag), len(_RPR_ORDER))
    for index, existing in enumerate(parent):
        if _RPR_RANK.get(existing.tag, len(_RPR_ORDER)) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _set_thai_font(el, size_pt: float | None = None, bold: bool = False) -> None:
    """Thai complex-script font, size and language on the rPr of a style, run or default."""
    if el.tag == qn("w:rPr"):
        rPr = el
    elif hasattr(el, "get_or_add_rPr"):  # runs and styles: python-docx knows where rPr goes
        rPr = el.get_or_add_rPr()
    else:                                # w:rPrDefault
        rPr = _child(el, "w:rPr")
    rFonts = _child(rPr, "w:rFonts")
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rFonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rFonts.set(qn(attr), FONT)
    if bold:
        _child(rPr, "w:b")
        _child(rPr, "w:bCs")
    if size_pt:
        half_points = str(int(round(size_pt * 2)))
        _child(rPr, "w:sz").set(qn("w:val"), half_points)
        _child(rPr, "w:szCs").set(qn("w:val"), half_points)
    lang = _child(rPr, "w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:eastAsia"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")


@cache
def _run_template(size_pt: float, bold: bool):
    """An empty run with the Thai rPr of this size and weight (copied, never used itself)."""
    r = OxmlElement("w:r")
    _set_thai_font(r, size_pt, bold)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    return r


def add_run(p, text: str, size_pt: float = BODY_PT, bold: bool = False):
    """Append a run to the ``w:p`` element ``p`` (tabs become ``w:tab``); control characters of
    stored text (Word's \\x0b line break, \\x01, \\uffff …) are cleaned, never an error; ไม้ยมก and
    "พ.ศ. ๒๕xx" are bound to their word with no-break spaces, and Thai words kept whole
    (``thai_text.whole_words``), as in the PDF."""
    text = whole_words(clean_text(text))
    r = deepcopy(_run_template(size_pt, bold))
    if "\t" in text or "\n" in text:
        r.text = text
    else:
        r[-1].text = text
    p.append(r)
    return r


def prepare_styles(document) -> None:
    """Thai font on the defaults and the styles used; Word's spacing defaults removed."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    _set_thai_font(defaults.find(qn("w:rPrDefault")), BODY_PT)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    _set_thai_font(styles["Normal"].element, BODY_PT)
    _set_thai_font(styles["Table Grid"].element, TABLE_PT)
    for name in ("Heading 1", "Heading 2"):
        style = styles[name]
        _set_thai_font(style.element, BODY_PT, bold=True)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(10 if name == "Heading 1" else 8)
        style.paragraph_format.space_after = Pt(2)
    for name in ("Heading 1 Char", "Heading 2 Char"):
        if name in [s.name for s in styles]:
            _set_thai_font(styles[name].element, BODY_PT, bold=True)
            styles[name].font.color.rgb = RGBColor(0, 0, 0)


# --------------------------------------------------------------------------- paragraphs


def add_paragraph(container, text: str = "", *, size_pt: float = BODY_PT, bold: bool = False,
                   align=None, first_indent_cm: float | None = None,
                   left_indent_cm: float | None = None, space_before_pt: float | None = None,
                   space_after_pt: float | None = None, keep_with_next: bool = False,
                   style: str | None = None):
    paragraph = Paragraph(_block(container).add_p(), container)
    if style is not None:
        paragraph._p.style = style
    if text:
        add_run(paragraph._p, text, size_pt, bold)
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if first_indent_cm is not None:
        fmt.first_line_indent = Cm(first_indent_cm)
    if left_indent_cm is not None:
        fmt.left_indent = Cm(left_indent_cm)
    if space_before_pt is not None:
        fmt.space_before = Pt(space_before_pt)
    if space_after_pt is not None:
        fmt.space_after = Pt(space_after_pt)
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


def _block(container):
    """The XML element paragraphs and tables are added to: the body or a table cell."""
    return container._tc if isinstance(container, _Cell) else container._body._element


def add_body_paragraph(container, text: str, indent_cm: float = REPORT_INDENT_CM):
    """A justified (Thai distributed) paragraph with a first-line indent."""
    return add_paragraph(container, text, align=WD_ALIGN_PARAGRAPH.THAI_JUSTIFY,
                          first_indent_cm=indent_cm)


def add_heading(document, text: str, level: int = 1, *, page_break: bool = False):
    paragraph = add_paragraph(document, text, bold=True, style=f"Heading{level}",
                               keep_with_next=True)
    if page_break:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def _add_labelled_line(container, parts: list[tuple[str, bool]], *, tab_cm: float | None = None,
                       hanging_cm: float | None = None):
    """A memo line such as 'ส่วนราชการ …': (text, is_label) parts, labels bold 20 pt."""
    paragraph = Paragraph(_block(container).add_p(), container)
    for text, is_label in parts:
        add_run(paragraph._p, text, MEMO_LABEL_PT if is_label else BODY_PT, bold=is_label)
    if tab_cm is not None:
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(tab_cm))
    if hanging_cm is not None:
        paragraph.paragraph_format.left_indent = Cm(hanging_cm)
        paragraph.paragraph_format.first_line_indent = Cm(-hanging_cm)
    return paragraph


def _add_dotted_line(container, width_cm: float):
    """A full-width dotted writing line (a tab with a dot leader to the right edge)."""
    paragraph = Paragraph(_block(container).add_p(), container)
    paragraph.paragraph_format.tab_stops.add_tab_stop(
        Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    add_run(paragraph._p, "\t")
    return paragraph


def add_picture(document, png: bytes, width_cm: float, caption: str) -> None:
    paragraph = add_paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, space_before_pt=6,
                               keep_with_next=True)
    run = paragraph.add_run()
    run._r.insert(0, deepcopy(_run_template(BODY_PT, False).rPr))
    run.add_picture(io.BytesIO(png), width=Cm(width_cm))
    add_paragraph(document, caption, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                   space_after_pt=6)


# --------------------------------------------------------------------------- signatures


def _add_signature(container, signature: Signature, *, indent_cm: float | None = None,
                   space_before_pt: float = 24) -> None:
    """Signing line (with its caption), '(name)' and position, centred."""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    line = f"ลงชื่อ{SIGNATURE_DOTS}{signature.caption}"
    add_paragraph(container, line, align=centre, left_indent_cm=indent_cm,
                   space_before_pt=space_before_pt, keep_with_next=True)
    add_paragraph(container, f"({signature.name})", align=centre, left_indent_cm=indent_cm,
                   keep_with_next=True)
    if signature.position:
        add_paragraph(container, signature.position, align=centre, left_indent_cm=indent_cm)


def add_signature_grid(container, signatures: list[Signature], width_cm: float,
                        columns: int) -> None:
    """Signatures side by side in a borderless table (in the body or in a table cell); a lone
    last one is centred."""
    if not signatures:
        return
    rows = [signatures[i:i + columns] for i in range(0, len(signatures), columns)]
    if isinstance(container, _Cell):
        table = container.add_table(len(rows), columns)
    else:
        table = container._body.add_table(len(rows), columns, Cm(width_cm))
    _set_table_widths(table, [width_cm / columns] * columns)
    for row, group in zip(table.rows, rows, strict=False):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cells = row.cells
        if len(group) == 1 and columns > 1:
            cells = [cells[0].merge(cells[-1])]
        for cell, signature in zip(cells, group, strict=False):
            _add_signature(cell, signature, space_before_pt=24)
            _remove_first_empty_paragraph(cell)


def add_closing_signatures(document, signatures: list[Signature], width_cm: float,
                           columns: int) -> None:
    """The signatures that close a document, never alone at the top of a page.

    After a table they go into a last, borderless row of that table spanning every column,
    and the row above keeps with it: Word and LibreOffice both keep a row whose paragraphs
    keep with next on the page of the following row, but LibreOffice ignores keep-with-next
    from a table's last row to what follows the table (it would leave the signatures alone on
    the last page). After text they follow a paragraph that keeps with them."""
    if not signatures:
        return
    body = document.element.body
    last = body[-2] if body[-1].tag == qn("w:sectPr") else body[-1]
    if last.tag != qn("w:tbl"):
        if last.tag == qn("w:p"):
            last.get_or_add_pPr().get_or_add_keepNext()
        add_paragraph(document, space_before_pt=12, keep_with_next=True)
        add_signature_grid(document, signatures, width_cm, columns)
        return
    table = Table(last, document._body)
    _keep_row_with_next(last.tr_lst[-1])
    tr = last.add_tr()
    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    tc = CT_Tc.new()
    tr.append(tc)
    tc.width = Cm(width_cm)
    tcPr = tc.get_or_add_tcPr()
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), str(len(last.tblGrid.gridCol_lst)))
    tcPr.append(span)
    borders = OxmlElement("w:tcBorders")
    for side in ("left", "bottom", "right"):
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "nil")
        borders.append(border)
    tcPr.append(borders)
    cell = _Cell(tc, table)
    cell.paragraphs[0].paragraph_format.space_before = Pt(12)
    add_signature_grid(cell, signatures, width_cm - CELL_MARGINS_CM, columns)


def _remove_first_empty_paragraph(cell) -> None:
    first = cell._tc.p_lst[0]
    if len(cell._tc.p_lst) > 1 and not first.r_lst:
        cell._tc.remove(first)


# --------------------------------------------------------------------------- tables


def scaled(columns: list[tuple[str, float]], width_cm: float) -> list[float]:
    total = sum(w for _, w in columns)
    return [w * width_cm / total for _, w in columns]


def _set_table_widths(table, widths_cm: list[float]) -> None:
    """Fixed layout; widths on w:gridCol (LibreOffice) and on every cell's w:tcW (Word)."""
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblPr = table._tbl.tblPr
    layout = tblPr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblPr.append(layout)
    layout.set(qn("w:type"), "fixed")
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_cm, strict=False):
        grid_col.w = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _mark_header_row(row) -> None:
    """Repeat on every page, never split, grey background."""
    trPr = row._tr.get_or_add_trPr()
    trPr.append(OxmlElement("w:cantSplit"))
    trPr.append(OxmlElement("w:tblHeader"))
    for cell in row.cells:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), HEADER_FILL)
        cell._tc.get_or_add_tcPr().append(shd)


def new_table(document, headers: list[str], widths_cm: list[float]):
    """A 'Table Grid' table holding only its header row (repeated on every page)."""
    table = document._body.add_table(1, len(headers), Cm(sum(widths_cm)))
    table._tbl.tblPr.style = "TableGrid"
    _set_table_widths(table, widths_cm)
    header = table.rows[0]
    for tc, text in zip(header._tr.tc_lst, headers, strict=False):
        write_cell(tc, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _mark_header_row(header)
    return table


def add_rows(table, count: int, keep_whole: bool | Sequence[bool] = False) -> list[list]:
    """Append ``count`` empty rows (copies of a blank row with the widths already set);
    return each row's ``w:tc`` elements. ``keep_whole`` (for every row, or one flag per row):
    the row is never split across two pages (``w:cantSplit``)."""
    flags = [keep_whole] * count if isinstance(keep_whole, bool) else list(keep_whole)
    blank = deepcopy(table._tbl.tr_lst[0])
    blank.remove(blank.trPr)
    for tc in blank.tc_lst:
        tc.tcPr.remove(tc.tcPr.find(qn("w:shd")))
        for p in tc.p_lst:
            tc.remove(p)
        tc.add_p()
    rows = []
    for flag in flags:
        tr = deepcopy(blank)
        if flag:
            tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        table._tbl.append(tr)
        rows.append(tr.tc_lst)
    return rows


def _keep_row_with_next(row) -> None:
    """The row stays on the page of the next row: kept whole, every paragraph keeping with next
    (LibreOffice takes a row's keep from its paragraphs)."""
    trPr = row.get_or_add_trPr()
    if trPr.find(qn("w:cantSplit")) is None:
        trPr.append(OxmlElement("w:cantSplit"))
    for tc in row.tc_lst:
        for p in tc.p_lst:
            p.get_or_add_pPr().get_or_add_keepNext()


@cache
def ppr_template(align: str | None = None, hanging_cm: float | None = None):
    """A cell paragraph's pPr: alignment and/or a hanging indent."""
    pPr = OxmlElement("w:pPr")
    if hanging_cm:
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(Cm(hanging_cm).twips))
        ind.set(qn("w:hanging"), str(Cm(hanging_cm).twips))
        pPr.append(ind)
    if align:
        jc = OxmlElement("w:jc")
        jc.set(qn("w:val"), align)
        pPr.append(jc)
    return pPr


def write_cell(tc, text: str, *, bold: bool = False, align=None) -> None:
    """Text into the first paragraph of the ``w:tc`` element ``tc``."""
    p = tc.p_lst[0]
    if align is not None:
        p.insert(0, deepcopy(ppr_template(_JC[align])))
    if text:
        add_run(p, text, TABLE_PT, bold)


def write_numbered_steps(tc, steps: list[str], thai_digits: bool) -> None:
    """'๑. …', '๒. …', one paragraph each, wrapped lines aligned after the number."""
    for index, step in enumerate(steps, start=1):
        p = tc.p_lst[0] if index == 1 else tc.add_p()
        p.insert(0, deepcopy(ppr_template(None, STEP_HANGING_CM)))
        add_run(p, f"{digits(index, thai_digits)}. {step}", TABLE_PT)


def _merge_down(cells: list) -> None:
    """Vertically merge a column's run of ``w:tc`` cells; only the first keeps its text."""
    if len(cells) < 2:
        return
    for index, tc in enumerate(cells):
        v_merge = OxmlElement("w:vMerge")
        if index == 0:
            v_merge.set(qn("w:val"), "restart")
        else:
            for p in tc.p_lst[1:]:
                tc.remove(p)
            for r in tc.p_lst[0].r_lst:
                tc.p_lst[0].remove(r)
        tc.tcPr.append(v_merge)


def merge_repeats(column_cells: list, values: list[str]) -> None:
    """Merge runs of equal consecutive values, blanking all but the first of each run."""
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            _merge_down(column_cells[start:index])
            start = index


# --------------------------------------------------------------------------- parts


EMBLEM_HEIGHT_CM = 1.5   # ตราครุฑ of a บันทึกข้อความ (ระเบียบงานสารบรรณ)


def _add_memo_heading(document, memo: Memo) -> None:
    """"บันทึกข้อความ" centred; the emblem, when the agency has one, at the left of the same line."""
    if memo.emblem is None:
        add_paragraph(document, "บันทึกข้อความ", size_pt=MEMO_TITLE_PT, bold=True,
                      align=WD_ALIGN_PARAGRAPH.CENTER, space_after_pt=6)
        return
    paragraph = add_paragraph(document, space_after_pt=6)
    paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM / 2), WD_TAB_ALIGNMENT.CENTER)
    paragraph.add_run().add_picture(io.BytesIO(memo.emblem.data), height=Cm(EMBLEM_HEIGHT_CM))
    add_run(paragraph._p, "\t")
    add_run(paragraph._p, "บันทึกข้อความ", MEMO_TITLE_PT, bold=True)


def add_memo(document, memo: Memo) -> None:
    _add_memo_heading(document, memo)
    _add_labelled_line(document, [("ส่วนราชการ", True), (f" {memo.office}", False)],
                       hanging_cm=2.5)
    half = TEXT_WIDTH_CM / 2
    _add_labelled_line(document, [("ที่", True), (f" {memo.reference}\t", False),
                                  ("วันที่", True), (f" {memo.date}", False)], tab_cm=half)
    _add_labelled_line(document, [("เรื่อง", True), (f" {memo.subject}", False)],
                       hanging_cm=1.25)
    add_paragraph(document, f"เรียน {memo.to}", space_before_pt=6, space_after_pt=6)
    for text in memo.paragraphs:
        add_body_paragraph(document, text, MEMO_INDENT_CM)
    add_paragraph(document, memo.closing, first_indent_cm=MEMO_INDENT_CM, space_before_pt=6,
                   keep_with_next=bool(memo.signers))
    if len(memo.signers) == 1:
        _add_signature(document, memo.signers[0], indent_cm=SIGNATURE_INDENT_CM)
    else:   # side by side, two to a row, as in the PDF
        add_signature_grid(document, memo.signers, TEXT_WIDTH_CM, 2)
    for comment in memo.comments:
        add_paragraph(document, comment.heading, space_before_pt=14, keep_with_next=True)
        for _ in range(2):
            _add_dotted_line(document, TEXT_WIDTH_CM).paragraph_format.keep_with_next = True
        _add_signature(document, comment.signer, indent_cm=SIGNATURE_INDENT_CM,
                       space_before_pt=18)


def start_landscape_section(document) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_HEIGHT_CM), Cm(PAGE_WIDTH_CM)


def add_page_numbers(document, thai_digits: bool) -> None:
    """"หน้า ๑" centred in the footer of every section: a PAGE field, numbered in Thai digits
    (``w:pgNumType w:fmt="thaiNumbers"``) unless the document asked for Arabic ones.

    Word shows these numbers in Thai digits; LibreOffice (7.4, as tested) shows 1 2 3: its DOCX
    import leaves ``thaiNumbers`` among the formats it does not convert. No other form serves
    both: the field switch ``PAGE \\* ThaiArabic`` (Thai digits in Word) becomes Thai letters
    (ก ข ค) in LibreOffice, which maps every Thai switch to its Thai-letter numbering."""
    for section in document.sections:
        section.footer.is_linked_to_previous = False
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(paragraph._p, "หน้า ", TABLE_PT)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        field.append(deepcopy(_run_template(TABLE_PT, False)))
        field[-1][-1].text = "1"
        paragraph._p.append(field)
        if thai_digits:
            number_type = section._sectPr.find(qn("w:pgNumType"))
            if number_type is None:
                number_type = OxmlElement("w:pgNumType")
                section._sectPr.append(number_type)
            number_type.set(qn("w:fmt"), "thaiNumbers")


def setup_page(section) -> None:
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    section.left_margin, section.right_margin = Cm(MARGIN_LEFT_CM), Cm(MARGIN_RIGHT_CM)
    section.top_margin, section.bottom_margin = Cm(MARGIN_TOP_CM), Cm(MARGIN_BOTTOM_CM)
    section.header_distance = section.footer_distance = Cm(1.0)
