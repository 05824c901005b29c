"""Measure the PDF readers and the two PDF makers on every report; print Markdown.

Why: the choice of library must rest on figures: for each maker (reportlab,
the tests' maker in tests/pdfmaker; LibreOffice, make_pdf_lo.py here) and
reader (pypdf, which graphmodel uses; pdfminer.six and pdfplumber), does
graphmodel extract the same findings, recommendations and next steps from the
PDF's text as from the report's text; how long, how much memory; and over
several font sizes (every line and page break moves), how often a line-end
hyphen is mended wrongly. Re-run it before lifting pyproject's cap on pypdf.

    pip install pdfminer.six pdfplumber   # the readers compared (not dependencies)
    python benchmarks/pdf/bench.py [--sizes 9,10,11,12,13,14] [--memory]

LibreOffice (Debian's libreoffice-writer-nogui) makes the second set of PDFs;
without it, pass --makers reportlab.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(HERE)]

from make_pdf_lo import make_report_pdf_lo  # noqa: E402
from other_readers import READERS  # noqa: E402

from graphmodel.model.pdf import hyphen_joins, mend_hyphens, pdf_lines  # noqa: E402
from graphmodel.model.report import join_lines  # noqa: E402

from pdfmaker.compare import REPORTS, area_of, differences, summary  # noqa: E402
from pdfmaker.make_pdf import make_report_pdf  # noqa: E402

BACKENDS = tuple(READERS)

HERE = Path(__file__).resolve().parent
OUT = Path("/tmp/graphmodel-pdf-bench")
MAKERS = {"reportlab": make_report_pdf,
          "reportlab-liberation": functools.partial(make_report_pdf, font="liberation"),
          "libreoffice": make_report_pdf_lo}


def make_all(size: float) -> dict[tuple[str, str], tuple[Path, float]]:
    """Every report through every maker: (maker, report) -> (pdf, seconds)."""
    made = {}
    for maker, make in MAKERS.items():
        for name, path in REPORTS.items():
            text = path.read_text(encoding="utf-8-sig")
            pdf = OUT / f"{maker}-{size:g}-{name.replace('/', '_')}.pdf"
            start = time.perf_counter()
            make(text, pdf, area_of(text, name), font_size=size)
            made[maker, name] = pdf, time.perf_counter() - start
    return made


def read_all(made, size: float, readers: tuple[str, ...] = BACKENDS) -> list[dict]:
    """Every PDF through every reader: match counts, seconds, hyphen decisions."""
    rows = []
    for (maker, name), (pdf, made_in) in made.items():
        text = REPORTS[name].read_text(encoding="utf-8-sig")
        want = summary(text, name)
        for backend in readers:
            start = time.perf_counter()
            lines, _ = pdf_lines(pdf.read_bytes(), str(pdf), READERS[backend])
            mended = mend_hyphens(lines)
            seconds = time.perf_counter() - start
            got = summary("\n".join(mended), name)
            rows.append({"size": size, "maker": maker, "report": name, "backend": backend,
                         "made_s": made_in, "read_s": seconds, "pages": _pages(pdf),
                         "want": {k: len(want[k]) for k in ("findings", "recommendations")},
                         "diff": differences(want, got), **hyphen_score(text, lines)})
    return rows


def _pages(pdf: Path) -> int:
    """How many pages a PDF has."""
    import pypdf
    return len(pypdf.PdfReader(pdf).pages)


def hyphen_score(original: str, lines: list[str]) -> dict[str, int]:
    """Line-end hyphens in the PDF's text, by truth (real or a typesetter's) and
    by the mender's decision. Truth: the original text writes "head-tail"."""
    truth_text = join_lines(original.splitlines()).lower()
    mended = hyphen_joins(lines)
    score = {"real_kept": 0, "real_joined": 0, "soft_joined": 0, "soft_kept": 0}
    for i, (line, after) in enumerate(zip(lines, lines[1:] + [""], strict=True)):
        head, tail = re.search(r"([A-Za-z]+)-$", line), re.match(r"([A-Za-z]+)", after)
        if not (head and tail):
            continue
        real = bool(re.search(rf"(?<![a-z-]){re.escape(head[1] + '-' + tail[1]).lower()}"
                              r"(?![a-z])", truth_text))
        joined = i in mended
        score[("real_" if real else "soft_") + ("joined" if joined else "kept")] += 1
    return score


