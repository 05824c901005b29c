"""Hostile plan workbooks, made from a real one: bombs, entities, damaged parts, huge rows.

Each builder takes the bytes of a workbook ``graphmodel plan`` wrote and
returns a broken copy; ``HOSTILE_WORKBOOKS`` names them with the start of the
one line ``plan import`` must give. The hostile corpus runs each through the
command line, and ``benchmarks/bench_workbooks.py`` times them and measures
their peak memory.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable

SHEET = "xl/worksheets/sheet2.xml"  # the Plan sheet (the cover is sheet1)
STRINGS = "xl/sharedStrings.xml"  # openpyxl writes none; Excel and LibreOffice do


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(files: dict[str, bytes | Callable]) -> bytes:
    """A zip of these parts; a callable part writes itself (a stream too big to hold)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            if callable(content):
                with archive.open(name, "w", force_zip64=True) as part:
                    content(part)
            else:
                archive.writestr(name, content)
    return out.getvalue()


def replace_in(name: str, old: bytes | str, new: bytes | str, count: int = 1):
    def build(data: bytes) -> bytes:
        files = parts(data)
        pattern = old if isinstance(old, bytes) else old.encode()
        text, done = re.subn(pattern, new if isinstance(new, bytes) else new.encode(),
                             files[name], count=count, flags=re.S)
        assert done, (name, old)
        files[name] = text
        return rezip(files)
    return build


def bomb(size: int):
    """The Plan sheet as one cell whose text inflates to ``size`` bytes (1/1000 packed).

    The sheet is written whole, so its size (and the line) is the same whatever the
    plan holds: 173 bytes of markup around the text.
    """
    def build(data: bytes) -> bytes:
        files = parts(data)

        def write(part) -> None:
            part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                       b'main"><sheetData><row r="3"><c r="J3" t="inlineStr"><is><t>')
            chunk = b"A" * 2**20
            for _ in range(size // len(chunk)):
                part.write(chunk)
            part.write(b"</t></is></c></row></sheetData></worksheet>")
        files[SHEET] = write
        return rezip(files)
    return build


def lying_size(data: bytes) -> bytes:
    """A 64 MiB bomb whose central directory says it unpacks to 1 KB."""
    out = bytearray(bomb(64 * 2**20)(data))
    name, start = SHEET.encode(), 0
    while (start := out.find(b"PK\x01\x02", start)) >= 0:
        if out[start + 46:start + 46 + len(name)] == name:
            struct.pack_into("<I", out, start + 24, 1024)  # the uncompressed size
        start += 4
    return bytes(out)


def with_dtd(dtd: bytes):
    """The Plan sheet with a document type declaration before its root."""
    def build(data: bytes) -> bytes:
        files = parts(data)
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", files[SHEET])
        files[SHEET] = b'<?xml version="1.0"?>' + dtd + body
        return rezip(files)
    return build


BILLION_LAUGHS = (b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
                  + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                             .encode() for i in range(9)) + b"]>")
EXTERNAL_ENTITY = b'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def set_part(name: str, content: bytes):
    def build(data: bytes) -> bytes:
        files = parts(data)
        files[name] = content
        return rezip(files)
    return build


def damaged(data: bytes) -> bytes:
    """The Plan sheet stored unpacked with one letter changed: well-formed, but its CRC no
    longer matches (the same message whatever the plan holds)."""
    files = parts(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content, zipfile.ZIP_STORED if name == SHEET else None)
    packed = out.getvalue()
    at = packed.index(b"From the report")
    return packed[:at] + b"Frxm" + packed[at + 4:]


def _date_style(styles: bytes) -> int:
    """The index of the first cell style whose number format shows a date."""
    formats = dict(re.findall(rb'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', styles))
    xfs = re.search(rb"<cellXfs.*?</cellXfs>", styles, re.S).group(0)
    for n, fmt in enumerate(re.findall(rb'<xf numFmtId="(\d+)"', xfs)):
        code = formats.get(fmt, b"")
        if 14 <= int(fmt) <= 22 or (b"yy" in code and b"d" in code):
            return n
    raise AssertionError("the workbook has no date style")


