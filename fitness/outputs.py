"""Writing output files safely: only regular files (or ``-``, stdout), several files as one set.

Every file fitness writes (``--output``, ``--format NAME=FILE``, ``report -o``, the baseline, ADR records
and their index) goes through here:

- **Only regular files.** An existing FIFO, device node, socket or folder at the target is refused
  before anything is written (a device is never replaced by a file, a FIFO never blocks the run). The
  null device is the one exception: ``-o /dev/null`` (a common idiom for "the exit code only") is
  accepted, and that output is simply not written.
  An existing symlink is refused too, unless ``follow_symlinks``: then the file it points to is
  replaced (it must be a regular file or missing) and the link stays.
- **All or none.** ``write_set`` writes each file to a temporary file in its target's folder, and renames
  them into place only when all are complete. SIGINT and SIGTERM are held back during the renames, so
  an interrupted run never leaves one output new and another old; an interruption or an error before
  that removes the temporary files. A run killed with SIGKILL leaves its temporary files
  (``.NAME.PID.fitness-tmp``): the next write to the same target removes them once that process is gone.

No project imports besides the model's error type: the CLI and ``fitness.adr`` both use it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from fitness.model.errors import FitnessError
from fitness.model.file_kinds import describe

STDOUT = "-"
TEMP_SUFFIX = ".fitness-tmp"
FOLLOW_HINT = "--follow-symlinks"

_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s)


def is_stdout(path: Path | str | None) -> bool:
    """Whether ``path`` is ``-``: standard output rather than a file."""
    return path is not None and str(path) == STDOUT


def target_of(path: Path, follow_symlinks: bool = False) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or with ``follow_symlinks`` the file its
    symlink points to. FitnessError (``path: is a FIFO (named pipe) ...``) when that is not a regular
    file or a missing one."""
    seen: set[str] = set()
    current = path
    while True:
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return current
        except OSError as error:
            raise FitnessError(f"cannot write: {error.strerror or error}", str(path)) from error
        if stat.S_ISLNK(info.st_mode):
            if not follow_symlinks:
                raise FitnessError(
                    f"is a symbolic link (to {os.readlink(current)}); not written through it "
                    f"(use {FOLLOW_HINT} to replace the file it points to)",
                    str(path),
                )
            if str(current) in seen or len(seen) > 40:
                raise FitnessError("is a symbolic link loop; not written", str(path))
            seen.add(str(current))
            current = Path(os.path.join(os.path.dirname(current), os.readlink(current)))
            continue
        if not stat.S_ISREG(info.st_mode) and not _null_device(info):
            shown = str(path) if current == path else f"{path} (-> {current})"
            raise FitnessError(f"is {describe(info.st_mode)}, not a regular file; not written", shown)
        return current


def is_null_device(path: Path) -> bool:
    """Whether ``path`` is the null device (``/dev/null``, or a node of the same device): a write there
    is discarded, so nothing is written at all (replacing it with a file is what must never happen)."""
    try:
        return _null_device(os.lstat(path))
    except OSError:
        return False


def _null_device(info: os.stat_result) -> bool:
    if not stat.S_ISCHR(info.st_mode):
        return False
    try:
        null = os.stat(os.devnull)
    except OSError:
        return False
    return stat.S_ISCHR(null.st_mode) and info.st_rdev == null.st_rdev


def write_text(path: Path, text: str, follow_symlinks: bool = False) -> None:
    """Write one file safely (``write_set`` of one)."""
    write_set([(path, text)], follow_symlinks)


def write_set(files: list[tuple[Path, str]], follow_symlinks: bool = False) -> None:
    """Write every file or none (see the module docstring). ``-`` as a path writes to stdout, after the
    files are in place. Missing folders are created. FitnessError names the file that failed."""
    to_stdout = [text for path, text in files if is_stdout(path)]
    targets = [(path, target_of(path, follow_symlinks), text) for path, text in files if not is_stdout(path)]
    targets = [(path, target, text) for path, target, text in targets if not is_null_device(target)]
    if targets:
        with _cleanup_on_signals():
            _write_files(targets)
    for text in to_stdout:
        sys.stdout.write(text)


def create_new(path: Path, text: str) -> None:
    """Create ``path`` exclusively (O_CREAT|O_EXCL: never an existing file, never through a symlink)."""
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except FileExistsError as error:
        raise FitnessError("already exists; not overwritten", str(path)) from error
    except OSError as error:
        raise FitnessError(f"cannot write: {error.strerror or error}", str(path)) from error


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` resolves (symlinks followed) to ``root`` or below it."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def _write_files(targets: list[tuple[Path, Path, str]]) -> None:
    staged: list[tuple[str, Path, Path]] = []
    current = targets[0][0]
    try:
        for current, target, text in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            _remove_stale(target)
            mode = _mode_for(target)
            handle, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f"{_temp_prefix(target)}{os.getpid()}.", suffix=TEMP_SUFFIX
            )
            staged.append((temporary, current, target))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            os.chmod(temporary, mode)  # mkstemp makes files only the owner can read
        with _signals_held():
            for temporary, shown, target in staged:
                current = shown
                target_of(target)  # still a regular file (or missing): never rename over a device
                os.replace(temporary, target)
        staged.clear()
    except OSError as error:
        raise FitnessError(f"cannot write: {error.strerror or error}", str(current)) from error
    finally:
        for temporary, _, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _mode_for(target: Path) -> int:
    """The target's permissions when it exists, else what the umask allows for a new file."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _temp_prefix(target: Path) -> str:
    """``.NAME.``, the name cut so that the temporary file's name stays within 255 bytes."""
    return f".{target.name[:100]}."


def _remove_stale(target: Path) -> None:
    """Remove temporary files of earlier writes to ``target`` whose process is gone (killed by SIGKILL)."""
    prefix = _temp_prefix(target)
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and n.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(target.parent / name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


class _Interrupted(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise here, so the ``finally`` of the write removes the temporary files; the
    signal is then delivered again with the handler the process had before (Ctrl-C: exit 130)."""
    if not _main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    previous = {signum: handler for signum, handler in previous.items() if handler is not signal.SIG_IGN}

    def interrupted(signum: int, frame: FrameType | None) -> None:
        raise _Interrupted(signum)

    for signum in previous:
        signal.signal(signum, interrupted)
    try:
        yield
    except _Interrupted as caught:
        _restore(previous)
        signal.raise_signal(caught.signum)
        raise SystemExit(128 + caught.signum) from None  # only when the old handler returned
    finally:
        _restore(previous)


def _restore(previous: dict[int, signal._HANDLER]) -> None:
    for signum, handler in previous.items():
        if handler is not None:  # None: set outside Python; leave it
            signal.signal(signum, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Block SIGINT and SIGTERM while the files are renamed: the set lands whole, then the signal comes."""
    if not _main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
