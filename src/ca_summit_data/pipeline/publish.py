"""Publishing: write beside, then swap in; and ``--check`` against what is committed.

The published outputs are a few entries under the project root: the ``data/`` and
``schemas/`` folders, ``datapackage.json`` and ``docs/data-dictionary.md``. A build
writes all of them into ``.publish/new/`` first; nothing under the root changes until
every file is written and flushed. Then a journal is written (the commit point) and
each entry is swapped in by rename, the old one moved to ``.publish/old/``.

If the process dies before the journal exists, the published files were never touched
and the staging folder is simply removed next time. If it dies after, the next build
(or ``ca-summit-data recover``) finishes the swap from the journal, because the new
outputs are complete. A lock file keeps two builds from publishing at once.

Nothing in ``.publish/`` is trusted: a checkout may come with one committed. The
journal may name only the entries above, the staged files must be plain files and
folders, and every write goes through ``fs``, which never follows a link: a journal
entry like ``../.bashrc`` or a committed ``docs -> /etc`` link is refused, not obeyed.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import fs
from ..export import DATA_DIR, DATAPACKAGE_PATH, DICTIONARY_PATH, SCHEMAS_DIR, Files
from ..fs import PublishFailed
from ..problems import Finding, ProblemsFound

WORK_DIR = ".publish"
ENTRIES: tuple[str, ...] = (DATA_DIR, SCHEMAS_DIR, DATAPACKAGE_PATH, DICTIONARY_PATH)
"""What a build owns and replaces as a whole. Anything else under the root is left alone."""
JOURNAL = "journal.json"
MAX_JOURNAL_BYTES = 65_536



def _entry_of(path: str) -> str:
    for entry in ENTRIES:
        if path == entry or path.startswith(entry + "/"):
            return entry
    raise ValueError(f"{path} is not under a published entry")


def _work(root: Path) -> Path:
    return fs.make_dirs(root, WORK_DIR)


@contextmanager
def publish_lock(root: Path) -> Iterator[None]:
    """Hold the project's publish lock, or fail at once with a clear message."""
    import fcntl

    work = _work(root)
    try:
        fd = os.open(work / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the lock is a link
            raise fs.UnsafePath(f"{WORK_DIR}/lock is a symbolic link; remove it") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise fs.UnsafePath(f"{WORK_DIR}/lock is not a regular file; remove it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = "another build is publishing in this folder; try again when it ends"
            raise ProblemsFound([Finding(f"{WORK_DIR}/lock", "lock", message)]) from None
        yield
    finally:
        os.close(fd)


def _journal_entries(work: Path) -> list[str] | None:
    """The entries a journal names, or None without one; a journal we did not write is refused."""
    path = work / JOURNAL
    info = os.lstat(path) if os.path.lexists(path) else None
    if info is None:
        return None
    refuse = (
        f"{WORK_DIR}/{JOURNAL} is not a journal of this tool ({{}}); nothing was moved. If no build was "
        f"interrupted here, remove the {WORK_DIR} folder and build again"
    )
    if not stat.S_ISREG(info.st_mode):
        raise fs.UnsafePath(refuse.format("it is a link or not a regular file"))
    try:
        data = json.loads(fs.read_bytes(path, MAX_JOURNAL_BYTES).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError, fs.TooLarge):
        raise fs.UnsafePath(refuse.format("it is not valid JSON of a journal's size")) from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if (
        not isinstance(entries, list)
        or not all(isinstance(e, str) and e in ENTRIES for e in entries)
        or len(set(entries)) != len(entries)
    ):
        raise fs.UnsafePath(refuse.format(f"its entries must be some of {', '.join(ENTRIES)}"))
    return entries


def _plain_tree(path: Path, shown: str) -> None:
    """Refuse a staged entry that holds anything but real folders and regular files."""
    info = os.lstat(path)
    if stat.S_ISREG(info.st_mode):
        return
    if not stat.S_ISDIR(info.st_mode):
        raise fs.UnsafePath(f"{shown} is a link or a special file; the staged outputs were not written by a build")
    for folder, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            mode = os.lstat(os.path.join(folder, name)).st_mode
            if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                raise fs.UnsafePath(f"{shown} holds a link or a special file ({name}); it was not written by a build")


def _remove(path: Path) -> None:
    """Remove a leftover of ours: a link is unlinked (never followed), a folder removed with its contents."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def recover(root: Path) -> str | None:
    """Finish or clean up an interrupted publish. Call with the lock held.

    Returns a sentence describing what was done, or None if there was nothing to do.
    """
    work = _work(root)
    new, old = work / "new", work / "old"
    done = None
    entries = _journal_entries(work)
    if entries is not None:
        if new.is_symlink() or old.is_symlink():
            raise fs.UnsafePath(f"{WORK_DIR}/new or {WORK_DIR}/old is a symbolic link; nothing was moved")
        touched = {root}
        for entry in entries:
            staged = fs.writable(new, entry)
            if not os.path.lexists(staged):
                continue
            _plain_tree(staged, f"{WORK_DIR}/new/{entry}")
            target, backup = fs.writable(root, entry), fs.writable(old, entry)
            try:
                if os.path.lexists(target) and not os.path.lexists(backup):
                    fs.make_dirs(work, os.path.dirname(f"old/{entry}"))
                    os.replace(target, backup)
                if "/" in entry:
                    fs.make_dirs(root, os.path.dirname(entry))
                os.replace(staged, target)
            except OSError as exc:
                raise PublishFailed(
                    f"the new outputs are complete and committed, but moving {entry} into place failed "
                    f"({fs.describe_os_error(exc)}); until this is finished the published files are part old, "
                    f"part new: fix the cause, then run 'ca-summit-data recover' (or build again)"
                ) from None
            touched.add(target.parent)
        for folder in sorted(touched):
            fs.fsync_dir(folder)
        (work / JOURNAL).unlink()
        fs.fsync_dir(work)
        done = "completed an interrupted publish from its journal"
    for leftover in (new, old):
        if os.path.lexists(leftover):
            _remove(leftover)
            done = done or "removed the staging files of an interrupted build"
    return done


def publish(root: Path, files: Files) -> list[str]:
    """Replace the published entries with ``files``, atomically as seen after any crash.

    Returns notes (e.g. that an earlier interrupted publish was finished first).
    """
    notes = []
    entries = sorted({_entry_of(p) for p in files} | set(ENTRIES))
    for entry in entries:  # a published entry reached through a link would be written elsewhere
        fs.writable(root, entry)
    with publish_lock(root):
        recovered = recover(root)
        if recovered:
            notes.append(recovered)
        work = _work(root)
        new = work / "new"
        try:
            os.mkdir(new)
            for relative, content in sorted(files.items()):
                parent = os.path.dirname(relative)
                target = fs.make_dirs(new, parent) / os.path.basename(relative) if parent else new / relative
                fs.write_new(target, content)
            for entry in (DATA_DIR, SCHEMAS_DIR):
                fs.make_dirs(new, entry)
            for folder in {new, *(p.parent for p in new.rglob("*") if p.is_file())}:
                fs.fsync_dir(folder)
            tmp = work / f"{JOURNAL}.tmp"
            if os.path.lexists(tmp):
                os.unlink(tmp)
            fs.write_new(tmp, json.dumps({"entries": entries}).encode())
        except OSError as exc:
            _remove(new)
            raise PublishFailed(
                f"could not stage the new outputs ({fs.describe_os_error(exc)}); nothing was published: "
                "the published files are as they were"
            ) from None
        os.replace(tmp, work / JOURNAL)
        fs.fsync_dir(work)
        recover(root)
    return notes


def _published_bytes(root: Path, relative: str) -> bytes | str:
    """The bytes of a published file, or why it cannot be compared (missing, a link, not a file)."""
    try:
        path = fs.writable(root, relative)
        with fs.open_regular(path) as handle:
            return handle.read()
    except FileNotFoundError:
        return "missing"
    except fs.UnsafePath as exc:
        return str(exc)
    except OSError as exc:
        return f"unreadable: {exc.strerror}"


def differences(root: Path, files: Files) -> list[str]:
    """Published paths that differ from ``files``: changed, missing, or not produced by the build."""
    changed = []
    for relative, content in sorted(files.items()):
        found = _published_bytes(root, relative)
        if isinstance(found, str):
            changed.append(f"{relative} ({found})")
        elif found != content:
            changed.append(f"{relative} (differs)")
    for folder in (DATA_DIR, SCHEMAS_DIR):
        base = root / folder
        if base.is_dir() and not base.is_symlink():
            for parent, _dirs, names in sorted(os.walk(base)):
                for name in sorted(names):
                    relative = Path(parent, name).relative_to(root).as_posix()
                    if relative not in files:
                        changed.append(f"{relative} (not produced by the build)")
    return changed
