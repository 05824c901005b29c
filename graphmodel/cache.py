"""A cache of built graphs, keyed by the bytes of the model and of this code.

Why: checking every quote against the report and validating with pydantic
takes about a second; a question such as ``graphmodel gaps`` must feel
instant. Any change to a model file or to graphmodel's code changes the key,
so a stale graph is never used. The cache is only ever written after a model
passed every check; a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError
from .names import NameIndex
from .paths import cache_dir


@dataclass
class GraphInfo:
    """What the CLI needs of a model besides its graph."""

    area_name: str
    names: NameIndex
    kinds: dict[str, str]  # party id -> kind
    recommendations: list[str]


def fingerprint(folder: Path) -> str:
    """A key over the model folder's files and graphmodel's own source."""
    if not folder.is_dir():
        raise ModelError("model folder not found (give --model a folder of "
                         "model YAML files)", file=str(folder))
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parent
    for path in [*sorted(code.glob("*.py")), *sorted(folder.iterdir())]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def load(key: str):
    """(info, graph) from the cache, or None."""
    try:
        with open(cache_dir() / f"{key}.pickle", "rb") as fh:
            return pickle.load(fh)
    except Exception:  # a missing, partial or foreign file: rebuild instead
        return None


def save(key: str, info: GraphInfo, graph) -> None:
    """Store (info, graph) atomically; silently skip if the cache is not writable."""
    import tempfile
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((info, graph), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{key}.pickle")
    except OSError:
        pass
