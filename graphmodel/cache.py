"""A cache of built graphs that holds only data, keyed by every input the model reads.

Why: checking every quote and validating with pydantic takes a tenth of a
second on one area and seconds on England; a question such as ``graphmodel
gaps`` must feel instant. Why not pickle: a pickle runs code when read, so
anyone who can write the cache folder (a shared ``GRAPHMODEL_CACHE``, a synced
home) could run code as the user. The cache is JSON, which only ever becomes
data; it is read only from a folder and file that the user owns and nobody
else can write (as ssh treats its keys), and only when its digest matches.

The key covers graphmodel's own code and every entry of the model folder,
whatever its type (anything but a regular file or a folder is an error, not a
silent skip); inputs outside the folder (a report at ``../report.txt``) are
recorded in the entry and re-checked each time it is read.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ModelError
from .files import WORK_PREFIX
from .names import NameIndex

if TYPE_CHECKING:  # networkx is heavy: only the type checker imports it here
    import networkx as nx
from .paths import cache_dir

FORMAT = b"graphmodel-cache 2"


@dataclass
class GraphInfo:
    """What the CLI needs of a model besides its graph."""

    area_name: str
    names: NameIndex
    kinds: dict[str, str]  # party id -> kind
    recommendations: list[str]
    folder: str = ""


def fingerprint(folder: Path) -> str:
    """A key over graphmodel's source and every entry of the model folder."""
    if not folder.is_dir():
        raise ModelError("model folder not found (an area is a folder of model "
                         "YAML files with area.yaml)", file=str(folder))
    digest = hashlib.sha256(_code_digest())
    for path in sorted(folder.iterdir()):
        if path.name.startswith(WORK_PREFIX):
            continue  # graphmodel's own lock and journal: not the model
        digest.update(path.name.encode() + b"\0" + _entry_bytes(path) + b"\0")
    return digest.hexdigest()[:32]


