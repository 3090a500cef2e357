"""Reading and writing inside one folder, and nowhere else.

Every command is given a folder: a checkout to build, a package or a file's folder to
validate, two packages to compare. Whatever that folder holds (a committed symbolic
link, a path with ``..`` or a NUL byte, a FIFO or a device file), a command reads and
writes only inside it. These functions are the one place that rule is kept:

- :func:`relative_parts` refuses a path that could leave the folder before it is used;
- :func:`readable` gives the file a path names if it is a regular file inside the
  folder (a link is followed only when it stays inside; a FIFO or device is refused,
  so nothing can hang on it);
- :func:`open_regular` opens such a file without blocking on a FIFO that appeared since;
- :func:`writable` and :func:`write_atomic` write only through real folders (no link
  anywhere on the way, so a committed ``docs -> /etc`` cannot redirect a write) and
  replace a file by renaming a complete copy over it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO


class PublishFailed(Exception):
    """The file system refused a step of publishing; the message says what state the outputs are in.

    Defined here, beside the other file-system failures, so that the command line can name it
    without importing the build (and with it the models)."""


class UnsafePath(Exception):
    """A path that would read or write outside its folder, or a file that is not a regular file."""


class TooLarge(Exception):
    """A file larger than the limit for what it is (see ``limits``)."""


def relative_parts(relative: str | PurePosixPath) -> tuple[str, ...]:
    """The parts of a relative path that stays inside its folder; ``UnsafePath`` says why another does not."""
    text = str(relative)
    if not text:
        raise UnsafePath("the path is empty")
    if "\x00" in text:
        raise UnsafePath("the path contains a NUL character")
    if "://" in text:
        raise UnsafePath("the path is a URL; only files inside the folder are read")
    normal = text.replace("\\", "/")
    parts = PurePosixPath(normal).parts
    if normal.startswith("/") or (parts and ":" in parts[0]):
        raise UnsafePath("the path is absolute: it points outside the folder")
    if ".." in parts:
        raise UnsafePath("the path uses '..' to point outside the folder")
    parts = tuple(p for p in parts if p != ".")
    if not parts:
        raise UnsafePath("the path names the folder itself, not a file in it")
    return parts


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def readable(base: Path, path: Path) -> Path:
    """``path`` (inside ``base``), resolved, if it is a regular file there; else ``UnsafePath``.

    A symbolic link is followed only while it stays inside ``base``. A path that does not
    exist raises ``FileNotFoundError`` (a missing file is not a safety problem).
    """
    try:
        real_base = base.resolve(strict=True)
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise
    except (OSError, RuntimeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "a link loop"
        raise UnsafePath(f"cannot be resolved ({why})") from None
    if not real.is_relative_to(real_base):
        raise UnsafePath("is a link that leads outside its folder")
    mode = os.stat(real).st_mode
    if not stat.S_ISREG(mode):
        raise UnsafePath(f"is {_kind(mode)}, not a regular file")
    return real


def readable_in(base: Path, relative: str | PurePosixPath) -> Path:
    """The regular file ``relative`` names inside ``base`` (see :func:`relative_parts` and :func:`readable`)."""
    return readable(base, base.joinpath(*relative_parts(relative)))


@contextlib.contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """Open a file for reading, refusing anything but a regular file (a FIFO would block for ever)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise UnsafePath(f"{path} is {_kind(mode)}, not a regular file")
        os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def read_bytes(path: Path, limit: int) -> bytes:
    """A regular file's bytes, refusing (``TooLarge``) one larger than ``limit``."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{path} is larger than {limit} bytes")
    return data


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def writable(root: Path, relative: str | PurePosixPath) -> Path:
    """Where ``relative`` is inside ``root``, if a write there cannot leave ``root``.

    Every existing part of the way must be a real folder (not a link), and the last part,
    if it exists, a regular file or a real folder. ``root`` itself is taken as given.
    """
    parts = relative_parts(relative)
    current = root
    for index, part in enumerate(parts):
        current = current / part
        info = _lstat(current)
        if info is None:
            return root.joinpath(*parts)
        shown = "/".join(parts[: index + 1])
        if stat.S_ISLNK(info.st_mode):
            raise UnsafePath(f"{shown} is a symbolic link; remove it (nothing is written through a link)")
        last = index == len(parts) - 1
        if not stat.S_ISDIR(info.st_mode) and not (last and stat.S_ISREG(info.st_mode)):
            raise UnsafePath(f"{shown} is {_kind(info.st_mode)}; expected a folder or a regular file")
    return current


def make_dirs(root: Path, relative: str | PurePosixPath) -> Path:
    """Create the folder ``relative`` inside ``root`` (and its parents), never through a link."""
    parts = relative_parts(relative)
    current = root
    for index in range(len(parts)):
        current = writable(root, PurePosixPath(*parts[: index + 1]))
        if _lstat(current) is None:
            with contextlib.suppress(FileExistsError):
                os.mkdir(current)
            writable(root, PurePosixPath(*parts[: index + 1]))  # another process may have put a link there
        elif not current.is_dir():
            raise UnsafePath(f"{'/'.join(parts[: index + 1])} is a file; expected a folder")
    return current


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (renames, new files) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems cannot sync a folder; the data itself is synced
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def write_new(path: Path, content: bytes, mode: int = 0o644) -> None:
    """Write a file that must not exist yet (no link is followed), and flush it to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomic(root: Path, relative: str | PurePosixPath, content: bytes, mode: int = 0o644) -> Path:
    """Replace the file ``relative`` inside ``root`` with ``content``, all at once.

    A complete copy is written beside it and renamed over it: a reader sees the old file or
    the new one, and a link at that path is replaced, never written through.
    """
    target = writable(root, relative)
    folders = relative_parts(relative)[:-1]
    parent = make_dirs(root, PurePosixPath(*folders)) if folders else root
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_dir(parent)
    return target


def describe_os_error(exc: OSError) -> str:
    """An operating-system error in words, with the path it concerns."""
    reason = exc.strerror or str(exc)
    where = exc.filename
    return f"{reason}: {where}" if where else reason
