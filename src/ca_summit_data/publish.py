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
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import Problem, ProblemsFound
from .export import DATA_DIR, DATAPACKAGE_PATH, DICTIONARY_PATH, SCHEMAS_DIR, Files

WORK_DIR = ".publish"
ENTRIES: tuple[str, ...] = (DATA_DIR, SCHEMAS_DIR, DATAPACKAGE_PATH, DICTIONARY_PATH)
"""What a build owns and replaces as a whole. Anything else under the root is left alone."""


def _entry_of(path: str) -> str:
    for entry in ENTRIES:
        if path == entry or path.startswith(entry + "/"):
            return entry
    raise ValueError(f"{path} is not under a published entry")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


@contextmanager
def publish_lock(root: Path) -> Iterator[None]:
    """Hold the project's publish lock, or fail at once with a clear message."""
    import fcntl

    work = root / WORK_DIR
    work.mkdir(exist_ok=True)
    with open(work / "lock", "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = "another build is publishing in this folder; try again when it ends"
            raise ProblemsFound([Problem(f"{WORK_DIR}/lock", message=message)]) from None
        yield


def _journal(root: Path) -> Path:
    return root / WORK_DIR / "journal.json"


def recover(root: Path) -> str | None:
    """Finish or clean up an interrupted publish. Call with the lock held.

    Returns a sentence describing what was done, or None if there was nothing to do.
    """
    work = root / WORK_DIR
    journal = _journal(root)
    new, old = work / "new", work / "old"
    done = None
    if journal.exists():
        entries = json.loads(journal.read_text(encoding="utf-8"))["entries"]
        for entry in entries:
            staged, target, backup = new / entry, root / entry, old / entry
            if not staged.exists():
                continue
            if target.exists() and not backup.exists():
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        journal.unlink()
        _fsync_dir(work)
        done = "completed an interrupted publish from its journal"
    for leftover in (new, old):
        if leftover.exists():
            shutil.rmtree(leftover)
            done = done or "removed the staging files of an interrupted build"
    return done


def publish(root: Path, files: Files) -> list[str]:
    """Replace the published entries with ``files``, atomically as seen after any crash.

    Returns notes (e.g. that an earlier interrupted publish was finished first).
    """
    notes = []
    with publish_lock(root):
        recovered = recover(root)
        if recovered:
            notes.append(recovered)
        work = root / WORK_DIR
        new = work / "new"
        entries = sorted({_entry_of(p) for p in files} | set(ENTRIES))
        for relative, content in sorted(files.items()):
            _write_file(new / relative, content)
        for entry in entries:
            (new / entry).parent.mkdir(parents=True, exist_ok=True)
            if entry in (DATA_DIR, SCHEMAS_DIR):
                (new / entry).mkdir(exist_ok=True)
        _fsync_dir(new)
        tmp = work / "journal.json.tmp"
        _write_file(tmp, json.dumps({"entries": entries}).encode())
        os.replace(tmp, _journal(root))
        _fsync_dir(work)
        recover(root)
    return notes


def differences(root: Path, files: Files) -> list[str]:
    """Published paths that differ from ``files``: changed, missing, or not produced by the build."""
    changed = []
    for relative, content in sorted(files.items()):
        path = root / relative
        try:
            if path.read_bytes() != content:
                changed.append(f"{relative} (differs)")
        except FileNotFoundError:
            changed.append(f"{relative} (missing)")
    for folder in (DATA_DIR, SCHEMAS_DIR):
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                relative = path.relative_to(root).as_posix()
                if path.is_file() and relative not in files:
                    changed.append(f"{relative} (not produced by the build)")
    return changed