@functools.cache
def _code_digest() -> bytes:
    """A digest of graphmodel's own code, every subpackage's included, once per process.

    Why every subpackage: a change to how gaps are grouped (``questions``) changes
    every answer; why once: ``compare`` keys a hundred and fifty areas.
    """
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parent
    for path in sorted(code.rglob("*.py")):
        digest.update(str(path.relative_to(code)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def _entry_bytes(path: Path) -> bytes:
    """What a folder entry contributes to the key: a file's bytes, a folder's mark."""
    try:
        info = path.stat()  # follows symbolic links: a link counts as what it points to
    except OSError as exc:
        raise ModelError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        return b"<folder>"
    if not stat.S_ISREG(info.st_mode):
        raise ModelError("is not a regular file (a pipe, device or socket); an area "
                         "folder holds only files and folders", file=str(path))
    from .files import read_bytes
    return read_bytes(path, str(path))


def file_digest(path: Path) -> str | None:
    try:
        from .files import read_bytes
        return hashlib.sha256(read_bytes(path, str(path))).hexdigest()
    except ModelError:
        return None


def _safe_place(path: Path) -> bool:
    """The folder and file are the user's own and nobody else can write them."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    for target in (path.parent, path):
        info = os.lstat(target)
        if stat.S_ISLNK(info.st_mode):
            return False
        if uid is not None and info.st_uid != uid:
            return False
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return stat.S_ISREG(os.lstat(path).st_mode)


def load(key: str) -> tuple[GraphInfo, nx.MultiDiGraph] | None:
    """(info, graph) from the cache, or None when absent, unsafe, damaged or stale."""
    data = load_data(key)
    try:
        return None if data is None else (_info(data["info"]), _graph(data["graph"]))
    except (ValueError, KeyError, TypeError):
        return None


def load_data(key: str) -> dict | None:
    """A cached entry's data, or None when absent, unsafe, damaged or stale."""
    path = cache_dir() / f"{key}.json"
    try:
        if not _safe_place(path):
            return None
        with open(path, "rb") as fh:
            header, _, body = fh.read().partition(b"\n")
        magic, _, digest = header.rpartition(b" ")
        if magic != FORMAT or hashlib.sha256(body).hexdigest().encode() != digest:
            return None
        data = json.loads(body)
        for outside, expected in data["inputs"].items():
            if file_digest(Path(outside)) != expected:
                return None
        return data
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(key: str, info: GraphInfo, graph: nx.MultiDiGraph, inputs: dict[str, str]) -> None:
    """Store (info, graph) atomically in a private folder; skip silently if that fails."""
    save_data(key, {"info": _info_data(info), "graph": _graph_data(graph)}, inputs)


def save_data(key: str, data: dict, inputs: dict[str, str] | None = None) -> None:
    """Store JSON-ready data atomically in a private folder; skip silently if that fails.

    ``inputs``: files outside the model folder and their digests, re-checked on load.
    """
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private_folder(folder):
            return
        # ASCII: one byte a character in memory; a curly quote makes Python hold
        # the whole text at two (England's 30 MB cache would pass through 60 MB).
        body = json.dumps({**data, "inputs": inputs or {}}, ensure_ascii=True,
                          separators=(",", ":"))
        digest = hashlib.sha256()
        for part in _parts(body):
            digest.update(part)
        from .files import write_atomically
        header = FORMAT + b" " + digest.hexdigest().encode() + b"\n"
        write_atomically(folder / f"{key}.json", itertools.chain([header], _parts(body)),
                         mode=0o600)
    except (OSError, ModelError, TypeError, ValueError):
        pass


def _parts(text: str, size: int = 1 << 20) -> Iterator[bytes]:
    """ASCII text as bytes a megabyte at a time: never a second copy of all of it."""
    for start in range(0, len(text), size):
        yield text[start:start + size].encode("ascii")


def _private_folder(folder: Path) -> bool:
    info = os.lstat(folder)
    uid = os.getuid() if hasattr(os, "getuid") else None
    return (stat.S_ISDIR(info.st_mode) and (uid is None or info.st_uid == uid)
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _info_data(info: GraphInfo) -> dict:
    return {"area_name": info.area_name, "names": [info.names.ids, info.names.display],
            "kinds": info.kinds, "recommendations": info.recommendations,
            "folder": info.folder}


def _info(data: dict) -> GraphInfo:
    names = NameIndex()
    names.ids, names.display = data["names"]
    return GraphInfo(data["area_name"], names, data["kinds"], data["recommendations"],
                     data["folder"])


def _graph_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes and edges in order, plus each node's predecessors in order.

    Why the predecessors: queries list neighbours in adjacency order, and
    re-adding edges in successor order would reorder who points at whom.
    """
    return {"graph": G.graph, "nodes": list(G.nodes(data=True)),
            "edges": [[u, v, k, d] for u, v, k, d in G.edges(keys=True, data=True)],
            "pred": {v: list(us) for v, us in G.pred.items() if len(us) > 1}}


def _graph(data: dict[str, Any]) -> nx.MultiDiGraph:
    """The graph from its data, filled into networkx's own tables as ``add_edge`` fills them.

    Why not ``add_nodes_from`` and ``add_edges_from``: they copy every
    attribute dict and check every key, half of a warm start on England. The
    tables are networkx's documented layout: ``_node[n]`` holds a node's
    attributes; ``_succ[u][v]`` and ``_pred[v][u]`` are one dict of edge key ->
    attributes.
    """
    import networkx as nx
    G: nx.MultiDiGraph = nx.MultiDiGraph(**data["graph"])
    node, succ, pred = G._node, G._succ, G._pred  # type: ignore[attr-defined]
    for n, attrs in data["nodes"]:
        node[n], succ[n], pred[n] = attrs, {}, {}
    for u, v, k, d in data["edges"]:
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = {}
        keys[k] = d
    for v, order in data["pred"].items():  # predecessors in the order the model gave them
        pred[v] = {u: pred[v][u] for u in order}
    return G


def area_json(info: GraphInfo, G: nx.MultiDiGraph) -> str:
    """An area's info and graph as the cache holds them, as JSON text (without its folder).

    Why here: ``graphmodel load --neo4j`` stores this on the area's node, so
    that questions can be answered from the database with no model folder, from
    the very graph the cache would give.
    """
    data = _info_data(info)
    data.pop("folder")
    return json.dumps({"info": data, "graph": _graph_data(G)}, ensure_ascii=False,
                      separators=(",", ":"))


def area_from_data(data: dict[str, Any]) -> tuple[GraphInfo, nx.MultiDiGraph]:
    """(info, graph) from ``area_json``'s data, parsed."""
    return _info({**data["info"], "folder": ""}), _graph(data["graph"])
