"""A whole run of ``validate`` or ``verify``: inputs in, one ``Report`` out.

``validate`` reads each table file once, streaming, while a worker thread hashes the
files whose size and hash a descriptor declares. Tables are read referenced-first, so
that a foreign key into a table already read (or into one of our published tables) is
checked batch by batch against its keys and nothing about it needs to be remembered;
only a key into a large table, or into a table read later (a cycle, or itself), is kept
and checked at the end. Then come the record files. ``verify`` only compares sizes and
hashes. Neither raises for bad input: everything becomes a finding.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..package import DESCRIPTOR
from .findings import Finding, Findings
from .inputs import Plan, TableInput, discover, shown_path
from .integrity import check_file, declared_files
from .keys import KeyIndex, Reference, report_missing_later
from .records import check_records
from .references import Target, referenced_keys, resolve, tables_by_name
from .report import FileSummary, Report, build_report
from .tables import TableResult, check_table

DEFAULT_MAX_ERRORS = 1000

Edge = tuple[int, int]
"""(table index, foreign key index) in a plan."""


def _positions(plan: Plan) -> dict[int, int]:
    """Each input's index in the plan, by identity (inputs are compared by identity, never field by field)."""
    return {id(item): i for i, item in enumerate(plan.tables)}


def _order(plan: Plan, targets: dict[Edge, Target]) -> list[int]:
    """Table indexes with every referenced input before the tables referring to it (cycles: as given).

    Kahn's algorithm over the foreign keys, smallest index first, so the order is stable and
    linear in the number of tables and keys.
    """
    import heapq

    index = _positions(plan)
    depends: list[set[int]] = [set() for _ in plan.tables]
    for (i, _), target in targets.items():
        if target.input is not None and target.input is not plan.tables[i]:
            depends[i].add(index[id(target.input)])
    dependents: list[list[int]] = [[] for _ in plan.tables]
    for i, needs in enumerate(depends):
        for j in needs:
            dependents[j].append(i)
    waiting = [len(needs) for needs in depends]
    ready = [i for i, n in enumerate(waiting) if n == 0]
    heapq.heapify(ready)
    order: list[int] = []
    placed = [False] * len(plan.tables)
    next_unplaced = 0
    while len(order) < len(plan.tables):
        if not ready:  # a cycle: take the first table not yet placed
            while placed[next_unplaced]:
                next_unplaced += 1
            heapq.heappush(ready, next_unplaced)
            waiting[next_unplaced] = 0
        i = heapq.heappop(ready)
        if placed[i]:
            continue
        placed[i] = True
        order.append(i)
        for k in dependents[i]:
            waiting[k] -= 1
            if waiting[k] == 0 and not placed[k]:
                heapq.heappush(ready, k)
    return order


def _needed_keys(plan: Plan, targets: dict[Edge, Target]) -> list[set[tuple[str, ...]]]:
    index = _positions(plan)
    needed: list[set[tuple[str, ...]]] = [set() for _ in plan.tables]
    for (i, j), target in targets.items():
        fk = plan.tables[i].spec.foreign_keys[j]
        if target.input is not None:
            needed[index[id(target.input)]].add(fk.reference_fields)
    return needed


def _reference(item: TableInput, j: int, target: Target) -> Reference:
    fk = item.spec.foreign_keys[j]
    shown = target.input.shown if target.input is not None else target.shown
    return Reference(fk.fields, f"{target.name} ({shown})", fk.reference_fields, None)


def _known_keys(
    plan: Plan, edge: Edge, target: Target, results: dict[int, TableResult], positions: dict[int, int]
) -> KeyIndex | None:
    """The referenced keys, if they are known by now (a table referring to itself: once it is read); else None."""
    fk = plan.tables[edge[0]].spec.foreign_keys[edge[1]]
    if target.input is None:
        assert target.path is not None
        return referenced_keys(target.path, target.name, fk.reference_fields)
    index = positions[id(target.input)]
    if index not in results:
        return None
    column = results[index].keys.get(fk.reference_fields)
    # A referenced file that could not be read, or lacks the key's columns, has no keys (as in frictionless).
    return column.index() if column is not None else KeyIndex.of([])


