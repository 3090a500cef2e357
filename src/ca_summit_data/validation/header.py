"""The header row against the schema's fields, paired by position as frictionless pairs them.

Each label meets the field at its position: a blank label, a label seen before, or a
label that is not the field's name is reported at row 1. Labels beyond the schema are
extra columns (kept, unchecked, as frictionless keeps them); fields beyond the labels
are missing columns and are not checked at all. A key (primary or foreign) whose
fields are not all present is not checked either, again as in frictionless.

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

