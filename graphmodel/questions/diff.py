"""What changed between two versions of an area's model: the follow-up after a re-inspection.

One flat list of rows (change, what, id, name, old, new), so every output
format shows it: parties and flows added or removed, flows whose status got
better or worse (``vocab.STATUSES`` lists them best first), gaps and broken
loops closed, better, worse or new, and recommendations added, dropped or reworded.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Protocol

import networkx as nx

from .. import vocab
from ..errors import UsageError
from .graph import nodes_of, number


class AreaVersion(Protocol):
    """What a diff reads of an area (an ``api.Area``, which sits in a layer above)."""

    @property
    def graph(self) -> nx.MultiDiGraph: ...

    def gaps(self) -> list[dict]: ...

CHANGES = ("added", "removed", "renamed", "better", "worse", "closed", "new",
           "reworded", "dropped")


def _row(change: str, what: str, item_id: str, name: str, old: object = None,
         new: object = None) -> dict:
    return {"change": change, "what": what, "id": item_id, "name": name, "old": old, "new": new}


def _parties(G: nx.MultiDiGraph) -> dict[str, dict]:
    return {n: d for n, d in G.nodes(data=True) if d.get("kind") in vocab.PARTY_KINDS}


def party_changes(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> list[dict]:
    a, b = _parties(old), _parties(new)
    rows = [_row("added", d["kind"], p, d["name"]) for p, d in b.items() if p not in a]
    rows += [_row("removed", d["kind"], p, d["name"]) for p, d in a.items() if p not in b]
    rows += [_row("renamed", b[p]["kind"], p, b[p]["name"], a[p]["name"], b[p]["name"])
             for p in a.keys() & b.keys() if a[p]["name"] != b[p]["name"]]
    return rows


def flow_changes(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> list[dict]:
    a, b = set(nodes_of(old, "flow")), set(nodes_of(new, "flow"))
    order = list(vocab.STATUSES)
    rows = [_row("added", "flow", f, new.nodes[f]["name"], None, new.nodes[f]["status"])
            for f in nodes_of(new, "flow") if f not in a]
    rows += [_row("removed", "flow", f, old.nodes[f]["name"], old.nodes[f]["status"], None)
             for f in nodes_of(old, "flow") if f not in b]
    for f in nodes_of(new, "flow"):
        if f not in a:
            continue
        was, now = old.nodes[f]["status"], new.nodes[f]["status"]
        if was != now:
            change = "better" if order.index(now) < order.index(was) else "worse"
            rows.append(_row(change, "flow", f, new.nodes[f]["name"], was, now))
    return rows


def gap_changes(old_gaps: list[dict], new_gaps: list[dict]) -> list[dict]:
    """Gaps and loops closed, better, worse or new, matched by their flows, not their ids.

    Why by flows: a gap's id lists the flows grouped into it, and grouping
    follows status. When one of two absent flows becomes delayed, the old
    gap's id disappears and two new ids appear: that is one gap better, not
    a gap closed and two opened. A new gap that shares a flow with an old one
    is that gap changed; only a gap that shares none is new, and only an old
    gap none of whose flows is still in a gap is closed.
    """
    def flows(g: dict) -> set[str]:
        return {leg["flow"] for leg in g["legs"] if leg["flow"]} or {g["id"]}

    def what(g: dict) -> str:
        return "broken loop" if g["kind"] == "broken_loop" else "gap"

    still = set().union(*(flows(g) for g in new_gaps))
    rows = [_row("closed", what(g), g["id"], g["summary"], _state(g), None)
            for g in old_gaps if not flows(g) & still]
    for g in new_gaps:
        before = [o for o in old_gaps if flows(o) & flows(g)]
        if not before:
            rows.append(_row("new", what(g), g["id"], g["summary"], None, _state(g)))
            continue
        best, worst = max(before, key=_badness), min(before, key=_badness)
        if _badness(g) < _badness(best):  # some of its flows were in a lesser gap
            rows.append(_row("worse", what(g), g["id"], g["summary"], _state(best), _state(g)))
        elif _badness(g) > _badness(worst):
            rows.append(_row("better", what(g), g["id"], g["summary"], _state(worst),
                             _state(g)))
    return rows


def _failing(gap: dict) -> list[str]:
    """The statuses of a problem's failing legs, worst first."""
    order = list(vocab.STATUSES)
    return sorted((leg["status"] for leg in gap["legs"] if leg["status"] != vocab.WORKING),
                  key=order.index, reverse=True)


def _state(gap: dict) -> str:
    """"high (absent)", or "high (absent 2, delayed)" for a problem of several legs."""
    counts: dict[str, int] = {}
    for status in _failing(gap) or [gap["status"]]:
        counts[status] = counts.get(status, 0) + 1
    said = ", ".join(s + (f" {n}" if n > 1 else "") for s, n in counts.items())
    return f"{gap['severity']} ({said})"


