"""The header row against the schema's fields, paired as the schema's ``fieldsMatch`` says.

With ``exact`` (the default) each label meets the field at its position: a blank label, a label seen before, or a
label that is not the field's name is reported at row 1. Labels beyond the schema are
extra columns (kept, unchecked, as frictionless keeps them); fields beyond the labels
are missing columns and are not checked at all. A key (primary or foreign) whose
fields are not all present is not checked either, again as in frictionless.

The other modes pair columns with fields by name: ``equal`` wants the same names in any
order, ``subset`` every field and maybe more columns, ``superset`` no column that is not
a field (but maybe fewer), ``partial`` at least one field. A column no field is paired
with is kept unchecked (type ``any``).

Labels and names are compared with their case, unless the dialect says
``caseSensitiveHeader: false`` (CSV Dialect 1.x: "indicates that case in the header is
meaningful"; frictionless does not read it). A file without a header has no labels: its
columns are the schema's fields, in order.
"""

from __future__ import annotations

from ..schema.tableschema import FieldSpec, TableSpec
from .findings import Finding, Findings


def pair_fields(spec: TableSpec, labels: list[str], file: str, sink: Findings, *,
                case_sensitive: bool = True) -> list[FieldSpec]:
    """The field each column of the file is checked as; reports every header problem."""
    if spec.fields_match != "exact":
        if not case_sensitive:  # a label that is a field's name but for case is that name
            names = {f.name.casefold(): f.name for f in spec.fields}
            labels = [names.get(label.casefold(), label) for label in labels]
        return _by_name(spec, labels, file, sink)
    if not case_sensitive:  # a label that is its field's name but for case is that name
        labels = [f.name if i < len(spec.fields) and label.casefold() == (f := spec.fields[i]).name.casefold()
                  else label for i, label in enumerate(labels)]
    paired: list[FieldSpec] = []
    for position, label in enumerate(labels, start=1):
        if position > len(spec.fields):
            sink.add(Finding(file, "extra-label", "a column the schema does not have", 1, label or None, position,
                             label, f"at most {len(spec.fields)} columns"))
            paired.append(FieldSpec(name=label or f"column {position}", type="any"))
            continue
        field = spec.fields[position - 1]
        paired.append(field)
        if not label:
            sink.add(Finding(file, "blank-label", "the column has no name", 1, field.name, position, label,
                             f"the name {field.name!r}"))
        elif label in labels[: position - 1]:
            first = labels.index(label) + 1
            sink.add(Finding(file, "duplicate-label", f"the same name as column {first}", 1, field.name, position,
                             label, f"the name {field.name!r}"))
        elif label != field.name:
            sink.add(Finding(file, "incorrect-label", "the column's name is not the schema's", 1, field.name,
                             position, label, f"the name {field.name!r}"))
    for position, field in enumerate(spec.fields[len(labels):], start=len(labels) + 1):
        sink.add(Finding(file, "missing-label", "a column of the schema is missing", 1, field.name, position, None,
                         f"a column named {field.name!r}"))
    return paired


def _by_name(spec: TableSpec, labels: list[str], file: str, sink: Findings) -> list[FieldSpec]:
    mode = spec.fields_match
    by_name = {f.name: f for f in spec.fields}
    paired: list[FieldSpec] = []
    seen: set[str] = set()
    for position, label in enumerate(labels, start=1):
        name = label or f"column {position}"
        field = by_name.get(label) if label not in seen else None
        if not label:
            sink.add(Finding(file, "blank-label", "the column has no name", 1, None, position, label,
                             "a column name"))
        elif label in seen:
            first = labels.index(label) + 1
            sink.add(Finding(file, "duplicate-label", f"the same name as column {first}", 1, label, position,
                             label, "a name no other column has"))
        elif field is None and mode in ("equal", "superset"):
            sink.add(Finding(file, "extra-label", f"a column the schema does not have (fieldsMatch {mode})", 1,
                             label, position, label, "only the schema's fields"))
        seen.add(label)
        paired.append(field if field is not None else FieldSpec(name=name, type="any"))
    absent = [f for f in spec.fields if f.name not in seen]
    if mode in ("equal", "subset"):
        for field in absent:
            sink.add(Finding(file, "missing-label", f"a column of the schema is missing (fieldsMatch {mode})", 1,
                             field.name, None, None, f"a column named {field.name!r}"))
    if mode == "partial" and len(absent) == len(spec.fields):
        sink.add(Finding(file, "missing-label", "no column of the file is a field of the schema (fieldsMatch "
                         "partial)", 1, None, None, None, "at least one of: " + ", ".join(by_name)))
    return paired
