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
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType

from .errors import ModelError

_NOT_REGULAR = "is not a regular file (a pipe, device or socket); give a plain {what}"
StrPath = str | Path  # a path as callers hold it
MAX_FILE_BYTES = 64 * 1024 * 1024  # 64 MiB: England in one synthetic file is about 15 MiB


def read_bytes(path: StrPath, label: str, limit: int = MAX_FILE_BYTES, what: str = "file") -> bytes:
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


def read_text(path: StrPath, label: str, limit: int = MAX_FILE_BYTES, what: str = "file") -> str:
    """A regular file's UTF-8 text (a byte-order mark is dropped)."""
    return decode_text(read_bytes(path, label, limit, what), label)


def decode_text(data: bytes, label: str) -> str:
    """Bytes as UTF-8 text (a byte-order mark dropped); a binary file is one ModelError."""
    if b"%PDF-" in data[:1024]:
        raise ModelError("is a PDF, not text: an area keeps its report as text (a new "
                         "area made from the PDF keeps the text read from it as report.txt)",
                         file=label)
    if b"\0" in data:
        raise ModelError("is not a text file (it holds NUL bytes)", file=label)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ModelError(f"is not UTF-8 text (byte {exc.start}); save it as UTF-8",
                         file=label) from None


def write_atomically(path: StrPath, content: str | bytes | Iterable[bytes],
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


def check_not_installed(path: StrPath, label: str | None = None) -> None:
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


# --- changes to an area: one writer at a time, all files or none ------------------------------
#
# Why a rollback journal (as SQLite keeps one): a command that changes two files (drafts
# accept: drafts.yaml and flows.yaml) and is killed between them would leave a draft in
# neither. The new files are staged beside their targets and the old ones kept as backups;
# a journal naming them is written; only then are the targets replaced, and the journal's
# removal is the moment the change counts. A journal still there means a change that did
# not finish: the next command that opens the area puts every file back first.

WORK_PREFIX = ".graphmodel-"  # the lock, the journal, staged files and backups
LOCK_NAME, JOURNAL_NAME = WORK_PREFIX + "lock", WORK_PREFIX + "journal"
LOCK_WAIT = 10.0  # seconds a second writer waits (GRAPHMODEL_LOCK_WAIT changes it)
_held: dict[str, int] = {}  # folders this process has locked, and how deeply


class area_lock:  # noqa: N801 - used as a statement: with area_lock(folder, "plan import")
    """Hold the area's write lock; a second writer waits briefly, then stops naming the holder.

    An ``fcntl`` lock on ``.graphmodel-lock``: the kernel drops it when its holder dies,
    so a killed command never blocks the next. The file holds the holder's process id
    and command, for the message. Re-entrant within a process. On entry any change a
    killed command left unfinished is rolled back.
    """

    def __init__(self, folder: StrPath, command: str = "graphmodel") -> None:
        self.folder, self.command = Path(folder), command
        self.key = str(self.folder.resolve())

    def __enter__(self) -> area_lock:
        if self.key in _held:
            _held[self.key] += 1
            return self
        self.fd = _acquire(self.folder, self.command)
        _held[self.key] = 1
        try:
            _recover_locked(self.folder)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        _held[self.key] -= 1
        if _held[self.key]:
            return
        del _held[self.key]
        import fcntl
        with contextlib.suppress(OSError):
            os.unlink(self.folder / LOCK_NAME)  # before the unlock: see _acquire's inode check
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _acquire(folder: Path, command: str) -> int:
    import fcntl
    import time
    path = folder / LOCK_NAME
    wait = _lock_wait()
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as exc:
            raise ModelError(f"cannot lock the area for writing: {exc.strerror or exc}",
                             file=str(folder)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise ModelError(f"another command is changing this area ({holder}); "
                                 f"waited {wait:g} s: try again when it has finished",
                                 file=str(folder)) from None
            time.sleep(0.05)
            continue
        if _same_file(fd, path):  # not a lock file its last holder had already removed
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {command}\n".encode())
            return fd
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _holder(fd: int) -> str:
    from .text import safe_line
    try:
        pid, _, command = os.pread(fd, 200, 0).decode("utf-8", "replace").strip().partition(" ")
    except OSError:
        return "its process is unknown"
    return safe_line(f"process {pid}: {command}", 200) if pid else "its process is unknown"


def _lock_wait() -> float:
    try:
        return max(0.0, float(os.environ.get("GRAPHMODEL_LOCK_WAIT", LOCK_WAIT)))
    except ValueError:
        return LOCK_WAIT


def recover(folder: StrPath) -> None:
    """Roll back a change a killed command left unfinished, before the area is read.

    Costs one ``stat`` when there is nothing to do, so every command can call it.
    """
    folder = Path(folder)
    if os.path.lexists(folder / JOURNAL_NAME):
        with area_lock(folder, "recovering an unfinished change"):
            pass  # area_lock recovers on entry


def _recover_locked(folder: Path) -> None:
    import json
    journal = folder / JOURNAL_NAME
    if os.path.lexists(journal):
        try:
            entries = json.loads(read_bytes(journal, str(journal), what="journal"))["files"]
        except (ValueError, KeyError, TypeError):
            raise ModelError("the journal of an unfinished change is damaged: check the "
                             "area's files (git diff), then delete it", file=str(journal)) \
                from None
        for entry in entries:
            where = {k: (str(folder / v) if v and not os.path.isabs(v) else v)
                     for k, v in entry.items()}  # inside the folder: kept relative to it
            _undo(Path(where["path"]), where.get("backup"), where.get("staged"))
        _fsync_folder(folder)
        os.unlink(journal)
        _fsync_folder(folder)
    _remove_leftovers(folder)


def _undo(path: Path, backup: str | None, staged: str | None) -> None:
    """Put one file back as it was: from its backup, or gone if it was new."""
    if backup and os.path.lexists(backup):
        os.replace(backup, path)
    elif not backup:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
    if staged:
        _unlink(staged)


def _remove_leftovers(folder: Path) -> None:
    """Staged files and backups of a change killed before its journal, or after its end."""
    for entry in os.scandir(folder):
        if entry.name.startswith(WORK_PREFIX) and entry.name.endswith((".new", ".old")):
            _unlink(entry.path)


def replace_files(folder: StrPath, files: Mapping[Path, str | bytes | None],
                  command: str = "graphmodel",
                  check: Callable[[], object] | None = None) -> None:
    """Replace several files of an area as one change: all of them, or none.

    ``files`` maps each path to its new content (str or bytes), or None to remove
    it. A symbolic link is written through: the file it points to changes and the
    link stays. ``check()`` runs once every file is in place; if it raises, every
    file is put back. Killed at any moment, the next command finds the area as it
    was before or as this change left it.
    """
    folder = Path(folder)
    with area_lock(folder, command):
        plan = [(_real_target(Path(p)), c) for p, c in files.items()]
        entries: list[dict] = []
        try:
            for path, content in plan:
                entries.append(_stage(path, content))
            _write_journal(folder, entries)
        except BaseException:
            for entry in entries:
                _unlink(entry["staged"] or "")
                _unlink(entry["backup"] or "")
            raise
        try:
            for entry in entries:
                _replace(entry)
            if check:
                check()
        except BaseException:
            _recover_locked(folder)
            raise
        _fault("commit")
        os.unlink(folder / JOURNAL_NAME)  # the change counts from here
        _fsync_folder(folder)
        for entry in entries:
            _unlink(entry["backup"] or "")


def _replace(entry: dict) -> None:
    _fault("replace " + entry["path"])
    try:
        if entry["staged"]:
            os.replace(entry["staged"], entry["path"])
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry["path"])
    except OSError as exc:
        raise ModelError(f"cannot write: {exc.strerror or exc}", file=entry["path"]) from None


def _real_target(path: Path) -> Path:
    """Where a write lands: through a symbolic link to its file, which must be plain or new."""
    label = str(path)
    if path.is_symlink():
        try:
            path = path.resolve(strict=False)
        except (OSError, RuntimeError) as exc:
            raise ModelError(f"cannot write through the link: {exc}", file=label) from None
    _check_target(path, label)
    return path


def _stage(path: Path, content: str | bytes | None) -> dict[str, str | None]:
    """The new content beside its target, and a backup of the old (a hard link, else a copy)."""
    staged = backup = None
    try:
        if content is not None:
            staged = str(path.with_name(f"{WORK_PREFIX}{path.name}.new"))
            _fault("stage " + str(path))
            _write_synced(staged, content.encode("utf-8") if isinstance(content, str)
                          else content, _mode_of(path))
        if os.path.lexists(path):
            backup = str(path.with_name(f"{WORK_PREFIX}{path.name}.old"))
            _unlink(backup)
            try:
                os.link(path, backup)
            except OSError:
                _write_synced(backup, read_bytes(path, str(path)), _mode_of(path))
    except OSError as exc:
        _unlink(staged or "")
        _unlink(backup or "")
        raise ModelError(f"cannot write: {exc.strerror or exc}", file=str(path)) from None
    return {"path": str(path), "staged": staged, "backup": backup}


def _mode_of(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_synced(path: str, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0),
                 mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, mode)


def _write_journal(folder: Path, entries: list[dict]) -> None:
    import json
    _fault("journal")
    tmp = str(folder / f"{JOURNAL_NAME}.new")
    base = folder.absolute()
    relative = [{k: _relative(v, base) for k, v in e.items()} for e in entries]
    body = json.dumps({"pid": os.getpid(), "files": relative}, indent=1).encode()
    try:
        _write_synced(tmp, body, 0o644)
        os.replace(tmp, folder / JOURNAL_NAME)
        for parent in {Path(e["path"]).parent for e in entries} | {folder}:
            _fsync_folder(parent)
    except OSError as exc:
        _unlink(tmp)
        raise ModelError(f"cannot write: {exc.strerror or exc}", file=str(folder)) from None


def _relative(path: str | None, base: Path) -> str | None:
    """A journal's path: relative to the area folder when inside it, so that the area
    can be recovered from any working folder, and after it is moved; else absolute."""
    if path is None:
        return None
    full = Path(os.path.abspath(path))
    return str(full.relative_to(base)) if full.parent == base else str(full)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fault(step: str) -> None:
    """Tests only: GRAPHMODEL_TEST_KILL_AT=N kills this process at its Nth step.

    Why: the fault-injection tests kill each writing command at each of its
    writes and check that nothing is lost. Unset (always, outside the tests),
    this does nothing.
    """
    at = os.environ.get("GRAPHMODEL_TEST_KILL_AT")
    if not at:
        return
    global _steps
    _steps += 1
    if str(_steps) == at:
        import signal
        os.kill(os.getpid(), signal.SIGKILL)


_steps = 0


def build_folder(target: StrPath) -> _NewFolder:
    """Make a new folder whole or not at all: built in a scratch folder beside it, then
    renamed into place (``with build_folder(path) as scratch: ...``).

    The target must be missing or an empty folder. Killed while building, the
    target is as it was; the scratch folder is removed by the next build there.
    """
    return _NewFolder(Path(target))


class _NewFolder:
    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self) -> Path:
        import glob
        import shutil
        import tempfile
        parent = self.target.parent
        prefix = f"{WORK_PREFIX}{self.target.name[:40]}."
        for old in parent.glob(f"{glob.escape(prefix)}*.new"):
            if not _alive(old.name[len(prefix):].partition(".")[0]):
                shutil.rmtree(old, ignore_errors=True)  # a build killed before its rename
        try:
            self.scratch = Path(tempfile.mkdtemp(dir=parent, prefix=f"{prefix}{os.getpid()}.",
                                                 suffix=".new"))
        except OSError as exc:
            raise ModelError(f"cannot make the folder: {exc.strerror or exc}",
                             file=str(self.target)) from None
        os.chmod(self.scratch, 0o777 & ~_umask())  # mkdtemp's 0700 is for secrets
        return self.scratch

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        import shutil
        if kind is None:
            try:
                _fault("rename " + str(self.target))
                os.replace(self.scratch, self.target)
                _fsync_folder(self.target.parent)
                return
            except OSError as error:
                shutil.rmtree(self.scratch, ignore_errors=True)
                if error.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                    raise ModelError("is no longer empty: another command wrote there; give "
                                     "a new folder", file=str(self.target)) from None
                raise ModelError(f"cannot make the folder: {error.strerror or error}",
                                 file=str(self.target)) from None
        shutil.rmtree(self.scratch, ignore_errors=True)


def _alive(pid: str) -> bool:
    """Whether the process that made a scratch folder (its id in the name) still runs."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
