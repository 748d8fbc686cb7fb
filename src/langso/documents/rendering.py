"""PDF of a commune document in the layout of Decree 30/2020/NĐ-CP, Appendix I (A4, fpdf2).

Layout rules applied (Appendix I, §II; sizes in points, lengths in millimetres):
- A4 portrait; margins top 20, bottom 20, left 30, right 15 (§I.4: 20–25 / 20–25 / 30–35 / 15–20);
- left header: issuing body, upper case, bold 12.5, a line under it of a third of its width;
  under it "Số: 12/QĐ-UBND" (13, regular; numbers under 10 get a leading 0, art. 15);
- right header: national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (upper case, bold, 12–13),
  motto "Độc lập - Tự do - Hạnh phúc" (bold 13) with a line of its own width under it, then the
  place and date in italics ("Vĩnh Phú, ngày 05 tháng 02 năm 2026": days under 10 and months 1–2
  take a leading 0);
- title (upper case, bold 14) and the summary line ("Về việc …", bold 14) with a short line under;
- body: 13–14 pt, justified, first-line indent 12.7 mm, 6 pt between paragraphs;
- bottom: recipients on the left ("Nơi nhận:" bold italic 12, list 11), signature block on the right
  (authority "TM. ỦY BAN NHÂN DÂN", title "CHỦ TỊCH", bold 13; room for the signature; name bold).
Beyond the decree: a QR code of the verification record with its address, at the foot of the
last page, so any printed copy leads back to the register.

Every string is NFC-normalised before it reaches the font (NFD renders broken in PDF fonts).
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from langso.lib.vietnamese import nfc

from . import fonts
from .signing import PT_PER_MM, SignatureBox

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 30.0, 15.0, 20.0, 20.0
LEFT_COL = 68.0  # width of the issuing-body column; the national title takes the rest
STAMP_W, STAMP_H = 80.0, 46.0  # the visible signature (seal 35 mm + two lines of 10 pt text)
FONT = fonts.FAMILY


def vietnamese_date(day: dt.date, place: str) -> str:
    """"Vĩnh Phú, ngày 05 tháng 02 năm 2026" (Decree 30/2020, Appendix I, §II.5: leading 0 for days
    under 10 and for months 1 and 2)."""
    day_s = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_s = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{nfc(place)}, ngày {day_s} tháng {month_s} năm {day.year}"


@dataclass(frozen=True)
class Sheet:
    """Everything printed on a document; plain strings, already chosen by the caller."""

    issuer_lines: tuple[str, ...]  # ("ỦY BAN NHÂN DÂN", "XÃ VĨNH PHÚ")
    number_line: str  # "Số: 12/QĐ-UBND" (a draft: "Số:     /QĐ-UBND")
    place_date: str
    title: str  # "QUYẾT ĐỊNH"
    subject: str  # "Về việc …"
    body: str  # paragraphs separated by blank lines or single newlines
    recipients: tuple[str, ...] = ()
    authority: str = "TM. ỦY BAN NHÂN DÂN"
    signer_title: str = "CHỦ TỊCH"
    signer_name: str = ""
    verify_url: str = ""
    verify_code: str = ""
    draft: bool = False
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    """The unsigned PDF, where the visible signature goes, and the page count."""

    pdf: bytes
    signature_box: SignatureBox
    pages: int


class _Pdf(FPDF):
    draft = False

    def header(self) -> None:
        if self.draft:
            with self.local_context(text_color=(220, 220, 220)):
                self.set_font(FONT, "B", 80)
                with self.rotation(45, PAGE_W / 2, PAGE_H / 2):
                    self.text(PAGE_W / 2 - 75, PAGE_H / 2 + 10, "DỰ THẢO")

    def footer(self) -> None:
        if self.pages_count > 1:
            self.set_y(-14)
            self.set_font(FONT, "", 10)
            self.cell(0, 5, f"{self.page_no()}/{{nb}}", align=Align.C)


def _fonts(pdf: FPDF) -> None:
    for style in ("", "B", "I", "BI"):
        pdf.add_font(FONT, style, str(fonts.face_path(style)))


def _fit(pdf: FPDF, text: str, style: str, size: float, width: float) -> float:
    """The largest size ≤ ``size`` at which ``text`` fits in ``width`` mm."""
    while size > 8:
        pdf.set_font(FONT, style, size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 0.5
    return size


def _centered_line(pdf: FPDF, x: float, width: float, y: float, text: str, style: str, size: float,
                   underline_ratio: float = 0.0) -> float:
    """Write one centred line in the column [x, x+width]; returns the y below it."""
    size = _fit(pdf, text, style, size, width)
    line_h = size * 0.45
    pdf.set_xy(x, y)
    pdf.cell(width, line_h, text, align=Align.C)
    y += line_h
    if underline_ratio:
        text_w = pdf.get_string_width(text)
        length = text_w * underline_ratio
        mid = x + width / 2
        pdf.set_line_width(0.3)
        pdf.line(mid - length / 2, y + 0.6, mid + length / 2, y + 0.6)
        y += 1.6
    return y


def qr_png(url: str) -> bytes:
    """A QR code (ISO/IEC 18004, error correction M) of ``url`` as PNG bytes."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def render(sheet: Sheet) -> Rendered:
    """Lay out ``sheet`` and return the unsigned PDF with the signature rectangle.

    Long bodies flow over several pages; the signature block is kept whole on the last page.
    """
    pdf = _Pdf(orientation="P", unit="mm", format="A4")
    pdf.draft = sheet.draft
    pdf.set_margins(MARGIN_L, MARGIN_T, MARGIN_R)
    pdf.set_auto_page_break(True, MARGIN_B)
    pdf.set_compression(True)
    pdf.set_lang("vi")
    _fonts(pdf)
    meta = {k: nfc(v) for k, v in sheet.metadata.items()}
    pdf.set_title(meta.get("title") or nfc(sheet.title))
    pdf.set_subject(nfc(sheet.subject))
    pdf.set_author(meta.get("author") or " ".join(nfc(s) for s in sheet.issuer_lines))
    pdf.set_creator("Làng số")
    pdf.set_creation_date(dt.datetime.now(dt.UTC))
    pdf.alias_nb_pages()
    pdf.add_page()

    right_x = MARGIN_L + LEFT_COL
    right_w = PAGE_W - MARGIN_R - right_x
    top = MARGIN_T

    # Left: issuing body, line, number and symbol.
    y = top
    lines = [nfc(s).upper() for s in sheet.issuer_lines]
    for i, line in enumerate(lines):
        y = _centered_line(pdf, MARGIN_L - 4, LEFT_COL, y, line, "B", 12.5,
                           underline_ratio=0.4 if i == len(lines) - 1 else 0.0)
    y += 3
    pdf.set_font(FONT, "", 13)
    pdf.set_xy(MARGIN_L - 4, y)
    pdf.cell(LEFT_COL, 6, unicodedata.normalize("NFC", sheet.number_line), align=Align.C)  # keep the blank of a draft
    left_bottom = y + 6

    # Right: national title, motto, place and date.
    y = top
    y = _centered_line(pdf, right_x, right_w, y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 12.5)
    y = _centered_line(pdf, right_x, right_w, y, "Độc lập - Tự do - Hạnh phúc", "B", 13, underline_ratio=1.0)
    y += 3
    y = _centered_line(pdf, right_x, right_w, y, nfc(sheet.place_date), "I", 13)
    y = max(y, left_bottom) + 8

    # Title and summary line.
    content_w = PAGE_W - MARGIN_L - MARGIN_R
    y = _centered_line(pdf, MARGIN_L, content_w, y, nfc(sheet.title).upper(), "B", 14)
    pdf.set_font(FONT, "B", 14)
    pdf.set_xy(MARGIN_L + 10, y)
    pdf.multi_cell(content_w - 20, 6.5, nfc(sheet.subject), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y()
    pdf.set_line_width(0.3)
    pdf.line(PAGE_W / 2 - 20 + (MARGIN_L - MARGIN_R) / 2, y + 1.2, PAGE_W / 2 + 20 + (MARGIN_L - MARGIN_R) / 2,
             y + 1.2)
    pdf.set_y(y + 7)

    # Body.
    pdf.set_font(FONT, "", 13)
    paragraphs = [nfc(p) for p in sheet.body.replace("\r\n", "\n").split("\n") if nfc(p)]
    with pdf.text_columns(text_align=Align.J, line_height=1.15, skip_leading_spaces=True) as cols:
        for text in paragraphs:
            with cols.paragraph(first_line_indent=12.7, bottom_margin=2.1) as par:
                par.write(text)
    y = pdf.get_y() + 4

    # Recipients (left) and signature block (right), kept together on the last page.
    needed = 12 + STAMP_H + 10 + (26 if sheet.verify_url else 0)
    if y + needed > PAGE_H - MARGIN_B:
        pdf.add_page()
        y = MARGIN_T
    block_top = y
    sig_w = PAGE_W - MARGIN_R - right_x + 4
    sig_x = right_x - 4
    y = _centered_line(pdf, sig_x, sig_w, y, nfc(sheet.authority).upper(), "B", 13)
    y = _centered_line(pdf, sig_x, sig_w, y, nfc(sheet.signer_title).upper(), "B", 13)
    y += 2
    stamp_x = sig_x + (sig_w - STAMP_W) / 2
    stamp_top, stamp_bottom = y, y + STAMP_H
    y = stamp_bottom + 3
    if sheet.signer_name:
        _centered_line(pdf, sig_x, sig_w, y, nfc(sheet.signer_name), "B", 13)
    sig_bottom = y + 6

    y = block_top
    pdf.set_xy(MARGIN_L, y)
    pdf.set_font(FONT, "BI", 12)
    pdf.cell(LEFT_COL - 8, 5.5, "Nơi nhận:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 11)
    for item in sheet.recipients:
        pdf.set_x(MARGIN_L)
        pdf.multi_cell(LEFT_COL - 8, 4.8, f"- {nfc(item)}", align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    rec_bottom = pdf.get_y()

    if sheet.verify_url:
        qr_y = max(rec_bottom + 6, sig_bottom + 2)
        if qr_y + 24 > PAGE_H - MARGIN_B + 8:
            qr_y = PAGE_H - MARGIN_B + 8 - 24
        pdf.image(io.BytesIO(qr_png(sheet.verify_url)), x=MARGIN_L, y=qr_y, w=22, h=22)
        pdf.set_xy(MARGIN_L + 25, qr_y + 3)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(content_w - 25, 4.2,
                       "Văn bản điện tử có chữ ký số. Quét mã QR hoặc mở địa chỉ dưới đây để xác thực "
                       "(Electronic document, digitally signed — scan to verify):",
                       align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(MARGIN_L + 25)
        pdf.set_font(FONT, "B", 9)
        pdf.cell(content_w - 25, 4.5, sheet.verify_url, link=sheet.verify_url)

    page_index = pdf.page_no() - 1
    box = SignatureBox(
        page=page_index,
        x1=stamp_x * PT_PER_MM,
        y1=(PAGE_H - stamp_bottom) * PT_PER_MM,
        x2=(stamp_x + STAMP_W) * PT_PER_MM,
        y2=(PAGE_H - stamp_top) * PT_PER_MM,
    )
    data = bytes(pdf.output())
    return Rendered(pdf=data, signature_box=box, pages=pdf.pages_count)
