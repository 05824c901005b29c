"""The graphmodel command line: parses options, calls the library, prints.

User mistakes arrive as ModelError and leave as one line each on stderr with
exit 1 (2 for a bad option value); anything else is a bug and keeps its
traceback. pyvis and the neo4j driver are imported only by the commands that
need them.
"""

# No "from __future__ import annotations": typer would compile and eval every
# annotation of every command as a string at each start (about 15 ms).
import functools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import ModelError

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    help="Question a CQC children's safeguarding (CLAS) review as a graph. "
         "Start with 'graphmodel gaps'.")


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Severity(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"


class Backend(str, Enum):
    networkx = "networkx"
    neo4j = "neo4j"


class UsageError(ModelError):
    """A bad option value: exit 2, like other usage errors."""


ModelOpt = Annotated[Optional[Path], typer.Option(
    "--model", "-m", help="Folder of model YAML files [default: the bundled Sefton model].",
    show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OrgOpt = Annotated[Optional[str], typer.Option(
    "--org", help="An organisation: its id or any name the report uses for it.")]
BackendOpt = Annotated[Backend, typer.Option(
    "--backend", help="Where to run the query: networkx (in memory) or neo4j (a server "
                      "loaded with 'graphmodel load --neo4j'; connection from NEO4J_URI, "
                      "NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE). Same output either way.")]


def user_errors(command):
    """Turn ModelError into one line per problem on stderr and a non-zero exit."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ModelError as exc:
            for line in str(exc).splitlines():
                typer.echo(f"error: {line}", err=True)
            raise typer.Exit(2 if isinstance(exc, UsageError) else 1) from None
    return wrapper


def load_model(model: Path | None):
    """The checked model of a folder (default: bundled Sefton)."""
    from .loader import load_area
    from .paths import default_model_dir
    return load_area(model or default_model_dir())


def load_graph(model: Path | None):
    """(GraphInfo, graph) of a model, from the cache when the files are unchanged."""
    from . import cache
    from .paths import default_model_dir
    key = cache.fingerprint(Path(model or default_model_dir()))
    cached = cache.load(key)
    if cached:
        return cached
    from .graph import build_graph
    m = load_model(model)
    G = build_graph(m)
    info = cache.GraphInfo(m.area.name, m.names, {p: x.kind for p, x in m.parties.items()},
                           list(m.recommendations))
    cache.save(key, info, G)
    return info, G


def resolve_org(info, name: str) -> str:
    """An organisation id from an id or any of its names; unknown names fail helpfully."""
    ids = info.names.resolve(name)
    if not ids:
        near = info.names.closest(name)
        hint = f"; closest: {', '.join(near)}" if near else ""
        raise UsageError(f"--org {name!r} names no organisation{hint}")
    if len(ids) > 1:
        raise UsageError(f"--org {name!r} names several bodies ({', '.join(ids)}); "
                         "give one of them")
    if info.kinds[ids[0]] != "organisation":
        raise UsageError(f"--org {name!r} is a {info.kinds[ids[0]]}, not an organisation")
    return ids[0]


def ask(backend: Backend, name: str, G, *args, **kwargs):
    """Run one named query in memory or on Neo4j: the rows are the same either way.

    Why the fingerprint: Neo4j must hold this very version of the model, or
    its answers would silently differ from the files on disk.
    """
    if backend == Backend.networkx:
        from . import queries
        return queries.QUERIES[name](G, *args, **kwargs)
    from . import neo4j_load, neo4j_queries
    return neo4j_queries.run(name, G.graph["area"], *args,
                             fingerprint=neo4j_load.graph_fingerprint(G), **kwargs)


def emit(rows, fmt: Format, columns=None, title=None) -> None:
    from .output import render
    typer.echo(render(rows, fmt.value, columns, title), nl=False)


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file so a failure never leaves half a file."""
    import tempfile
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a map is for sharing
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


@app.command()
@user_errors
def extract(report: Annotated[Path, typer.Argument(help="A CLAS review as plain text.")],
            format: Annotated[str, typer.Option("--format", "-f",
                                                help="yaml or json.")] = "yaml",
            out: Annotated[Optional[Path], typer.Option(
                "--out", "-o", help="Write to this file instead of standard output.")] = None):
    """Extract findings and recommendations from a report's text."""
    import json

    from .extract import extract_report, extraction_yaml, read_report
    if format not in ("yaml", "json"):
        raise UsageError(f"--format {format!r}: choose yaml or json")
    extraction = extract_report(read_report(report), str(report))
    for warning in extraction.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if format == "json":
        text = json.dumps(extraction.to_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = extraction_yaml(extraction, report.name)
    if out:
        write_atomically(out, text)
        typer.echo(str(out), err=True)
    else:
        typer.echo(text, nl=False)


@app.command()
@user_errors
def validate(model: ModelOpt = None):
    """Check a model: schema, ids, references, statuses and every quote."""
    from collections import Counter
    m = load_model(model)
    for warning in m.warnings:
        typer.echo(f"warning: {warning}", err=True)
    statuses = Counter(f.status for f in m.flows)
    links = sum(len(f.recommendations) for f in m.findings.values())
    typer.echo(f"{m.area.name}: model is valid ({m.folder})")
    for kind in ("organisation", "service", "site", "forum", "group", "system"):
        typer.echo(f"  {kind + 's':<15} {len(m.of_kind(kind))}")
    typer.echo(f"  {'flows':<15} {len(m.flows)} ("
               + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())) + ")")
    typer.echo(f"  {'findings':<15} {len(m.findings)} ({links} recommendation links, "
               f"{sum(f.public_health for f in m.findings.values())} referred to public health)")
    typer.echo(f"  {'recommendations':<15} {len(m.recommendations)} in "
               f"{len({r.group for r in m.recommendations.values()})} groups")


@app.command()
@user_errors
def gaps(model: ModelOpt = None, org: OrgOpt = None,
         status: Annotated[Optional[list[str]], typer.Option(
             "--status", help="Only these statuses (repeat the option for several).")] = None,
         loops_only: Annotated[bool, typer.Option(
             "--loops-only", help="Only broken feedback loops.")] = False,
         fail_on: Annotated[Optional[Severity], typer.Option(
             "--fail-on", help="Exit 1 if a gap this severe or worse exists.")] = None,
         format: FormatOpt = Format.table, backend: BackendOpt = Backend.networkx):
    """Where information fails to pass or come back, worst first, and who must fix it."""
    from . import queries
    m, G = load_graph(model)
    from . import vocab
    for s in status or []:
        if s not in vocab.STATUSES:
            raise UsageError(f"--status {s!r}: choose from {', '.join(vocab.STATUSES)}")
    rows = ask(backend, "gaps", G, org=resolve_org(m, org) if org else None, statuses=status,
               loops_only=loops_only)
    title = f"{m.area_name}: {len(rows)} information-sharing gaps, worst first"
    if format == Format.table:
        from .output import render_gap_cards
        typer.echo(render_gap_cards(rows, title), nl=False)
    else:
        emit(rows, format, ["severity", "kind", "id", "from", "to", "passes", "status",
                            "summary", "evidence", "action", "owners"], title=title)
    if fail_on:
        order = [s.value for s in Severity]
        worst = queries.worst_severity(rows)
        if worst and order.index(worst) <= order.index(fail_on.value):
            raise typer.Exit(1)


@app.command()
@user_errors
def owners(recommendations: Annotated[Optional[list[str]], typer.Argument(
               help="Recommendation ids such as 1.5 (default: all).")] = None,
           model: ModelOpt = None, org: OrgOpt = None, format: FormatOpt = Format.table,
           backend: BackendOpt = Backend.networkx):
    """Each recommendation with its owners and the findings that cite it."""
    m, G = load_graph(model)
    unknown = [r for r in recommendations or [] if r not in m.recommendations]
    if unknown:
        raise UsageError(f"no recommendation {', '.join(unknown)} in this report")
    rows = ask(backend, "owners", G, recs=recommendations,
               org=resolve_org(m, org) if org else None)
    emit(rows, format, ["id", "text", "owners", "findings"],
         title=f"{m.area_name}: {len(rows)} recommendations")


@app.command()
@user_errors
def coverage(model: ModelOpt = None, format: FormatOpt = Format.table,
             backend: BackendOpt = Backend.networkx):
    """Problem findings with no recommendation, and recommendations no finding cites."""
    m, G = load_graph(model)
    emit(ask(backend, "coverage", G), format, ["kind", "id", "section", "reason", "text"],
         title=f"{m.area_name}: coverage")


@app.command("org")
@user_errors
def org_profile(name: Annotated[str, typer.Argument(help="An organisation id or name.")],
                model: ModelOpt = None, format: FormatOpt = Format.table,
                backend: BackendOpt = Backend.networkx):
    """One organisation: what it commissions and provides, its flows, gaps and duties."""
    import json

    m, G = load_graph(model)
    profile = ask(backend, "org", G, resolve_org(m, name))
    if format == Format.json:
        typer.echo(json.dumps(profile, indent=2, ensure_ascii=False))
        return
    for section, rows in profile.items():
        emit(rows, format, PROFILE_COLUMNS.get(section), title=section)


PROFILE_COLUMNS = {
    "commissions": ["service", "provider", "subcontracted_from", "sites"],
    "provides": ["service", "commissioner", "subcontracted_from", "sites"],
    "flows": ["direction", "from", "to", "passes", "status", "summary"],
}


@app.command()
@user_errors
def path(source: Annotated[str, typer.Argument(help="From: a party id or name.")],
         target: Annotated[str, typer.Argument(help="To: a party id or name.")],
         model: ModelOpt = None, format: FormatOpt = Format.table,
         backend: BackendOpt = Backend.networkx):
    """How information can travel between two parties, and where the routes break."""
    m, G = load_graph(model)
    a, b = (_party(m, source), _party(m, target))
    rows = ask(backend, "path", G, a, b)
    if format != Format.json:  # a route reads best as one line of arrows
        rows = [{**r, "route": " \u2192 ".join(p["name"] for p in r["route"])} for r in rows]
    emit(rows, format, ["route", "flows", "statuses", "works", "breaks_at"],
         title=f"Routes from {G.nodes[a]['name']} to {G.nodes[b]['name']}")


def _party(m, name: str) -> str:
    """Any party (service, forum ...) by id or name."""
    ids = m.names.resolve(name)
    if not ids or len(ids) > 1:
        return resolve_org(m, name)  # raises the helpful error
    return ids[0]


@app.command()
@user_errors
def commissioning(model: ModelOpt = None, format: FormatOpt = Format.table,
                  backend: BackendOpt = Backend.networkx):
    """Who commissions which service from which provider, with sub-contracts."""
    m, G = load_graph(model)
    emit(ask(backend, "commissioning", G), format,
         ["commissioner", "service", "provider", "subcontracted_from", "sites"],
         title=f"{m.area_name}: commissioning")


@app.command()
@user_errors
def hotspots(model: ModelOpt = None, format: FormatOpt = Format.table,
             backend: BackendOpt = Backend.networkx):
    """Parties ranked by the gaps they are party to and their betweenness."""
    m, G = load_graph(model)
    emit(ask(backend, "hotspots", G), format,
         ["name", "kind", "organisation", "gaps", "flows", "betweenness"],
         title=f"{m.area_name}: hotspots")


@app.command()
@user_errors
def load(neo4j: Annotated[bool, typer.Option(
             "--neo4j", help="Load into Neo4j (the only target so far).")] = False,
         model: ModelOpt = None,
         uri: Annotated[Optional[str], typer.Option(
             "--uri", help="Bolt URI [default: $NEO4J_URI, else bolt://localhost:7687].",
             show_default=False)] = None,
         user: Annotated[Optional[str], typer.Option(
             "--user", help="[default: $NEO4J_USER, else neo4j]", show_default=False)] = None,
         password: Annotated[Optional[str], typer.Option(
             "--password", help="[default: $NEO4J_PASSWORD]", show_default=False)] = None,
         database: Annotated[Optional[str], typer.Option(
             "--database", help="[default: $NEO4J_DATABASE, else the server's default]",
             show_default=False)] = None,
         replace: Annotated[bool, typer.Option(
             "--replace", help="First delete what the area held (in the same transaction), "
                               "so it mirrors the model exactly.")] = False):
    """Load the model into Neo4j in one transaction; loading again changes nothing."""
    import time

    from . import neo4j_load
    if not neo4j:
        raise UsageError("say where to load: --neo4j")
    info, G = load_graph(model)
    conn = neo4j_load.Connection.from_env(uri, user, password, database)
    started = time.perf_counter()
    with neo4j_load.open_session(conn) as session:
        done = neo4j_load.load_graph(session, G, replace=replace)
    if done.previous_fingerprint not in (None, done.fingerprint) and not replace:
        typer.echo(f"warning: Neo4j held another version of area {done.area!r}; what the "
                   "model no longer has stays until you load with --replace", err=True)
    typer.echo(f"{info.area_name}: {done.nodes} nodes, {done.relationships} relationships "
               f"in area {done.area!r} at {conn.uri} ({done.nodes_created} nodes and "
               f"{done.relationships_created} relationships new) "
               f"in {time.perf_counter() - started:.2f}s")


@app.command()
@user_errors
def schema():
    """Print the JSON Schema of the model files (for editors)."""
    import json

    from .schema import model_json_schema
    typer.echo(json.dumps(model_json_schema(), indent=2, ensure_ascii=False))


@app.command("map")
@user_errors
def draw_map(view: Annotated[str, typer.Option(
                 "--view", "-v", help="system, gaps, commissioning, org:NAME or "
                                      "recommendation:ID.")] = "system",
             out: Annotated[Optional[Path], typer.Option(
                 "--out", "-o", help="The HTML file [default: AREA-VIEW.html here].",
                 show_default=False)] = None,
             model: ModelOpt = None):
    """Draw an interactive map: one HTML file that opens offline in any browser."""
    from . import htmlmap
    name, target = htmlmap.split_view(view)
    if name not in htmlmap.VIEWS or (target is None) == (name in htmlmap.TARGETED):
        raise UsageError(f"--view {view!r}: choose system, gaps, commissioning, "
                         "org:NAME or recommendation:ID")
    info, G = load_graph(model)
    if name == "org":
        target = resolve_org(info, target)
    if name == "recommendation" and target not in info.recommendations:
        raise UsageError(f"--view {view!r}: no recommendation {target} in this report")
    out = out or Path(htmlmap.map_filename(G, name, target))
    write_atomically(out, htmlmap.render_map(G, name, target))
    typer.echo(str(out))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="graphmodel")


if __name__ == "__main__":
    sys.exit(main())
