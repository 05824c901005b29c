"""The two libraries measured against pypdf: pdfminer.six and pdfplumber.

Why keep them: bench.py re-runs the comparison when a library or the test
PDFs change. Each returns the pages' lines as graphmodel.model.pdf.read_pages
does, for pdf_to_text(data, label, read=...). Not for the package.
"""

from __future__ import annotations

import io


def pdfplumber_pages(data: bytes, label: str) -> list[list[str]]:
    """pdfplumber: lines clustered by baseline, so hanging numbers stay with their text."""
    import pdfplumber
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            pages.append(page.extract_text().splitlines())
            page.close()
    return pages


def pdfminer_pages(data: bytes, label: str) -> list[list[str]]:
    """pdfminer.six: its text lines, regrouped by baseline (a hanging number and
    its text are separate boxes to it) and sorted top to bottom."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    pages = []
    for layout in extract_pages(io.BytesIO(data), laparams=LAParams()):
        pieces = [(line.x0, line.get_text().strip(), layout.height - line.y1,
                   layout.height - line.y0)
                  for box in layout if isinstance(box, LTTextContainer)
                  for line in box if isinstance(line, LTTextLine) and line.get_text().strip()]
        pages.append(baselines(pieces))
    return pages


def baselines(pieces: list[tuple[float, str, float, float]]) -> list[str]:
    """Pieces of text (x0, text, top, bottom) whose vertical extents overlap, as
    one line, left to right; lines top to bottom."""
    rows: list[list] = []
    for x0, text, top, bottom in sorted(pieces, key=lambda p: (round(p[2]), p[0])):
        row = rows[-1] if rows else None
        if row and top < row[1] - 0.5 * (bottom - top):
            row[2].append((x0, text))
            row[1] = max(row[1], bottom)
        else:
            rows.append([top, bottom, [(x0, text)]])
    return [" ".join(t for _, t in sorted(r[2])) for r in rows]


READERS = {"pypdf": None, "pdfminer": pdfminer_pages, "pdfplumber": pdfplumber_pages}