def _warm_up(plan: Plan) -> None:
    """Load the ISO code lists the tables will need (pycountry reads them lazily, about 40 ms) off the main path."""
    from ..schema.facets import CodeList, code_list_check

    kinds = {facet.kind for t in plan.tables for f in t.spec.fields for facet in f.facets
             if isinstance(facet, CodeList)}
    for kind in sorted(kinds):
        code_list_check(kind)("XX")


def _check_tables(plan: Plan, sink: Findings) -> list[TableResult]:
    by_name = tables_by_name(plan.tables)
    targets = {
        (i, j): resolve(item, fk, by_name)
        for i, item in enumerate(plan.tables)
        for j, fk in enumerate(item.spec.foreign_keys)
    }
    results: dict[int, TableResult] = {}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ca-summit-data-reread") as rereading:
        settling: dict[int, Future[None]] = {}

        def settle(i: int) -> None:
            pending = results[i].pending
            if i not in settling and pending is not None:
                settling[i] = rereading.submit(pending.settle)

        _check_in_order(plan, targets, results, sink, settle)
        for future in settling.values():
            future.result()
    return [results[i] for i in range(len(plan.tables))]


def _check_in_order(
    plan: Plan,
    targets: dict[Edge, Target],
    results: dict[int, TableResult],
    sink: Findings,
    settle: Callable[[int], object],
) -> None:
    """Check the tables into ``results``, referenced ones first, each foreign key as soon as its keys are known.

    A file whose checks are all done is handed to ``settle``: it is read again, for the values its
    findings wait for, in another thread while the next file is checked (see ``_settle``).
    """
    positions = _positions(plan)
    needed = _needed_keys(plan, targets)
    deferred: list[tuple[Edge, Reference]] = []
    referenced = _referenced(plan, targets, positions)
    for i in _order(plan, targets):
        item = plan.tables[i]
        immediate: list[tuple[Reference, KeyIndex]] = []
        for j, fk in enumerate(item.spec.foreign_keys):
            target = targets[(i, j)]
            if not target.found:
                sink.add(Finding(item.shown, "foreign-key", f"the foreign key ({', '.join(fk.fields)}) refers to "
                                 f"{target.name!r}, which is neither among the inputs nor one of our tables"))
                continue
            reference = _reference(item, j, target)
            known = _known_keys(plan, (i, j), target, results, positions)
            if known is not None:
                immediate.append((reference, known))
            else:
                needed[i].add(fk.fields)
                deferred.append(((i, j), reference))
        results[i] = check_table(item, needed[i], sink, immediate)
        deferred = _check_deferred(plan, targets, results, positions, deferred, sink)
        _settle(results, deferred, settle)
        _keep_what_is_needed(results, deferred, referenced)
    _check_deferred(plan, targets, results, positions, deferred, sink, at_end=True)
    _settle(results, [], settle)


def _settle(results: dict[int, TableResult], deferred: list[tuple[Edge, Reference]],
            settle: Callable[[int], object]) -> None:
    """Hand ``settle`` the files whose checks are all done: nothing more will ask for their key values.

    A file still referring to a table not yet read may have more to ask, so it waits. ``settle``
    takes each file once (later calls for the same file do nothing).
    """
    waiting = {source for (source, _), _ in deferred}
    for i, result in results.items():
        if i not in waiting and result.pending is not None:
            settle(i)


def _keep_what_is_needed(results: dict[int, TableResult], deferred: list[tuple[Edge, Reference]],
                         referenced: set[tuple[int, tuple[str, ...]]]) -> None:
    """Of the keys of the tables read so far, keep only what later checks use.

    A key other tables refer to keeps its index of distinct fingerprints (8 bytes a key), not
    each row's; a key a waiting foreign key will look up stays whole; any other is forgotten.
    So a table referring to itself holds its referring keys only until the table is read.
    """
    waiting = {(source, ref.fields) for (source, _), ref in deferred}
    for i, result in results.items():
        for fields, column in result.keys.items():
            if (i, fields) in waiting:
                continue
            if (i, fields) in referenced:
                column.index_only()
            else:
                column.release()


