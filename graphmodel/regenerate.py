"""Rewrite every generated file of a checkout from its source: ``scripts/regenerate``.

Why one command: the JSON Schema (and the copies in the fixture areas that
``graphmodel new`` made), Neo4j Browser's files in ``queries/``, the
README's vocabulary tables and each area's ``extracted.yaml`` (when the
extractor now reads its report differently) are all derived from ``vocab``
and the code. A
change there (a new status, say) is one edit to ``vocab.py`` and one run of
this, and the tests that check each file is current say so.

    python -m graphmodel.regenerate          # rewrite what is stale, list it
    python -m graphmodel.regenerate --check  # list what is stale; exit 1 if any

The README's tables sit between markers, rewritten whole, as cog does::

    <!-- generated: statuses (scripts/regenerate) -->
    | status | meaning | ... |
    <!-- end generated -->

A developer's tool: nothing on a command's path imports it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

from . import vocab

ROOT = Path(__file__).resolve().parent.parent  # the checkout: pyproject.toml, README.md
MARKED = re.compile(r"(<!-- generated: (?P<name>[a-z_]+) \(scripts/regenerate\) -->\n)"
                    r"(?P<body>.*?)(<!-- end generated -->)", re.S)


# --- the README's vocabulary tables ---------------------------------------------------------

def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def statuses_table() -> str:
    return _table(("status", "meaning", "the information goes out"),
                  [(s.name, s.meaning, _yes(s.happens)) for s in vocab.STATUSES.values()])


def severities_table() -> str:
    return _table(("severity", "what it covers"),
                  [(s.name, s.meaning) for s in vocab.SEVERITIES.values()])


def passes_table() -> str:
    return _table(("`passes`", "in words", "can be the return of"),
                  [(f"`{p.name}`", p.label, ", ".join(p.answers) or "nothing")
                   for p in vocab.PASSES.values()])


def party_kinds_table() -> str:
    return _table(("kind", "file", "what it is"),
                  [(f"`{k.name}`", f"`{k.section}.yaml`", k.help)
                   for k in vocab.PARTY_KINDS.values()])


def roles_table() -> str:
    return _table(("`role`", "what it is", "a health body's"),
                  [(f"`{r.name}`", f"**{r.label}**: {r.definition}", _yes(r.health))
                   for r in vocab.ROLES.values()])


def views_table() -> str:
    return _table(("view", "shows"), [(f"`{v.written}`", v.shows) for v in vocab.VIEWS.values()])


def exports_table() -> str:
    return _table(("`--to`", "file", "open it in"),
                  [(f"`{f.name}`", f.file, f.how) for f in vocab.EXPORT_FORMATS.values()])


def sensitivity_table() -> str:
    """The bundled area's first ten with their rank ranges, and the close calls in words."""
    from collections import Counter

    from .api import open_area
    from .paths import default_model_dir
    area = open_area(default_model_dir())
    rows = area.sensitivity()
    first = [r for r in rows if r["first_ten"]]
    table = _table(("rank", "range", "problem"),
                   [(str(r["rank"]), _range(r["best"], r["worst"]), _first_clause(r["statement"]))
                    for r in first])
    hanging = [r for r in rows if r["hangs_on"]]
    weights = Counter(w for r in hanging for w in r["hangs_on"])
    close = [str(r["rank"]) for r in first if r["hangs_on"]]
    if not hanging:
        return table + f"\nNo place in or out of {area.name}'s first ten hangs on one weight.\n"
    weight, times = weights.most_common(1)[0]
    most = "all" if times == len(hanging) else f"{times} of them"
    return table + (f"\n{len(hanging)} places in or out of {area.name}'s first ten hang on one "
                    f"weight, {most} on the `{weight}` weight"
                    + (f": read ranks {_and(close)} as close calls.\n" if close else ".\n"))


def _range(best: int, worst: int) -> str:
    return str(best) if best == worst else f"{best}–{worst}"


