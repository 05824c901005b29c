"""The graphmodel command line: parses options, calls the library (``api``), prints.

User mistakes arrive as ModelError and leave as one line each on stderr with
exit 1 (2 for a usage mistake); anything else is a bug and keeps its
traceback. Heavy modules (pydantic, rich, pyvis, neo4j, openpyxl ...) are
imported only inside the commands that need them. The query commands are
generated from one table (``QUERY_COMMANDS``); the other command groups live in
``cli_*`` modules that register on the same app.
"""

# No "from __future__ import annotations": typer would compile and eval every
# annotation of every command as a string at each start (about 15 ms).
import functools
import inspect
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, Callable, Optional, ParamSpec, TypeVar

import typer
import typer.core
import typer.models

from .. import __version__, vocab
from ..errors import ModelError, UsageError
from ..render import cards

try:  # typer 0.26 and later carry their own click
    from typer._click.exceptions import NoArgsIsHelpError
    from typer._click.exceptions import UsageError as ClickUsageError
except ImportError:  # pragma: no cover - older typer
    from click.exceptions import NoArgsIsHelpError  # type: ignore[no-redef, assignment, unused-ignore]
    from click.exceptions import UsageError as ClickUsageError  # type: ignore[no-redef, assignment, unused-ignore]

if TYPE_CHECKING:  # quoted where used: annotations here are evaluated (see above)
    from typer._click import Context, HelpFormatter

    from ..api import Area
    from ..neo4j.load import Connection

Params = ParamSpec("Params")
Result = TypeVar("Result")


def _one_line(exc: ClickUsageError) -> ClickUsageError:
    """A usage mistake shown as one line, as graphmodel's own are (click prints four).

    Why on the instance: click and typer call ``exc.show()`` where they catch it.
    """
    if isinstance(exc, NoArgsIsHelpError):
        return exc  # a bare command prints its help, as asked

    def show(file: Optional[IO[Any]] = None) -> None:
        from ..text import message_line
        where = exc.ctx.command_path if exc.ctx else "graphmodel"
        typer.echo(message_line("error: ", f"{exc.format_message().rstrip('.')} (see "
                                f"'{where} --help')"), err=True)
    exc.show = show  # type: ignore[method-assign]  # this instance's only, on purpose
    return exc


# How --help lists the commands: the questions, the action plan, pictures, a new
# area, the model itself, Neo4j.
HELP_ORDER = ["gaps", "party", "path", "owners", "coverage", "commissioning", "hotspots",
              "compare", "areas", "board", "plan", "progress", "diff", "map", "export", "new",
              "todo", "drafts", "validate", "extract", "schema", "load", "neo4j-files", "org"]


class _Commands(typer.core.TyperGroup):
    """The command list of --help, each description whole (click cuts them at 45 characters).

    Also: every usage mistake (an unknown command or option, a bad choice, a
    missing argument) prints one line, like every other error.
    """

    # Any: click's own arguments, passed on unchanged.
    def make_context(self, *args: Any, **kwargs: Any) -> "Context":
        try:
            return super().make_context(*args, **kwargs)
        except ClickUsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx: "Context") -> Any:  # Any: whatever the command returns
        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:
            raise _one_line(exc) from None

    def list_commands(self, ctx: "Context") -> list[str]:
        """The front door first, then in the order people use them (HELP_ORDER)."""
        names = super().list_commands(ctx)
        return sorted(names, key=lambda n: HELP_ORDER.index(n) if n in HELP_ORDER
                      else len(HELP_ORDER))

    def format_commands(self, ctx: "Context", formatter: "HelpFormatter") -> None:
        rows = [(name, cmd.get_short_help_str(limit=1000)) for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


app = typer.Typer(
    cls=_Commands, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    context_settings={"max_content_width": 100},
    help="Question a CQC children's safeguarding (CLAS) review as a graph. "
         "Start with 'graphmodel gaps'.")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Backend(StrEnum):
    networkx = "networkx"
    neo4j = "neo4j"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"graphmodel {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")]
        = False) -> None:
    """Question a CQC children's safeguarding (CLAS) review as a graph. Start with
    'graphmodel gaps'."""


# --- shared options ----------------------------------------------------------------------