def _referenced(plan: Plan, targets: dict[Edge, Target], positions: dict[int, int]) -> set[tuple[int, tuple[str, ...]]]:
    """(table, fields) of every key some foreign key refers to."""
    return {(positions[id(target.input)], plan.tables[i].spec.foreign_keys[j].reference_fields)
            for (i, j), target in targets.items() if target.input is not None}


def _check_deferred(
    plan: Plan,
    targets: dict[Edge, Target],
    results: dict[int, TableResult],
    positions: dict[int, int],
    deferred: list[tuple[Edge, Reference]],
    sink: Findings,
    at_end: bool = False,
) -> list[tuple[Edge, Reference]]:
    """Check the foreign keys whose referenced keys are known by now (all, ``at_end``); return those still waiting."""
    waiting: list[tuple[Edge, Reference]] = []
    for (i, j), reference in deferred:
        values = _known_keys(plan, (i, j), targets[(i, j)], results, positions)
        if i not in results or (values is None and not at_end):
            waiting.append(((i, j), reference))
            continue
        source = results[i].keys.get(reference.fields)
        pending = results[i].pending
        if source is None or not results[i].read or pending is None:
            continue
        reference = Reference(reference.fields, reference.target_name, reference.target_fields,
                              results[i].positions.get(reference.fields[0]))
        report_missing_later(source, values if values is not None else KeyIndex.of([]),
                             plan.tables[i].shown, sink, reference, pending)
    return waiting


def validate(paths: list[Path], *, table: str | None = None, max_errors: int | None = DEFAULT_MAX_ERRORS) -> Report:
    """Check files against our schemas and models (see ``inputs`` for what a path may be)."""
    sink = Findings(limit=max_errors)
    plan = discover(paths, table, sink)
    for shown in plan.order:
        sink.register(shown)
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_warm_up, plan)
        hashed: list[Future[list[Finding]]] = [pool.submit(check_file, item) for item in plan.declared]
        results = _check_tables(plan, sink)
        for future in hashed:
            for finding in future.result():
                sink.add(finding)
    summaries = [
        FileSummary(item.shown, "table", item.spec.model_table or item.name, result.rows, 0)
        for item, result in zip(plan.tables, results, strict=True)
    ]
    for record in plan.records:
        count = check_records(record, sink)
        summaries.append(FileSummary(record.shown, "records", record.table or "ca_summit (document)", count, 0))
    listed = {s.path for s in summaries}
    summaries.extend(FileSummary(d.shown, "file", None, None, 0) for d in plan.declared if d.shown not in listed)
    summaries = [
        FileSummary(s.path, s.kind, s.table, s.rows, sink.counts.get(s.path, 0)) for s in _unique(summaries)
    ]
    return build_report("validate", sink, summaries, plan.notes)


def _unique(summaries: list[FileSummary]) -> list[FileSummary]:
    seen: set[str] = set()
    out = []
    for summary in summaries:
        if summary.path not in seen:
            seen.add(summary.path)
            out.append(summary)
    return out


def verify(path: Path | None = None, *, max_errors: int | None = DEFAULT_MAX_ERRORS) -> Report:
    """Compare every file a ``datapackage.json`` declares with its declared size and hash."""
    descriptor = Path(DESCRIPTOR) if path is None else path
    if descriptor.is_dir():
        descriptor = descriptor / DESCRIPTOR
    sink = Findings(limit=max_errors)
    files, problems = declared_files(descriptor)
    sink.register(shown_path(descriptor))
    for problem in problems:
        sink.add(problem)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for found in pool.map(check_file, files):
            for finding in found:
                sink.add(finding)
    summaries = [FileSummary(f.shown, "file", None, None, sink.counts.get(f.shown, 0)) for f in files]
    notes = [] if files or problems else [f"{shown_path(descriptor)} declares no file sizes or hashes to check"]
    return build_report("verify", sink, summaries, notes)
