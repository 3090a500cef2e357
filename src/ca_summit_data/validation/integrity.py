"""Sizes and hashes: does each file match what ``datapackage.json`` declares?

This is the whole of ``ca-summit-data verify`` (for people who download the files
rather than install the package), and one check of ``validate``; the check itself is
``package.check_file`` (streamed, so memory does not grow with the files).
"""

from __future__ import annotations

from pathlib import Path

from .. import package
from .findings import Finding
from .inputs import DeclaredFile, shown_path

_CODES = {"missing": "missing-file", "unreadable": "unreadable", "bytes": "bytes", "hash": "hash"}


def check_file(item: DeclaredFile) -> list[Finding]:
    """Findings for one declared file: missing, unreadable, wrong size, wrong hash (``package.check_file``)."""
    found = []
    for mismatch in package.check_file(item.path, item.bytes, item.hash, item.more):
        message, expected = mismatch.message, mismatch.expected
        if mismatch.kind == "missing":
            message, expected = f"{message} (declared in {item.descriptor})", "the file, as downloaded"
        elif mismatch.kind in ("bytes", "hash") and expected is not None and mismatch.found is not None:
            expected = f"{expected}, as {item.descriptor} declares"
        found.append(Finding(item.shown, _CODES[mismatch.kind], message, value=mismatch.found, expected=expected))
    return found


def declared_files(descriptor: Path) -> tuple[list[DeclaredFile], list[Finding]]:
    """Every file a descriptor declares a size or hash for; problems reading the descriptor as findings.

    A resource that declares neither is not a problem of the download: it is skipped
    (and ``verify`` says so in a note).
    """
    shown = shown_path(descriptor)
    try:
        data = package.read_descriptor(descriptor)
    except FileNotFoundError:
        return [], [Finding(shown, "unreadable", "no such file")]
    except package.UnreadablePackage as exc:
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
        paths = resource["path"] if isinstance(resource["path"], list) and resource["path"] else [resource["path"]]
        found = [inside(relative, descriptor.parent) for relative in paths]
        refused = next(((relative, why) for relative, (p, why) in zip(paths, found, strict=True) if p is None), None)
        if refused is not None:
            problems.append(Finding(shown, "unsupported", f"resource {index + 1}: path {refused[0]!r} {refused[1]}"))
            continue
        parts = [p for p, _ in found if p is not None]
        size = resource.get("bytes")
        digest = resource.get("hash")
        if size is None and digest is None:
            continue
        files.append(DeclaredFile(parts[0], " + ".join(shown_path(p) for p in parts),
                                  size if isinstance(size, int) else None, digest if isinstance(digest, str) else None,
                                  shown, tuple(parts[1:])))
    return files, problems