def memory(pdf: Path) -> dict[str, dict[str, float]]:
    """Peak resident memory (MB, VmHWM: getrusage would count the parent's
    pages from before exec) of a fresh interpreter that imports a reader,
    then reads ``pdf`` with it; and the peak of Python's own allocations while
    reading (tracemalloc). Only graphmodel.model.pdf is imported (it needs
    nothing but graphmodel.errors), so the mark is the reader's."""
    out = {}
    for backend in BACKENDS:
        module = {"pdfminer": "pdfminer.high_level"}.get(backend, backend)
        hwm = "int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
        code = (f"import importlib, sys, tracemalloc; "
                f"sys.path[:0] = [{str(ROOT)!r}, {str(HERE)!r}]; "
                "from graphmodel.model import pdf; import other_readers; "
                f"importlib.import_module({module!r}); "
                f"data = open({str(pdf)!r}, 'rb').read(); base = {hwm}; "
                "tracemalloc.start(); "
                f"pdf.pdf_to_text(data, 'x.pdf', other_readers.READERS[{backend!r}]); "
                "traced = tracemalloc.get_traced_memory()[1] // 1024; "
                f"print(base, {hwm}, traced)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True)
        base, peak, traced = (int(x) / 1024 for x in done.stdout.split())
        out[backend] = {"after_import_mb": round(base, 1), "peak_mb": round(peak, 1),
                        "python_peak_mb": round(traced, 1)}
    return out


def timing(pdf: Path, repeat: int = 5) -> dict[str, float]:
    """The best of ``repeat`` reads of ``pdf`` per reader (seconds): the machine
    is shared, so the minimum is the figure least bent by other load."""
    out = {}
    for backend in BACKENDS:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            pdf_lines(pdf.read_bytes(), str(pdf), READERS[backend])
            best = min(best, time.perf_counter() - start)
        out[backend] = round(best, 3)
    return out


def table(rows: list[dict]) -> str:
    """Markdown: per maker and reader, exact matches over all reports and time."""
    lines = ["| maker | reader | findings equal | recommendations equal | next steps equal "
             "| reports all equal | read s (Sefton) | read s (all) | hyphens wrong |",
             "|---|---|---|---|---|---|---|---|---|"]
    for maker in MAKERS:
        for backend in BACKENDS:
            sel = [r for r in rows if r["maker"] == maker and r["backend"] == backend]
            if sel:
                lines.append(_table_row(maker, backend, sel))
    return "\n".join(lines)


def _table_row(maker: str, backend: str, sel: list[dict]) -> str:
    """One row: equal items over all, seconds per font size, wrong hyphen decisions."""
    count = {k: sum(r["want"][k] for r in sel) for k in ("findings", "recommendations")}
    wrong = {k: sum(r["diff"][k] for r in sel) for k in ("findings", "recommendations")}
    steps = sum(1 for r in sel if not r["diff"]["next_steps"])
    whole = sum(1 for r in sel if not any(r["diff"].values()))
    sefton = sum(r["read_s"] for r in sel if r["report"] == "sefton") / max(
        1, len({r["size"] for r in sel}))
    total = sum(r["read_s"] for r in sel) / max(1, len({r["size"] for r in sel}))
    hy = sum(r["real_joined"] + r["soft_kept"] for r in sel)
    hy_all = sum(r["real_joined"] + r["soft_kept"] + r["real_kept"] + r["soft_joined"]
                 for r in sel)
    return (f"| {maker} | {backend} | {count['findings'] - wrong['findings']}/{count['findings']}"
            f" | {count['recommendations'] - wrong['recommendations']}/"
            f"{count['recommendations']} | {steps}/{len(sel)} | {whole}/{len(sel)} | "
            f"{sefton:.2f} | {total:.2f} | {hy}/{hy_all} |")


def main() -> int:
    """Make, read, compare; print the table and every report that differs."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="11")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--readers", default=",".join(BACKENDS))
    parser.add_argument("--makers", default=",".join(MAKERS))
    args = parser.parse_args()
    for maker in set(MAKERS) - set(args.makers.split(",")):
        del MAKERS[maker]
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (float(s) for s in args.sizes.split(",")):
        made = make_all(size)
        rows += read_all(made, size, tuple(args.readers.split(",")))
        print(f"size {size:g}: made in " + ", ".join(
            f"{m} {sum(t for (mm, _), (_, t) in made.items() if mm == m):.1f} s"
            for m in MAKERS), file=sys.stderr)
    (OUT / "rows.json").write_text(json.dumps(rows, indent=1))
    print(table(rows))
    for r in rows:
        if any(r["diff"].values()):
            print(f"- {r['maker']} {r['size']:g}pt {r['report']} {r['backend']}: {r['diff']}")
    if args.memory:
        for maker in MAKERS:
            pdf = OUT / f"{maker}-11-sefton.pdf"
            print(maker, "memory", json.dumps(memory(pdf)))
            print(maker, "best-of-5 seconds", json.dumps(timing(pdf)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