ModelOpt = Annotated[Optional[Path], typer.Option(
    "--model", "-m", help="Folder of an area's model files [default: the working folder if "
    "it holds area.yaml, else the bundled Sefton model].", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OrgOpt = Annotated[Optional[str], typer.Option(
    "--org", help="Any party (organisation, service, forum, team ...): its id or any name "
                  "the report uses for it.")]
BackendOpt = Annotated[Backend, typer.Option(
    "--backend", help="Where to run the query: networkx (in memory) or neo4j (a server "
                      "loaded with 'graphmodel load --neo4j', which needs no model folder). "
                      "Same output either way.")]
AreaOpt = Annotated[Optional[str], typer.Option(
    "--area", help="With --backend neo4j: the id of the area to ask the database about, "
                   "with no model folder needed [default: the model folder's area].",
    show_default=False)]
UriOpt = Annotated[Optional[str], typer.Option(
    "--uri", help="Neo4j Bolt URI [default: $NEO4J_URI, else bolt://localhost:7687].",
    show_default=False)]
UserOpt = Annotated[Optional[str], typer.Option(
    "--user", help="Neo4j user [default: $NEO4J_USER, else neo4j].", show_default=False)]
PasswordOpt = Annotated[Optional[str], typer.Option(
    "--password", help="Neo4j password [default: $NEO4J_PASSWORD].", show_default=False)]
DatabaseOpt = Annotated[Optional[str], typer.Option(
    "--database", help="Neo4j database [default: $NEO4J_DATABASE, else the server's].",
    show_default=False)]
WideOpt = Annotated[bool, typer.Option(
    "--wide", help="Tables: every column, ids included, whatever the terminal's width.")]
DraftsOpt = Annotated[bool, typer.Option(
    "--include-drafts", help="Count drafted flows not yet reviewed (drafts.yaml) as flows.")]
AllOpt = Annotated[bool, typer.Option(
    "--all", help="Every row, and every line of long texts (a long list otherwise stops "
                  "after the first rows, and cards cut long texts).")]


def user_errors(command: Callable[Params, Result]) -> Callable[Params, Result]:
    """Turn ModelError into one line per problem on stderr and a non-zero exit.

    A UsageError names the library's keyword (``org``); the line names the
    flag or argument the user typed for it instead (``--org``, ``FROM``).
    """
    @functools.wraps(command)
    def wrapper(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        try:
            return command(*args, **kwargs)
        except ModelError as exc:
            from ..text import message_line
            for problem in getattr(exc, "problems", None) or [exc]:
                _as_typed(problem, command)
                typer.echo(message_line("error: ", problem), err=True)
            raise typer.Exit(2 if isinstance(exc, UsageError) else 1) from None
    return wrapper


def _as_typed(problem: ModelError, command: Callable[..., object]) -> None:
    """Swap a UsageError's keyword ("view party:") for the flag typed ("--view party:")."""
    if not isinstance(problem, UsageError):
        return  # only a usage mistake names a keyword
    keyword, _, rest = (problem.option or "").partition(" ")
    typed = _typed_names(command).get(keyword)
    if typed:
        problem.option = f"{typed} {rest}" if rest else typed


def _typed_names(command: Callable[..., object]) -> dict[str, str]:
    """Each parameter's name -> what the user types for it: "statuses" -> "--status"."""
    names = {}
    for name, param in inspect.signature(command).parameters.items():
        for info in getattr(param.annotation, "__metadata__", ()):
            if isinstance(info, typer.models.OptionInfo):
                # With Annotated, typer reads Option's first argument (its "default") as a flag.
                decls = [info.default, *(info.param_decls or ())]
                flags = [d for d in decls if isinstance(d, str) and d.startswith("--")]
                names[name] = flags[0] if flags else "--" + name.replace("_", "-")
                # A parameter named apart from its flag (area_id for --area): the flag's word.
                names.setdefault(names[name][2:].replace("-", "_"), names[name])
            elif isinstance(info, typer.models.ArgumentInfo):
                names[name] = info.metavar or name.upper()
    return names


def connection(uri: Optional[str] = None, user: Optional[str] = None,
               password: Optional[str] = None, database: Optional[str] = None) -> "Connection":
    """Neo4j settings from the options, then the environment; checked before any use."""
    from ..neo4j.load import Connection
    return Connection.from_env(uri, user, password, database)


def open_area(model: Optional[Path], backend: Backend = Backend.networkx,
              uri: Optional[str] = None, user: Optional[str] = None,
              password: Optional[str] = None, database: Optional[str] = None,
              include_drafts: bool = False, area: Optional[str] = None) -> "Area":
    """The area to question: cached, or as a Neo4j database holds it (said on stderr)."""
    from ..api import open_area as open_
    conn = connection(uri, user, password, database) if backend == Backend.neo4j else None
    opened = open_(model, backend.value, conn, include_drafts, area)
    if opened.loaded:
        _say_version(opened, model)
    return opened


def _say_version(area: "Area", model: Optional[Path]) -> None:
    """Which version of the area the answers come from, and whether the folder differs."""
    from ..text import message_line
    echo_wrapped(f"Neo4j: {area.name}, {area.loaded.words}", err=True)
    if area.differs:
        folder = shown_path(model) if model else "the model folder"
        typer.echo(message_line("warning: ", f"{folder} is not the version Neo4j holds; the "
                                "answers are Neo4j's ('graphmodel load --neo4j' loads it)"),
                   err=True)


def emit(rows: list[dict[str, Any]], fmt: Format, columns: Optional[list[str]] = None,
         title: Optional[str] = None, wide_columns: Optional[list[str]] = None,
         show_all: bool = False, wide: bool = False, keep: Collection[str] = ()) -> None:
    """Print rows in a format: a table fitted to the terminal, or json, csv, markdown.

    ``columns`` are what a person reads, most important first; ``wide_columns``
    (ids, details) go into csv and markdown always, into a table with ``wide``.
    A long table shows its first rows unless ``show_all``. ``keep``: key columns,
    never left out nor cut (ids a user types, due dates).
    """
    from ..render.tables import render
    typer.echo(render(rows, fmt.value, columns, title, wide_columns=wide_columns,
                      limit=None if show_all else "auto", wide=wide, keep=keep), nl=False)


def echo_wrapped(text: str, indent: str = "  ", err: bool = False, first: str = "") -> None:
    """A line of prose wrapped to the terminal (COLUMNS): ``first`` before it, later lines
    indented."""
    from ..render.tables import terminal_width, wrap_lines
    from ..text import clean
    typer.echo("\n".join(wrap_lines(clean(text), terminal_width(), first, indent)), err=err)


def shown_path(path: Path) -> str:
    """A path to print: relative to the working folder when inside it (short), else whole."""
    import os
    full = Path(path).resolve()
    here = Path.cwd().resolve()
    return os.path.relpath(full, here) if full.is_relative_to(here) and full != here \
        else str(full)


def write_out(path: Path, content: str | bytes) -> None:
    """Write a file atomically and say where (a failure is one line, no partial file)."""
    from ..files import write_atomically
    written = write_atomically(path, content)
    typer.echo(str(written.resolve()), err=True)


# --- the query commands, from one table ------------------------------------------------------

@dataclass
class QueryCommand:
    """A question the CLI asks of ``api.Area`` (the method of its name): options, columns, title.

    Each option is a keyword argument of that method.
    """

    name: str
    help: str
    columns: list[str]
    title: Callable[..., str]  # (area, rows, **options) -> str
    wide: list[str] = field(default_factory=list)  # ids and details: csv, markdown, --wide
    options: list[inspect.Parameter] = field(default_factory=list)
    cards: Optional[Callable[..., str]] = None  # (rows, title, limit=) -> text: prose as cards


def _option(name: str, annotation: object, default: object = None) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
                             default=default)


def _filtered(title: str, **filters: object) -> str:
    said = [f"{k.replace('_', ' ')} {v}" for k, v in filters.items() if v not in (None, False, [])]
    return title + (f" ({'; '.join(said)})" if said else "")


QUERY_COMMANDS = [
    QueryCommand(
        "owners", "Each recommendation with its owners and the findings that cite it.",
        ["id", "text", "owners", "findings"],
        lambda area, rows, **f: _filtered(f"{area.name}: {len(rows)} recommendations", **f),
        cards=cards.render_owner_cards,
        options=[
            _option("recommendations", Annotated[Optional[list[str]], typer.Argument(
                help="Recommendation ids such as 1.5 (default: all).")]),
            _option("org", OrgOpt),
            _option("uncited", Annotated[bool, typer.Option(
                "--uncited", help="Only recommendations that no finding cites.")], False)]),
    QueryCommand(
        "coverage", "Problem findings with no recommendation, and recommendations no finding "
        "cites.", ["kind", "id", "reason", "text"],
        lambda area, rows, **f: _filtered(f"{area.name}: {len(rows)} coverage items", **f),
        wide=["section", "flows"], cards=cards.render_coverage_cards,
        options=[_option("kind", Annotated[Optional[str], typer.Option(
            "--kind", help="Only finding_without_recommendation or "
                           "recommendation_without_finding.")])]),
    QueryCommand(
        "commissioning", "Who commissions which service from which provider, with "
        "sub-contracts.",
        ["service", "provider", "commissioner", "subcontracted_from", "sites"],
        lambda area, rows, **f: _filtered(f"{area.name}: {len(rows)} commissioning links",
                                          **f),
        wide=["evidence"],
        options=[_option(n, Annotated[Optional[str], typer.Option(
            f"--{n}", help=f"Only rows with this {n} (any name or id).")])
                 for n in ("service", "commissioner", "provider")]),
    QueryCommand(
        "hotspots", "Parties ranked by the gaps they are party to and their betweenness.",
        ["name", "gaps", "flows", "betweenness", "kind", "organisation"],
        lambda area, rows, **f: f"{area.name}: {len(rows)} parties, most gaps first",
        wide=["id"]),
]


def _query_command(spec: QueryCommand) -> Callable[..., None]:
    """A typer command for one row of QUERY_COMMANDS: its options plus the shared ones."""
    def command(**kwargs: Any) -> None:  # Any: each option's own type, as typer parsed it
        common = {k: kwargs.pop(k) for k in ("model", "format", "backend", "area", "uri",
                                              "user", "password", "database", "wide",
                                              "show_all")}
        area = open_area(common["model"], common["backend"], common["uri"], common["user"],
                         common["password"], common["database"], area=common["area"])
        rows = getattr(area, spec.name)(**kwargs)
        title = spec.title(area, rows, **kwargs)
        limit = None if common["show_all"] else "auto"
        if spec.cards and common["format"] == Format.table and not common["wide"]:
            typer.echo(spec.cards(rows, title, limit=limit), nl=False)
            return
        emit(rows, common["format"], spec.columns, title, wide_columns=spec.wide,
             show_all=common["show_all"], wide=common["wide"])

    shared = [_option("model", ModelOpt), _option("format", FormatOpt, Format.table),
              _option("wide", WideOpt, False), _option("show_all", AllOpt, False),
              _option("backend", BackendOpt, Backend.networkx), _option("area", AreaOpt),
              _option("uri", UriOpt),
              _option("user", UserOpt), _option("password", PasswordOpt),
              _option("database", DatabaseOpt)]
    params = [p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD)
              if "Argument" in repr(p.annotation) else p for p in spec.options]
    setattr(command, "__signature__", inspect.Signature(params + shared))  # noqa: B010
    command.__name__ = spec.name
    command.__doc__ = spec.help
    return user_errors(command)


for _spec in QUERY_COMMANDS:
    app.command(_spec.name)(_query_command(_spec))


# --- gaps, party, path: the questions with layouts of their own ----------------------------

# The members come from the vocabulary, which mypy cannot read: hence the ignore.
Severity = StrEnum("Severity", {name: name for name in vocab.SEVERITIES})  # type: ignore[misc]


@app.command()
@user_errors
def gaps(model: ModelOpt = None, org: OrgOpt = None,
         statuses: Annotated[Optional[list[str]], typer.Option(
             "--status", help="Only these statuses (repeat for several): "
                              f"{', '.join(vocab.statuses())}.")] = None,
         loops_only: Annotated[bool, typer.Option(
             "--loops-only", help="Only broken feedback loops.")] = False,
         fail_on: Annotated[Optional[Severity], typer.Option(
             "--fail-on", help="Exit 1 if a gap this severe or worse exists.")] = None,
         assume_done: Annotated[Optional[list[str]], typer.Option(
             "--assume-done", metavar="REC", help="What would remain if these recommendations "
             "were delivered (repeat, or 1.1,1.2; 'all' for every one).")] = None,
         sensitivity: Annotated[bool, typer.Option(
             "--sensitivity", help="How sure the order is: each problem's rank range when "
             "each ranking weight moves one step either way, and the weights a place in "
             "the first ten hangs on (docs/ranking.md).")] = False,
         format: FormatOpt = Format.table, show_all: AllOpt = False,
         backend: BackendOpt = Backend.networkx, area_id: AreaOpt = None,
         uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None,
         database: DatabaseOpt = None, include_drafts: DraftsOpt = False) -> None:
    """Where information fails to pass or come back, in priority order, and who must fix it.

    Each gap shows its rank among all the area's gaps and why it is there
    (README: "How gaps are ranked"). The terminal shows the first gaps and
    says how many more; --all, or any other --format, gives every one.
    """
    from ..api import fails_on, recommendation_ids
    area = open_area(model, backend, uri, user, password, database, include_drafts, area_id)
    if sensitivity:
        rows = area.sensitivity()
        hangs = sum(1 for r in rows if r["hangs_on"])
        title = (f"{area.name}: each problem's rank when one ranking weight moves one step; "
                 f"{hangs} places in or out of the first ten hang on one weight")
        if format == Format.table:
            from ..render.cards import render_sensitivity_cards
            typer.echo(render_sensitivity_cards(rows, title, limit=None if show_all
                                                else "auto"), nl=False)
        else:
            emit(rows, format, ["rank", "best", "worst", "first_ten", "hangs_on", "statement"],
                 title=title, wide_columns=["id"], show_all=True)
        return
    rows = area.gaps(org, statuses, loops_only, assume_done=assume_done)
    done = recommendation_ids(assume_done)
    title = _filtered(f"{area.name}: {len(rows)} information-sharing gaps, in priority order",
                      org=org, status=", ".join(statuses or []) or None,
                      loops_only=loops_only and "yes",
                      after_delivering="every recommendation"
                      if any(r.lower() == "all" for r in done) else ", ".join(done) or None)
    if format == Format.table:
        from ..render.cards import render_gap_cards
        typer.echo(render_gap_cards(rows, title, limit=None if show_all else "auto"), nl=False)
    else:
        emit(rows, format, ["rank", "severity", "kind", "id", "from", "to", "passes", "status",
                            "summary", "why", "evidence", "action", "owners"], title=title,
             show_all=True)
    if fail_on and fails_on(rows, fail_on.value):
        raise typer.Exit(1)


PROFILE_COLUMNS = {  # what a person reads, and (after them) ids for csv, markdown, --wide
    "commissions": (["service", "provider", "subcontracted_from", "sites"], []),
    "provides": (["service", "commissioner", "subcontracted_from", "sites"], []),
    "flows": (["direction", "from", "to", "passes", "status", "summary"], ["flow"]),
    "gaps": (["severity", "kind", "from", "to", "status", "summary"], ["id"]),
}


def _party(name: str, model: Optional[Path], format: Format, backend: Backend,
           uri: Optional[str], user: Optional[str], password: Optional[str],
           database: Optional[str], area_id: Optional[str] = None) -> None:
    area = open_area(model, backend, uri, user, password, database, area=area_id)
    profile = area.party(name)
    if format == Format.json:
        from ..render.tables import render_json
        typer.echo(render_json(profile), nl=False)
        return
    if format == Format.table:
        from ..render.cards import render_party_cards
        typer.echo(render_party_cards(profile), nl=False)
        return
    for section, rows in profile.items():
        columns, ids = PROFILE_COLUMNS.get(section, (None, None))
        emit(rows, format, columns, title=f"{section.replace('_', ' ')}: {len(rows)}",
             wide_columns=ids, show_all=True)


@app.command()
@user_errors
def party(name: Annotated[str, typer.Argument(help="Any party: its id or any name the "
                                                  "report uses for it.")],
          model: ModelOpt = None, format: FormatOpt = Format.table,
          backend: BackendOpt = Backend.networkx, area_id: AreaOpt = None, uri: UriOpt = None,
          user: UserOpt = None, password: PasswordOpt = None,
          database: DatabaseOpt = None) -> None:
    """One party: what it is part of and holds, its flows, gaps and duties."""
    _party(name, model, format, backend, uri, user, password, database, area_id)


@app.command("org")
@user_errors
def org_profile(name: Annotated[str, typer.Argument(help="Any party: its id or any name.")],
                model: ModelOpt = None, format: FormatOpt = Format.table,
                backend: BackendOpt = Backend.networkx, area_id: AreaOpt = None,
                uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None,
                database: DatabaseOpt = None) -> None:
    """The same as 'party' (kept for scripts that use it)."""
    _party(name, model, format, backend, uri, user, password, database, area_id)


@app.command()
@user_errors
def path(source: Annotated[str, typer.Argument(metavar="FROM",
                                               help="From: a party's id or name.")],
         target: Annotated[str, typer.Argument(metavar="TO", help="To: a party's id or name.")],
         model: ModelOpt = None, format: FormatOpt = Format.table,
         backend: BackendOpt = Backend.networkx, area_id: AreaOpt = None, uri: UriOpt = None,
         user: UserOpt = None, password: PasswordOpt = None,
         database: DatabaseOpt = None) -> None:
    """How information can travel between two parties, and where the routes break."""
    area = open_area(model, backend, uri, user, password, database, area=area_id)
    rows = area.path(source, target)
    a, b = area.resolve(source, "source"), area.resolve(target, "target")
    title = (f"{area.name}: {len(rows)} route{'' if len(rows) == 1 else 's'} from "
             f"{area.graph.nodes[a]['name']} to {area.graph.nodes[b]['name']}, shortest first")
    if format == Format.table:
        from ..render.cards import render_path_cards
        typer.echo(render_path_cards(rows, title), nl=False)
        return
    if format != Format.json:  # a route reads best as one line of arrows
        rows = [_path_words(r) for r in rows]
    emit(rows, format, ["route", "works", "breaks_at", "flows", "statuses", "stands_for",
                        "answers"], title=title, show_all=True)


def _path_words(row: dict) -> dict:
    """A route for csv and markdown: its parties, insiders and answers as words."""
    answers = [f"{a['flow']}: " + (f"{a['answer']} ({a['status']})" if a["answer"]
                                    else "no answer modelled") for a in row["answers"]]
    return {**row, "route": " \u2192 ".join(p["name"] for p in row["route"]),
            "stands_for": "; ".join(s["how"] for s in row["stands_for"]),
            "answers": "; ".join(answers)}


# --- the model itself ------------------------------------------------------------------------

@app.command()
@user_errors
def validate(model: ModelOpt = None,
             strict: Annotated[bool, typer.Option(
                 "--strict", help="Fail (exit 1) on codebook warnings too.")] = False) -> None:
    """Check a model: schema, ids, references, quotes, and the codebook's rules."""
    from ..api import validate as check
    from ..text import message_line
    v = check(model, strict)
    for warning in v.warnings:
        typer.echo(message_line("warning: ", warning), err=True)
    echo_wrapped(f"{v.area}: model is valid ({shown_path(v.folder)})")
    for section, count in v.parties.items():
        typer.echo(f"  {section:<15} {count}")
    detail = ", ".join(f"{s} {n}" for s, n in v.flows.items())
    echo_wrapped(f"{sum(v.flows.values())}" + (f" ({detail})" if detail else ""), " " * 18,
                 first=f"  {'flows':<15} ")
    echo_wrapped(f"{v.findings} ({v.recommendation_links} recommendation links, "
                 f"{v.public_health} referred to public health)", " " * 18,
                 first=f"  {'findings':<15} ")
    typer.echo(f"  {'recommendations':<15} {v.recommendations} in {v.groups} groups")
    if v.drafts:
        typer.echo(f"  {'drafts':<15} {v.drafts} to review")
    if v.problems:
        typer.echo(f"  {'warnings':<15} {v.problems} (the codebook's rules: "
                   "docs/modelling.md)")
    if not v.passed:
        raise typer.Exit(1)


@app.command()
@user_errors
def extract(report: Annotated[Path, typer.Argument(
                help="A CLAS review: its PDF, or its text.")],
            format: Annotated[str, typer.Option("--format", "-f",
                                                help="yaml or json.")] = "yaml",
            out: Annotated[Optional[Path], typer.Option(
                "--out", "-o", help="Write to this file instead of standard output.")] = None
            ) -> None:
    """Extract findings, recommendations and next steps from a report (PDF or text)."""
    import json

    from ..api import extract as extract_file
    from ..model.report import extraction_yaml
    from ..text import message_line
    if format not in ("yaml", "json"):
        raise UsageError(f"--format {format!r}: choose yaml or json")
    extraction = extract_file(report)
    for warning in extraction.warnings:
        typer.echo(message_line("warning: ", warning), err=True)
    if format == "json":
        text = json.dumps(extraction.to_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = extraction_yaml(extraction, report.name)
    if out:
        write_out(out, text)
    else:
        typer.echo(text, nl=False)


@app.command()
@user_errors
def schema() -> None:
    """Print the JSON Schema of the model files (for editors)."""
    import json

    from ..model.schema import model_json_schema
    typer.echo(json.dumps(model_json_schema(), indent=2, ensure_ascii=False))


# --- Neo4j (maps and exports: cli_draw) ----------------------------------------------------------

@app.command()
@user_errors
def load(neo4j: Annotated[bool, typer.Option(
             "--neo4j", help="Load into Neo4j (the only target so far).")] = False,
         model: ModelOpt = None, uri: UriOpt = None, user: UserOpt = None,
         password: PasswordOpt = None, database: DatabaseOpt = None,
         replace: Annotated[bool, typer.Option(
             "--replace", hidden=True, help="Kept for scripts: every load replaces what "
                                            "the area held.")] = False) -> None:
    """Load the model into Neo4j, replacing that area's earlier version in one transaction.

    Other areas in the database are left as they are. Questions can then be
    asked of the database with no model folder: --backend neo4j --area ID.
    """
    if not neo4j:
        raise UsageError("say where to load: --neo4j")
    conn = connection(uri, user, password, database)
    area = open_area(model)
    loaded = area.load_neo4j(conn)
    done = loaded.report
    before = (f"replacing the version loaded {done.previous_loaded_at.replace('T', ' ')[:16]}"
              " UTC" if done.previous_loaded_at else "new in the database")
    echo_wrapped(f"{area.name}: {done.nodes} nodes and {done.relationships} relationships "
                 f"in area {done.area!r}", "    ")
    echo_wrapped(f"at {loaded.uri} ({before})", "    ", first="  ")
    typer.echo(f"  version {done.fingerprint[:8]}; the write transaction took "
               f"{done.seconds:.2f} s")
    typer.echo(f"  {loaded.planned} queries planned in {loaded.plan_seconds:.2f} s")


def main() -> None:
    """Console-script entry point.

    Standard output that cannot be written (``> /dev/full``, a closed pipe) is
    one line on stderr and exit 1, not a traceback: the output is flushed here,
    inside the guard, rather than at exit. A terminal whose encoding lacks a
    character shows it escaped.
    """
    for stream in (sys.stdout, sys.stderr):  # a latin-1 or cp1252 terminal gets \u2192, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    sys.stdout, sys.stderr = _Neutralised(sys.stdout), _Neutralised(sys.stderr)
    try:
        try:
            app(prog_name="graphmodel")
        finally:
            sys.stdout.flush()
    except OSError as exc:
        _output_failed(exc)


class _Neutralised:
    """A text stream that escapes control characters on their way out (``text.terminal_safe``).

    Why here: whatever prints (a title, a confirmation, a path, click's own
    messages), no escape sequence from a model reaches the terminal raw.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from ..text import terminal_safe
        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # Any: whatever the stream holds
        return getattr(self._stream, name)


def _output_failed(exc: OSError) -> None:
    import contextlib
    import errno
    import os
    with contextlib.suppress(OSError, ValueError):  # what is still buffered must not fail
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # again at exit
    if exc.errno != errno.EPIPE:  # a reader that stopped early (| head) is no error
        sys.stderr.write(f"error: cannot write the output: {exc.strerror or exc}\n")
    sys.exit(1)


if __name__ == "__main__":
    main()
