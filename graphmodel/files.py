"""Reading and writing files safely: only regular files in, never half a file out.

Why here: the report, the model files, the cache and every ``--out`` go
through these two helpers, so a pipe, a device, a folder, a missing parent or
a full disk gives the same kind of one-line error everywhere.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import ModelError

MAX_FILE_BYTES = 64 * 1024 * 1024  # 64 MiB: England in one synthetic file is about 15 MiB


def read_bytes(path, label: str, limit: int = MAX_FILE_BYTES, what: str = "file") -> bytes:
    """A regular file's bytes; a pipe, device, folder, loop or oversized file is a ModelError.

    Opened without blocking and checked once open, so a file swapped for a pipe
    between a check and the read still cannot hang us.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ModelError(f"{what} not found", file=label) from None
    except IsADirectoryError:
        raise ModelError(f"is a folder, not a {what}", file=label) from None
    except OSError as exc:
        raise ModelError(f"cannot read {what}: {exc.strerror or exc}", file=label) from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise ModelError(f"is a folder, not a {what}", file=label)
        if not stat.S_ISREG(info.st_mode):
            raise ModelError(f"is not a regular file (a pipe, device or socket); give a "
                             f"plain {what}", file=label)
        if info.st_size > limit:
            raise ModelError(f"is {info.st_size:,} bytes, more than the limit of "
                             f"{limit:,}", file=label)
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise ModelError(f"cannot read {what}: {exc.strerror or exc}", file=label) from None
    if len(data) > limit:
        raise ModelError(f"is more than the limit of {limit:,} bytes", file=label)
    return data


def read_text(path, label: str, limit: int = MAX_FILE_BYTES, what: str = "file") -> str:
    """A regular file's UTF-8 text (a byte-order mark is dropped)."""
    data = read_bytes(path, label, limit, what)
    if b"\0" in data:
        raise ModelError("is not a text file (it holds NUL bytes); convert a PDF to text "
                         "first", file=label)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ModelError(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8",
                         file=label) from None


def write_atomically(path, content: str | bytes, mode: int | None = None) -> Path:
    """Write through a temporary file beside ``path`` and rename it into place.

    A missing folder is made. Any failure (a folder in the way, a path through a file,
    no permission, a full disk) is a ModelError naming the path, and nothing
    is left behind: not half a file, not the temporary one. ``mode`` defaults
    to what the umask allows for a new file (mkstemp's 0600 is for secrets).
    """
    import tempfile

    path = Path(path)
    label = str(path)
    if path.is_dir():
        raise ModelError("is a folder; give a file name", file=label)
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot make its folder: {exc.strerror or exc}", file=label) from None
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name[:50]}.", suffix=".tmp")
    except OSError as exc:
        raise ModelError(f"cannot write: {exc.strerror or exc}", file=label) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise ModelError(f"cannot write: {exc.strerror or exc}", file=label) from None
    except BaseException:
        _unlink(tmp)
        raise
    return path


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
