"""Sizes and hashes: does each file match what ``datapackage.json`` declares?

This is the whole of ``ca-summit-data verify`` (for people who download the files
rather than install the package), and one check of ``validate``. Files are hashed in
1 MiB chunks, so memory does not grow with them; ``hashlib`` releases the GIL on large
chunks, so ``validate`` hashes in a thread while it parses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import fs
from .findings import Finding
from .inputs import DeclaredFile, read_json, shown_path

CHUNK = 1 << 20
ALGORITHMS = ("md5", "sha1", "sha256", "sha512")


def parse_hash(declared: str) -> tuple[str, str] | None:
    """``"sha256:abc…"`` -> ("sha256", "abc…"); a bare hex digest is MD5, as in the Data Package spec."""
    algorithm, _, digest = declared.rpartition(":")
    algorithm = algorithm.lower() or "md5"
    if algorithm not in ALGORITHMS or not digest:
        return None
    return algorithm, digest.lower()


def check_file(item: DeclaredFile) -> list[Finding]:
    """Findings for one declared file: missing, unreadable, wrong size, wrong hash."""
    parsed = parse_hash(item.hash) if item.hash is not None else None
    if item.hash is not None and parsed is None:
        return [Finding(item.shown, "hash", f"the declared hash {item.hash!r} names no algorithm we know",
                        expected=f"one of {', '.join(ALGORITHMS)}, as 'algorithm:hex'")]
    digest = hashlib.new(parsed[0]) if parsed is not None else None
    size = 0
    try:
        with fs.open_regular(item.path) as handle:
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                if digest is not None:
                    digest.update(chunk)
    except FileNotFoundError:
        return [Finding(item.shown, "missing-file", f"the file is missing (declared in {item.descriptor})",
                        expected="the file, as downloaded")]
    except OSError as exc:
        return [Finding(item.shown, "unreadable", f"cannot read the file: {exc.strerror or exc}")]
    except fs.UnsafePath as exc:
        return [Finding(item.shown, "unreadable", f"cannot read the file: {exc}")]
    found: list[Finding] = []
    if item.bytes is not None and size != item.bytes:
        found.append(Finding(item.shown, "bytes", "the file's size differs from the declared size", value=str(size),
                             expected=f"{item.bytes} bytes, as {item.descriptor} declares"))
    if parsed is not None and digest is not None and digest.hexdigest() != parsed[1]:
        found.append(Finding(item.shown, "hash", f"the file's {parsed[0]} differs from the declared one",
                             value=digest.hexdigest(), expected=f"{parsed[1]}, as {item.descriptor} declares"))
    return found


def declared_files(descriptor: Path) -> tuple[list[DeclaredFile], list[Finding]]:
    """Every file a descriptor declares a size or hash for; problems reading the descriptor as findings.

    A resource that declares neither is not a problem of the download: it is skipped
    (and ``verify`` says so in a note).
    """
    shown = shown_path(descriptor)
    try:
        fs.readable(descriptor.absolute().parent, descriptor)
        data = read_json(descriptor, "descriptor")
    except FileNotFoundError:
        return [], [Finding(shown, "unreadable", "no such file")]
    except OSError as exc:
        return [], [Finding(shown, "unreadable", f"cannot read the descriptor: {exc.strerror or exc}")]
    except fs.UnsafePath as exc:
        return [], [Finding(shown, "unreadable", f"cannot read the descriptor: {exc}")]
    except ValueError as exc:
        return [], [Finding(shown, "unreadable", str(exc))]
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        return [], [Finding(shown, "unreadable", "the descriptor has no list of resources")]
    from .inputs import inside

    files: list[DeclaredFile] = []
    problems: list[Finding] = []
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict) or "path" not in resource:
            continue
        path, why = inside(resource["path"], descriptor.parent)
        if path is None:
            problems.append(Finding(shown, "unsupported", f"resource {index + 1}: path {resource['path']!r} {why}"))
            continue
        size = resource.get("bytes")
        digest = resource.get("hash")
        if size is None and digest is None:
            continue
        files.append(DeclaredFile(path, shown_path(path), size if isinstance(size, int) else None,
                                  digest if isinstance(digest, str) else None, shown))
    return files, problems
