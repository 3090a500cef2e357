"""The release subcommands of ``ca-summit-data``: ``diff``, ``citation``, ``site`` and ``release``.

Thin shells over ``diff.py``, ``citation.py``, ``website/`` and ``release.py``, which the
tests call directly. Exit codes as for every command: 0 ok; 1 a check failed (the
declared version is too low, a committed file drifted, a release is not ready);
2 usage or unreadable input. Never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..problems import Exit
from ..schema.text import printable
from .build import add_root


def add_parsers(sub: Any) -> None:
    """Register the release subcommands on the main parser's subparsers."""
    diff = sub.add_parser(
        "diff",
        help="compare two published packages and name the smallest version bump the changes need",
        description=(
            "Compare two published packages: schema changes (breaking or additive) and, per table, the rows "
            "added, removed and changed by primary key. OLD and NEW are each a datapackage.json, a folder "
            "holding one, or a git revision of this repository (read with 'git show', nothing is checked out)."
        ),
    )
    diff.add_argument("old", metavar="OLD", help="the baseline: path, folder or git revision (e.g. v0.1.0)")
    diff.add_argument("new", metavar="NEW", nargs="?", default=None, help="default: this checkout")
    diff.add_argument(
        "--check", action="store_true", help="exit 1 when NEW's declared version is lower than the changes need"
    )
    diff.add_argument("--json", action="store_true", help="print the result as JSON")
    add_root(diff)

    cite = sub.add_parser(
        "citation",
        help="write CITATION.cff from the package metadata",
        description="Write CITATION.cff (Citation File Format 1.2.0) from the package metadata and the repository "
        "setting; with --check, write nothing and exit 1 when the committed file differs.",
    )
    cite.add_argument("--check", action="store_true", help="write nothing; exit 1 if CITATION.cff differs")
    add_root(cite)

    site = sub.add_parser(
        "site",
        help="generate the static dataset site into site/",
        description="Generate the dataset's static site (landing page with the summit at a glance, a page per table, "
        "downloads) from the published package; it works offline. Needs the site extra: "
        "pip install 'ca-summit-data[site]'.",
    )
    add_root(site)
    site.add_argument("--out", type=Path, default=None, help="output folder (default: site/ in the checkout)")

    release = sub.add_parser(
        "release",
        help="collect the assets of a release (after 'python -m build')",
        description="Check that the tag, the changelog, the built wheel and sdist and every data file agree, then "
        "write the release's files and notes (the GitHub workflow runs this on a v* tag).",
    )
    release.add_argument("--dist", type=Path, default=Path("dist"), help="where the wheel and sdist are")
    release.add_argument("--out", type=Path, default=Path("release"), help="output folder (assets/ and notes.md)")
    release.add_argument("--tag", default=None, help="the release tag; must be v<package version>")
    add_root(release)


def _root_or_cwd(root: Path | None) -> Path:
    from ..settings import NotAProject, find_root

    try:
        return find_root(root)
    except NotAProject:
        return (root or Path.cwd()).resolve()


def cmd_diff(args: argparse.Namespace) -> int:
    from ..package import UnreadablePackage, open_package
    from ..release.diff import as_json, diff_packages, render_text

    repo = _root_or_cwd(args.root)
    try:
        old = open_package(args.old, repo)
        new = open_package(args.new, repo) if args.new is not None else open_package(str(repo), repo)
        result = diff_packages(old, new)
    except UnreadablePackage as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return Exit.USAGE
    if args.json:
        print(json.dumps(as_json(result), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(result))
    if args.check and not result.verdict.ok:
        print(printable(f"error: {result.verdict.message}"), file=sys.stderr)
        return Exit.INVALID
    return Exit.OK


def cmd_citation(args: argparse.Namespace) -> int:
    from ..fs import read_bytes, writable
    from ..release.citation import CITATION_PATH, render
    from ..settings import find_root, repository_url

    root = find_root(args.root)
    text = render(repository_url(root))
    path = writable(root, CITATION_PATH)
    if args.check:
        current = read_bytes(path, 1 << 20).decode("utf-8", "replace") if path.is_file() else None
        if current != text:
            state = "is missing" if current is None else "differs from the package metadata"
            print(f"error: {CITATION_PATH} {state} (run 'ca-summit-data citation')", file=sys.stderr)
            return Exit.INVALID
        print(f"ok: {CITATION_PATH} matches the package metadata")
        return Exit.OK
    from ..fs import write_atomic

    write_atomic(root, CITATION_PATH, text.encode("utf-8"))
    print(f"wrote {CITATION_PATH}")
    return Exit.OK


def cmd_site(args: argparse.Namespace) -> int:
    from ..fs import writable
    from ..settings import find_root
    from ..website import SiteError, build_site

    root = find_root(args.root)
    out = args.out if args.out is not None else writable(root, "site")
    try:
        result = build_site(root, out.resolve())
    except SiteError as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return Exit.USAGE
    print(f"wrote {len(result.pages)} pages and {len(result.files) - len(result.pages)} other files to {result.out}")
    print(f"open {result.out / 'index.html'}")
    return Exit.OK


def cmd_release(args: argparse.Namespace) -> int:
    from ..package import UnreadablePackage
    from ..release import ReleaseProblem, release_assets
    from ..settings import find_root

    root = find_root(args.root)
    try:
        written = release_assets(root, args.dist, args.out, args.tag)
    except (ReleaseProblem, UnreadablePackage) as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return Exit.INVALID
    for path in written:
        print(path)
    return Exit.OK


COMMANDS = {"diff": cmd_diff, "citation": cmd_citation, "site": cmd_site, "release": cmd_release}