def _put_cell(ref: str, xml: str):
    """Replace one cell of the Plan sheet (empty or not) with ``xml``."""
    return replace_in(SHEET, rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', xml)


def _column(sheet: bytes, header: str) -> str:
    """The letter of the Plan sheet's column with this header (row 2)."""
    return re.search(rf'<c r="([A-Z]+)2"[^>]*><is><t>{re.escape(header)}</t>'.encode(),
                     sheet).group(1).decode()


def bad_cell(value: str, kind: str):
    """Row 3's recommendation cell (column B) holding ``value`` of type ``kind``."""
    return _put_cell("B3", f'<c r="B3" t="{kind}"><v>{value}</v></c>')


def cell_in_due(value: str):
    """Row 3's due date (styled as a date) holding the number ``value``, with an action and
    its owner beside it."""
    def build(data: bytes) -> bytes:
        files = parts(data)
        date = _date_style(files["xl/styles.xml"])
        due, owner, action = (_column(files[SHEET], h) for h in ("Due date", "Action owner",
                                                                   "Action"))
        data = _put_cell(f"{due}3", f'<c r="{due}3" s="{date}"><v>{value}</v></c>')(data)
        data = _put_cell(f"{owner}3", f'<c r="{owner}3" t="inlineStr"><is><t>NCCG</t></is>'
                         "</c>")(data)
        return _put_cell(f"{action}3", f'<c r="{action}3" t="inlineStr"><is><t>Train the '
                         "staff</t></is></c>")(data)
    return build


def many_parts(data: bytes) -> bytes:
    files = parts(data)
    files.update({f"xl/media/x{i}.bin": b"" for i in range(2000)})
    return rezip(files)


DTD = ("part '{}' declares a DTD or entities, which a workbook does not need: save it "
       "again from Excel or LibreOffice")
# name -> (builder, the one line plan import gives, after "error: x.xlsx: ")
HOSTILE_WORKBOOKS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "bomb-256mb-cell": (bomb(2**28), f"part '{SHEET}' unpacks to {2**28 + 173:,} bytes, more "
                        "than the limit of 16,777,216"),
    "bomb-lying-size": (lying_size, f"part '{SHEET}' is damaged: Bad CRC-32 for file "
                        f"'{SHEET}'"),
    "billion-laughs": (with_dtd(BILLION_LAUGHS), DTD.format(SHEET)),
    "external-entity": (with_dtd(EXTERNAL_ENTITY), DTD.format(SHEET)),
    "strings-with-dtd": (set_part(STRINGS, b'<!DOCTYPE sst [<!ENTITY a "b">]><sst/>'),
                         DTD.format(STRINGS)),
    "damaged-part": (damaged, f"part '{SHEET}' is damaged: Bad CRC-32 for file '{SHEET}'"),
    "malformed-xml": (replace_in(SHEET, "^<worksheet ", "<worksheet <"),
                      f"part '{SHEET}' is damaged: not well-formed (invalid token): line 1, "
                      "column 11"),
    "row-in-the-billions": (replace_in(SHEET, r'<row r="3"', '<row r="2000000000"'),
                            "sheet 'Plan', row 2,000,000,000: a plan has at most 2,000 rows: "
                            "delete the rows below the plan"),
    "absurd-dimension": (replace_in(SHEET, r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD99999999"'),
                         "sheet 'Plan' claims to reach cell XFD99999999, beyond what any "
                         "spreadsheet holds: save it again from Excel or LibreOffice"),
    "far-column": (replace_in(SHEET, '</row><row r="4"', '<c r="ZZ3" t="inlineStr"><is><t>x'
                              '</t></is></c></row><row r="4"'),
                   "sheet 'Plan', row 3, column ZZ: beyond the 50 columns a plan can have: "
                   "delete what is there"),
    "number-not-a-number": (bad_cell("abc", "n"), "sheet 'Plan', row 3, column B: the cell's "
                            "value 'abc' is not a valid number: type it again"),
    "string-index-past-end": (bad_cell("999999", "s"), "sheet 'Plan', row 3, column B: "
                              "the cell's value '999999' is not a valid text (shared string): type it again"),
    "bad-iso-date": (bad_cell("2019-13-45", "d"), "sheet 'Plan', row 3, column B: the "
                     "cell's value '2019-13-45' is not a valid date: type it again"),
    "bad-boolean": (bad_cell("7", "b"), "sheet 'Plan', row 3, column B: the cell's value "
                    "'7' is not a valid true/false value: type it again"),
    "date-out-of-range": (cell_in_due("99999999999"),
                          "sheet 'Plan', row 3, column 'Due date': '#VALUE!' is not a date: "
                          "write it as 31/03/2026 or 2026-03-31"),
    "too-many-parts": (many_parts, "is not a plan workbook: it holds 2,012 parts (at most "
                       "1,000)"),
    "not-a-zip": (lambda data: b"PK\x03\x04" + data[4:200], "is not an Excel workbook "
                  "(.xlsx): File is not a zip file"),
}
