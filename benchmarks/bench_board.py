"""Which engine prints the board's page to PDF: WeasyPrint or headless Chromium.

The same HTML (``graphmodel board``'s, for Sefton) is printed by each engine,
each run in a fresh process as a person's command would be: WeasyPrint through
``graphmodel board --format pdf`` (Python start, the model from the cache, the
import and the rendering), Chromium as ``chromium --headless --print-to-pdf``
on the HTML file (the browser's start and its print). For each: the median
wall time, the peak memory (GNU time's maximum resident set size of the
largest process), the file's size, pages and page size (the A4 landscape the
page's CSS asks for); then WeasyPrint's time split into its import, its
layout and its writing of the PDF.

    python benchmarks/bench_board.py [--runs 5] [--model DIR]

Needs WeasyPrint (pip install -e '.[pdf]'), Debian's chromium
(scripts/install-browser), poppler-utils and GNU time (/usr/bin/time).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-extensions"]


def timed(command: list[str], env: dict) -> tuple[float, int]:
    """(seconds, peak resident kB) of one run."""
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True,
                          text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return seconds, int(done.stderr.strip().splitlines()[-1])


def pdf_facts(pdf: Path) -> str:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)
    size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)
    return f"{pages} pages, {size}, {pdf.stat().st_size / 1024:.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", default=str(ROOT / "data" / "sefton"))
    args = parser.parse_args()
    exe = shutil.which("graphmodel") or str(Path(sys.executable).parent / "graphmodel")
    chromium = shutil.which("chromium")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "HOME": tmp}
        html, weasy_pdf, chrome_pdf = work / "b.html", work / "w.pdf", work / "c.pdf"
        subprocess.run([exe, "board", "-m", args.model, "--as-of", "2026-12-05", "-o",
                        str(html)], check=True, capture_output=True)
        engines = {
            "WeasyPrint (graphmodel board --format pdf)":
                ([exe, "board", "-m", args.model, "--as-of", "2026-12-05", "--format", "pdf",
                  "-o", str(weasy_pdf)], weasy_pdf),
        }
        if chromium:
            engines["Chromium --headless --print-to-pdf (the HTML)"] = (
                [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}",
                 f"--print-to-pdf={chrome_pdf}", html.as_uri()], chrome_pdf)
        print(f"{Path(args.model).name}'s board page, {args.runs} runs each, medians")
        print(f"{'engine':48} {'seconds':>8} {'peak MB':>8}  output")
        for name, (command, pdf) in engines.items():
            runs = [timed(command, env) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in runs)
            peak = statistics.median(r[1] for r in runs) / 1024
            print(f"{name:48} {seconds:8.2f} {peak:8.0f}  {pdf_facts(pdf)}")
        if not chromium:
            print("chromium not found: run scripts/install-browser to compare it")
        print(weasyprint_parts(html))


WEASYPRINT_PARTS = """
import sys, time
start = time.perf_counter()
import weasyprint
imported = time.perf_counter()
page = open(sys.argv[1], encoding="utf-8").read()
document = weasyprint.HTML(string=page).render()
laid_out = time.perf_counter()
document.write_pdf()
written = time.perf_counter()
print(f"{imported - start:.2f} {laid_out - imported:.2f} {written - laid_out:.2f}")
"""


def weasyprint_parts(html: Path) -> str:
    """Where WeasyPrint's time goes, in a fresh process: import, layout, writing the PDF."""
    done = subprocess.run([sys.executable, "-c", WEASYPRINT_PARTS, str(html)],
                          capture_output=True, text=True, check=True)
    imported, laid_out, written = done.stdout.split()
    return (f"WeasyPrint's parts: import {imported} s, layout {laid_out} s, "
            f"writing the PDF {written} s")


if __name__ == "__main__":
    main()