def _badness(gap: dict) -> tuple:
    """Smaller is worse: the severity (critical is 0), then the worst status, then how many
    legs do not pass at all, then how many fail: one leg of three mended is better."""
    failing = _failing(gap)
    return (vocab.severity_rank(gap["severity"]), -list(vocab.STATUSES).index(gap["status"]),
            -sum(not vocab.STATUSES[s].happens for s in failing), -len(failing))


def recommendation_changes(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> list[dict]:
    a = {number(r): old.nodes[r]["text"] for r in nodes_of(old, "recommendation")}
    b = {number(r): new.nodes[r]["text"] for r in nodes_of(new, "recommendation")}
    rows = [_row("added", "recommendation", r, t) for r, t in b.items() if r not in a]
    rows += [_row("dropped", "recommendation", r, t) for r, t in a.items() if r not in b]
    rows += [_row("reworded", "recommendation", r, b[r], a[r], b[r])
             for r in b if r in a and a[r] != b[r]]
    return rows


def diff_areas(old: AreaVersion, new: AreaVersion) -> list[dict]:
    """Every change from one version of an area (an ``api.Area``) to another."""
    return (party_changes(old.graph, new.graph) + flow_changes(old.graph, new.graph)
            + gap_changes(old.gaps(), new.gaps())
            + recommendation_changes(old.graph, new.graph))


MAX_REVISION_BYTES = 256 * 1024 * 1024  # every file of the folder at a revision, together
MAX_REVISION_FILES = 10_000


def folder_at_revision(folder: Path, rev: str, into: Path) -> Path:
    """The model folder as it was at a git revision, copied under ``into``.

    Why this way: the revision is checked by ``git rev-parse --verify
    --end-of-options`` (a value starting with ``-`` would be an option, and
    ``--output=flows.yaml`` once emptied a model file), then each file is read
    as a blob (``git cat-file``) into the scratch folder: git writes nothing
    in the repository, and no file or folder larger than the limits is read.
    """
    from ..files import MAX_FILE_BYTES
    if not rev or rev.startswith("-") or "\0" in rev:
        raise UsageError(f"--rev {rev!r}: not a revision (a commit, tag or branch name)")
    folder = folder.resolve()
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    rel = folder.relative_to(top).as_posix()
    commit = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options",
                  f"{rev}^{{commit}}", what=f"--rev {rev!r}: no such commit").decode().strip()
    listing = _git(top, "ls-tree", "-r", "-z", "--long", commit, "--", rel or ".")
    entries = [_tree_entry(line, rev) for line in listing.split(b"\0") if line]
    if len(entries) > MAX_REVISION_FILES:
        raise UsageError(f"--rev {rev!r}: {rel} holds {len(entries):,} files at that "
                         f"revision, more than the limit of {MAX_REVISION_FILES:,}")
    total = 0
    for _oid, size, name in entries:
        if size > MAX_FILE_BYTES:
            raise UsageError(f"--rev {rev!r}: {name} is {size:,} bytes, more than the limit "
                             f"of {MAX_FILE_BYTES:,}")
        total += size
    if total > MAX_REVISION_BYTES:
        raise UsageError(f"--rev {rev!r}: the folder holds {total:,} bytes, more than the "
                         f"limit of {MAX_REVISION_BYTES:,}")
    for oid, _size, name in entries:
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        (into / name).write_bytes(_git(top, "cat-file", "blob", oid))
    old = into / rel
    if not old.is_dir():
        raise UsageError(f"--rev {rev}: {rel} is not in that revision")
    return old


def _tree_entry(line: bytes, rev: str) -> tuple[str, int, str]:
    """(object id, size, path) from one line of ``git ls-tree --long -z``."""
    head, _, name = line.partition(b"\t")
    mode, kind, oid, size = head.split()
    path = name.decode("utf-8", "surrogateescape")
    if kind != b"blob" or mode not in (b"100644", b"100755"):
        what = "link" if mode == b"120000" else kind.decode()
        raise UsageError(f"--rev {rev!r}: {path} is a {what} in that revision; diff reads "
                         "only plain files")
    if path.startswith("/") or ".." in Path(path).parts:
        raise UsageError(f"--rev {rev!r}: {path} is not a path inside the repository")
    return oid.decode(), int(size), path


def _git(cwd: Path, *args: str, what: str | None = None) -> bytes:
    """Run git with no pager, prompts, hooks or config of the repository's own making."""
    import os
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0",
           "GIT_PAGER": "cat", "GIT_CONFIG_NOSYSTEM": "1"}
    try:
        done = subprocess.run(["git", "--no-pager", *args], cwd=cwd, capture_output=True,
                              timeout=120, env=env, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise UsageError("--rev needs git, which is not installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} took more than 120 s") from None
    if done.returncode != 0:
        if what:
            raise UsageError(what)
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return done.stdout
