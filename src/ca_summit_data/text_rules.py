"""Text rules shared by the models and the validator, in a module light enough for both."""

FORMULA_PREFIXES = frozenset("=+-@\t\r")
"""A CSV cell starting with one of these is run as a formula by spreadsheet programs.
We refuse such text at build time rather than alter it: a published value is always
exactly the value we wrote (see "Reliability" in the README)."""
