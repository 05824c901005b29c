"""Reading and writing files safely: only regular files in, never half a file out.

Why here: the report, the model files, the cache and every ``--out`` go
through these two helpers, so a pipe, a device, a folder, a missing parent or
a full disk gives the same kind of one-line error everywhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import ModelError

_NOT_REGULAR = "is not a regular file (a pipe, device or socket); give a plain {what}"
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
        if exc.errno == errno.ENXIO:  # a socket: it cannot be opened at all
            raise ModelError(_NOT_REGULAR.format(what=what), file=label) from None
        raise ModelError(f"cannot read {what}: {exc.strerror or exc}", file=label) from None
    try:
        _check_opened(os.fstat(fd), label, limit, what)  # before fdopen: it refuses folders
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise ModelError(f"cannot read {what}: {exc.strerror or exc}", file=label) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ModelError(f"is more than the limit of {limit:,} bytes", file=label)
    return data


def _check_opened(info: os.stat_result, label: str, limit: int, what: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ModelError(f"is a folder, not a {what}", file=label)
    if not stat.S_ISREG(info.st_mode):
        raise ModelError(_NOT_REGULAR.format(what=what), file=label)
    if info.st_size > limit:
        raise ModelError(f"is {info.st_size:,} bytes, more than the limit of {limit:,}",
                         file=label)


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


def write_atomically(path, content: str | bytes | Iterable[bytes],
                     mode: int | None = None) -> Path:
    """Write through a temporary file beside ``path`` and rename it into place.

    Any failure (a missing folder, a folder in the way, a path through a file,
    a device, no permission, a full disk) is a ModelError naming the path, and
    nothing is left behind: not half a file, not the temporary one. The folder
    must exist: a mistyped ``--out`` makes no folders. A device, pipe or socket
    is refused, never replaced (``--out /dev/null`` as root would otherwise put
    a plain file in its place). ``mode`` defaults to what the umask allows for
    a new file (mkstemp's 0600 is for secrets).
    """
    import tempfile

    path = Path(path)
    label = str(path)
    _check_target(path, label)
    parent = path.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name[:50]}.", suffix=".tmp")
    except FileNotFoundError:  # the folder is there but makes no files (/proc, /sys)
        raise ModelError(f"cannot write: folder {parent} does not take new files",
                         file=label) from None
    except OSError as exc:
        raise ModelError(f"cannot write: {exc.strerror or exc}", file=label) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(content, (str, bytes)):
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            else:  # parts: a large file need not be one string in memory
                for part in content:
                    fh.write(part)
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


def check_not_installed(path, label: str | None = None) -> None:
    """Refuse to write into the installed package: an upgrade would lose what is written.

    A bundled area gets one line that says how to make a working copy of it.
    """
    from .paths import bundled_area_name, installed_package
    package = installed_package()
    if package is None:
        return
    area = bundled_area_name(path)
    label = label or str(path)
    if area is not None:
        raise ModelError(f"is the {area or 'sefton'} model bundled with graphmodel, which is "
                         "read-only (an upgrade would replace it): make a working copy "
                         f"with 'graphmodel new DIR --copy {area or 'sefton'}' and work in "
                         "DIR", file=label)
    try:
        Path(path).resolve().relative_to(package)
    except ValueError:
        return
    raise ModelError("is inside the installed graphmodel package, which is read-only (an "
                     "upgrade would replace it): write to a folder of your own", file=label)


def _check_target(path: Path, label: str) -> None:
    """Refuse what cannot become a plain file: a folder, a device, a missing folder,
    the installed package."""
    check_not_installed(path, label)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise ModelError("cannot write: part of the path is a file, not a folder",
                         file=label) from None
    except OSError as exc:  # a loop, a name too long, no permission to look
        raise ModelError(f"cannot write: {exc.strerror or exc}", file=label) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ModelError("is a folder; give a file name", file=label)
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ModelError("is not a regular file (a device, pipe or socket); give a file "
                         "name", file=label)
    parent = path.parent
    if not parent.is_dir():
        if parent.exists() or os.path.lexists(parent):
            raise ModelError(f"cannot write: {parent} is not a folder", file=label)
        raise ModelError(f"cannot write: folder {parent} not found; make it first, or give "
                         "another path", file=label)


def _unlink(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
