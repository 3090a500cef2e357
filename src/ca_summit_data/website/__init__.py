"""The dataset site: a static folder of HTML pages made from the published package.

``build_site(root, out)`` writes a landing page (what the dataset is, the summit at a
glance as an inline SVG figure, tables, downloads with sizes and hashes, how to cite,
how to load), one page per table (its data dictionary and its rows), one local
stylesheet and a copy of every downloadable file. Nothing is loaded from anywhere else:
the folder works from the file system, offline. Rendering uses Jinja2 templates (the
``site`` extra) with autoescaping, so no value from the data can become markup.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import metadata
from ..package import Package, UnreadablePackage, from_folder
from ..release import citation

MARKER = ".ca-summit-data-site"
"""A file in every generated site, so a rebuild only ever replaces a folder it made."""

FIGURE_TABLES = (
    "summits",
    "participations",
    "bilateral_meetings",
    "priority_areas",
    "initiatives",
    "financial_targets",
)


class SiteError(Exception):
    """The site cannot be generated; the message says why."""


@dataclass(frozen=True)
class SiteResult:
    out: Path
    pages: tuple[str, ...]
    files: tuple[str, ...]


SITE_EXTRA_HINT = "pip install 'ca-summit-data[site]'"
SITE_MODULES = ("jinja2", "markupsafe")
"""What the ``site`` extra brings: Jinja2 and MarkupSafe, which Jinja2 depends on and the site uses itself."""


def require_site_extra() -> None:
    """Fail with the install hint, not an internal error, when the optional ``site`` extra is missing.

    Checked before anything imports either module, so no code path of the site can reach a bare
    ``ModuleNotFoundError``.
    """
    import importlib

    for module in SITE_MODULES:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            missing = getattr(exc, "name", None) or module  # jinja2 itself fails when markupsafe is missing
            raise SiteError(f"the site needs {missing}, part of the site extra: {SITE_EXTRA_HINT}") from exc


def _environment() -> Any:
    require_site_extra()
    import jinja2

    from .pages import human_size

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["human_size"] = human_size
    env.filters["breakable"] = breakable
    return env


def breakable(text: object) -> Any:
    """Escaped text with a line-break opportunity after each ``_``, ``.`` and ``/``.

    A long identifier (``bilateral_meetings.takaichi_emomali_rahmon_1``) or URL then wraps at its
    parts instead of making its table wider than the page. ``<wbr>`` adds no character: copying the
    text gives the value as published.
    """
    from markupsafe import Markup, escape

    return Markup(re.sub(r"([_./])", r"\1<wbr>", str(escape(text))))


def _script_json(data: object) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no HTML comment openers)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _check_files(package: Package) -> None:
    for resource in package.resources():
        if package.mismatches(resource) or "hash" not in resource or "bytes" not in resource:
            raise SiteError(f"{resource['path']} differs from datapackage.json: run 'ca-summit-data build' first")


def render_site(root: Path) -> dict[str, bytes]:
    """Every file of the site, by path relative to the site folder."""
    require_site_extra()
    from markupsafe import Markup

    from ..release import data_zip_name, package_paths, package_zip, wheel_name
    from ..release.jsonld import dataset_jsonld
    from ..settings import repository_url
    from .facts import summit_facts
    from .figure import summit_figure
    from .pages import downloads, snippets, table_page

    env = _environment()
    try:
        package = from_folder(root)
        _check_files(package)
        repository = repository_url(root)
        cff = citation.render(repository)
        data_paths = [str(r["path"]) for r in package.resources()]
        files: dict[str, bytes] = {p: package.read(p) for p in data_paths}
        files["datapackage.json"] = (root / "datapackage.json").read_bytes()
        files[citation.CITATION_PATH] = cff.encode("utf-8")
        schema_paths = [p for p in package_paths(root, data_paths) if p.startswith("schemas/")]
        for path in schema_paths:
            files[path] = (root / path).read_bytes()
        zip_name = data_zip_name(package.version)
        files[zip_name] = package_zip({p: files[p] for p in package_paths(root, data_paths)})
        extra = {p: files[p] for p in ("datapackage.json", citation.CITATION_PATH, zip_name)}
        tables = [table_page(package, name) for name in package.table_names()]
        facts = summit_facts(package)
        jsonld = dataset_jsonld(package, repository, extra)
        all_downloads = downloads(package, {**extra, **{p: files[p] for p in schema_paths}})
        sources = package.rows("sources")[1]
    except UnreadablePackage as exc:
        raise SiteError(str(exc)) from exc
    licences = package.descriptor.get("licenses") or [metadata.DATA_LICENSE]
    creators = ", ".join(a["name"] for a in citation.citation(repository)["authors"])
    citation_text = (
        f"{creators}. {package.descriptor.get('title', metadata.TITLE)} (version {package.version}) [Data set]. "
        f"{licences[0].get('name')}." + (f" {repository}" if repository else "")
    )
    common: dict[str, Any] = {
        "title": str(package.descriptor.get("title", metadata.TITLE)),
        "description": str(package.descriptor.get("description", metadata.DESCRIPTION)),
        "version": package.version,
        "licence": licences[0],
        "tables": tables,
    }
    pages: dict[str, str] = {
        "index.html": env.get_template("index.html.j2").render(
            **common,
            prefix="",
            current="",
            jsonld=Markup(_script_json(jsonld)),
            figure=Markup(summit_figure(facts)),
            figure_tables=[t for t in FIGURE_TABLES if t in package.table_names()],
            facts=facts,
            table_count=len(tables),
            row_count=sum(len(t.rows) for t in tables),
            sources=sources,
            downloads=all_downloads,
            citation_text=citation_text,
            cff=cff,
            snippets=snippets(package),
            wheel=wheel_name(package.version),
        )
    }
    for page in tables:
        pages[f"tables/{page.name}.html"] = env.get_template("table.html.j2").render(
            **common, prefix="../", current=page.name, page=page
        )
    out = {path: text.encode("utf-8") for path, text in pages.items()}
    out["assets/site.css"] = (Path(__file__).parent / "static" / "site.css").read_bytes()
    out.update(files)
    out[MARKER] = b"generated by ca-summit-data site; the whole folder is replaced by the next build\n"
    return out


DIR_MODE, FILE_MODE = 0o755, 0o644
"""A site is served by a web server that usually runs as another user: everyone may read it, only we write."""


def _write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` under ``folder`` with the modes above, whatever the umask and ``mkdtemp``'s 0700 say."""
    folder.chmod(DIR_MODE)
    for relative, content in sorted(files.items()):
        target = folder / relative
        for parent in reversed(target.relative_to(folder).parents[:-1]):
            (folder / parent).mkdir(exist_ok=True)
            (folder / parent).chmod(DIR_MODE)
        target.write_bytes(content)
        target.chmod(FILE_MODE)


def build_site(root: Path, out: Path) -> SiteResult:
    """Render the site and put it at ``out``, replacing an earlier generated site there (and nothing else)."""
    files = render_site(root)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise SiteError(f"{out} exists and is not a site made by ca-summit-data; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    try:
        _write_tree(staging, files)
        old = None
        if out.exists():
            old = out.with_name(f"{staging.name}-old")
            os.replace(out, old)
        os.replace(staging, out)
        if old is not None:
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    pages = tuple(sorted(p for p in files if p.endswith(".html")))
    return SiteResult(out, pages, tuple(sorted(files)))