def _first_clause(statement: str) -> str:
    """What fails, without the consequence the statement goes on to give ("..., so ...")."""
    return re.split(r",\s+(?:so|partly because|because)\s", statement)[0].rstrip(".") + "."


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


TABLES: dict[str, Callable[[], str]] = {
    "statuses": statuses_table, "severities": severities_table, "passes": passes_table,
    "party_kinds": party_kinds_table, "roles": roles_table, "views": views_table,
    "exports": exports_table, "sensitivity": sensitivity_table}


def readme(text: str) -> str:
    """The README with every marked table rewritten from ``vocab``; an unknown name fails."""
    def table(match: re.Match) -> str:
        name = match["name"]
        if name not in TABLES:
            raise SystemExit(f"README.md: no generated table {name!r}; "
                             f"known: {', '.join(TABLES)}")
        return match.group(1) + TABLES[name]() + match.group(4)
    return MARKED.sub(table, text)


# --- every generated file ---------------------------------------------------------------

def schema_text() -> str:
    """The JSON Schema as ``graphmodel schema`` prints it."""
    from .model.schema import model_json_schema
    return json.dumps(model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def generated(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file of the checkout at ``root``, as it should read."""
    from .neo4j.library import browser_files
    schema = schema_text()
    files = {root / "data" / "graphmodel.schema.json": schema}
    for copy in sorted((root / "tests" / "fixtures" / "areas").glob("*/graphmodel.schema.json")):
        files[copy] = schema  # areas made by 'graphmodel new' carry their own copy
    for name, text in browser_files().items():
        files[root / "queries" / name] = text
    files[root / "README.md"] = readme((root / "README.md").read_text(encoding="utf-8"))
    for folder in _areas(root):
        files.update(_extraction(folder))
    return files


def _areas(root: Path) -> list[Path]:
    return sorted(p.parent for pattern in ("data/*/area.yaml", "tests/fixtures/areas/*/area.yaml")
                  for p in root.glob(pattern))


def _extraction(folder: Path) -> dict[Path, str]:
    """The area's extraction file, rewritten only if its data differs from the report's.

    Why not byte for byte: the loader compares the data (``check_extraction_current``),
    so a current file keeps whatever layout it has.
    """
    import yaml

    from .model.report import extract_report, extraction_yaml, read_report
    loaded = yaml.safe_load((folder / "area.yaml").read_text(encoding="utf-8")) or {}
    area: dict = loaded.get("area") or loaded
    report = folder / area.get("report", "report.txt")
    target = folder / area.get("extraction", "extracted.yaml")
    if not report.is_file() or not target.is_file():
        return {}
    text = extraction_yaml(extract_report(read_report(report), report.name), report.name)
    current = target.read_text(encoding="utf-8")
    return {target: current if yaml.safe_load(current) == yaml.safe_load(text) else text}


def stale(root: Path = ROOT) -> dict[Path, str]:
    """The generated files that differ from what they should read (or are missing)."""
    return {path: text for path, text in generated(root).items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text}


def extra_browser_files(root: Path = ROOT) -> list[Path]:
    """Files in ``queries/`` that nothing generates any more (a query renamed or removed)."""
    from .neo4j.library import browser_files
    wanted = set(browser_files())
    return sorted(p for p in (root / "queries").iterdir()
                  if p.suffix in (".cypher", ".grass") and p.name not in wanted)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not (ROOT / "pyproject.toml").is_file():
        print("error: regenerate rewrites a checkout's files; this graphmodel is installed "
              f"from a wheel ({ROOT})", file=sys.stderr)
        return 2
    todo, extra = stale(), extra_browser_files()
    for path in [*todo, *extra]:
        print(path.relative_to(ROOT))
    if "--check" in args:
        if todo or extra:
            print("error: these generated files are out of date: run scripts/regenerate",
                  file=sys.stderr)
        return 1 if todo or extra else 0
    for path, text in todo.items():
        path.write_text(text, encoding="utf-8")
    for path in extra:
        path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
