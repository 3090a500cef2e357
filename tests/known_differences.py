"""Every case where our validator and ``frictionless validate`` (5.21) give different verdicts, in one place.

Each entry names a case of the parity suites (``test_tableschema_types.py`` for field types and
constraints, ``test_tableschema_inputs.py`` for dialects, encodings and package inputs) and says, in the
words of the Table Schema / Table Dialect specification, why the verdict we give is the spec's. The suites
assert our verdict and that frictionless still gives the other one, so an entry whose difference has gone
fails until it is removed. ``tests/test_docs.py`` checks that docs/validating.md names the same count.
"""

from __future__ import annotations

TYPE_DIFFERENCES: dict[str, str] = {
    "integer with an underscore": 'integer: "Integer values are indicated in the standard way for any valid integer" '
                                  "(decimal digits and a sign); frictionless reads it with Python's int(), which "
                                  "takes 1_000",
    "date without zero padding": 'date: "The lexical representation MUST be yyyy-mm-dd"; frictionless reads the '
                                 "default with strptime('%Y-%m-%d'), which takes 2025-1-5",
    "number Infinity": 'number: "The following special string values are permitted (case need not be respected): '
                       'NaN … INF … -INF"; frictionless reads with Python\'s Decimal, which also takes "Infinity"',
    "integer groupChar": 'integer: "groupChar: A string whose value is used to group digits within the integer"; '
                         "frictionless 5 reads groupChar for numbers only",
    "datetime with a space": 'datetime: "The lexical representation MUST be in a form defined by XML Schema" '
                             "(a T between date and time); frictionless's isoparse takes any separator",
    "duration with a bare T": 'duration: "the ISO 8601 extended format PnYnMnDTnHnMnS" as XML Schema defines it, '
                              "where T must be followed by a time element; frictionless's isodate reads PT as zero",
    "topojson of a bare geometry": 'geojson topojson: "A topojson object as per the TopoJSON spec", whose root is '
                                   "a Topology with its objects and arcs; frictionless's profile takes a lone geometry",
    "year with more digits": 'year: "A calendar year as per XMLSchema gYear" (four or more digits); frictionless '
                             "takes exactly four characters",
    "yearmonth with a one-digit month": 'yearmonth: "Usual lexical representation is: YYYY-MM" (XMLSchema '
                                        "gYearMonth, two-digit month); frictionless splits on '-' and takes any int",
    "duration in weeks": 'duration: "the lexical representation for duration is the ISO 8601 extended format '
                         'PnYnMnDTnHnMnS" (XML Schema has no weeks); frictionless\'s isodate takes P2W',
    "duration maximum": 'maximum: "Fields: integer, number, date, time, datetime, duration, year, yearmonth"; '
                        "frictionless 5 supports no bound on durations and refuses the schema",
    "duration maximum exceeded": "as for duration maximum: PT25H is more than P1D (P1D is 86,400 seconds in XML "
                                 "Schema's value space)",
    "duration minimum": "as for duration maximum: P32D is more than P1M from every reference date",
    "duration minimum, not ordered": 'minimum "checks whether a field value is greater than or equal to the '
                                     'specified value": XML Schema orders P30D and P1M neither way, so P30D is not '
                                     ">= P1M; frictionless refuses the schema",
    "uuid without hyphens": 'string uuid: "A string that is a uuid" (RFC 4122\'s string form, with hyphens); '
                            "frictionless's validators.uuid takes 32 bare hex digits",
    "binary with a stray character": 'string binary: "A base64 encoded string representing binary data"; '
                                     "frictionless's b64decode drops characters outside the alphabet",
    "geopoint array of strings": 'geopoint array: "a JSON array … of exactly two items, where each item is a '
                                 'number"; frictionless takes strings that Decimal reads',
    "required on the field": ("a field's own required: true, the v2 form our issue of Table Schema support lists "
                              "beside constraints.required, is read as that constraint; frictionless 5 refuses the "
                              "schema (it wants constraints.required), so it gives no row a verdict"),
    "enum on a list": 'enum: "Fields: all"; frictionless 5 refuses enum on list fields',
    "enum on a list, not a member": 'enum: "The value of the field MUST exactly match one of the values in the enum '
                                    'array" (a list is ordered); frictionless refuses the schema',
    "jsonSchema on an object": 'jsonSchema: "A valid JSON Schema object to validate field values" (Fields: array, '
                               "object); frictionless 5 does not support the constraint",
    "jsonSchema on an array, broken": "as for jsonSchema on an object",
    "categories": 'categories: "The logical representation of data in the field MUST exactly match one of the '
                  'values in categories"; frictionless 5 does not check categories',
    "categories objects": 'categories: "(b) an array of objects, each with a unique value property"; frictionless '
                          "5 does not check categories",
    "composite primary key with a missing part": 'primaryKey: "the fields cannot be null, so their use in the '
                                                 'primary key is equivalent to adding required: true"; frictionless '
                                                 "reports only a key whose cells are all missing",
    "uniqueKeys": 'uniqueKeys: "each row has a unique set of logical values in the fields"; frictionless 5 does '
                  "not check uniqueKeys",
}

INPUT_DIFFERENCES: dict[str, str] = {
    "doubleQuote false without escapeChar": (
        "Table Dialect: doubleQuote 'controls the handling of quoteChar inside data cells. If true, two "
        "consecutive quotes are interpreted as one'; false, they are not, so the cell is not x\"y. frictionless "
        "turns doubleQuote back on whenever no escapeChar is given."
    ),
    "nullSequence in an optional field": (
        "Table Dialect: nullSequence 'specifies the null sequence, for example, \\N', and the example's 'NA' "
        "SHOULD output null; frictionless does not read nullSequence, so NA is a type error to it."
    ),
    "headerRows: a title over two columns": (
        "Table Dialect's own example: 'fruit' over 'id,name' with headerRows [1, 2] 'SHOULD output' "
        "{\"fruit id\": …, \"fruit name\": …}; frictionless joins only the cells each row has, giving 'name' "
        "for the second column."
    ),
    "caseSensitiveHeader false": (
        "CSV Dialect 1.x: caseSensitiveHeader 'indicates that case in the header is meaningful'; false says it "
        "is not, so ID and Name are the fields id and name. frictionless does not read the property."
    ),
}


assert not TYPE_DIFFERENCES.keys() & INPUT_DIFFERENCES.keys(), "a case name is used by both suites"
KNOWN_DIFFERENCES: dict[str, str] = TYPE_DIFFERENCES | INPUT_DIFFERENCES
