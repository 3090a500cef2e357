"""Text rules shared by the models, the validator and whatever prints, in a module light enough for all."""

FORMULA_PREFIXES = frozenset("=+-@\t\r")
"""A CSV cell starting with one of these is run as a formula by spreadsheet programs.
We refuse such text at build time rather than alter it: a published value is always
exactly the value we wrote (see "Reliability" in the README)."""

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Characters shown as escapes: controls (a newline in a file name could start a fake GitHub
workflow command such as ``::error::``), format characters (bidirectional overrides that make
text display differently from what it holds), unpaired surrogates (an undecodable byte in a
file name, which no stream can print), private-use and unassigned code points, and line and
paragraph separators."""


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal or a CI log: every character above escaped.

    Plain text (the usual case) is returned as it is, so this costs one scan.
    """
    if text.isprintable() and text.isascii():
        return text
    import unicodedata

    out = []
    for char in text:
        if unicodedata.category(char) in _ESCAPED_CATEGORIES:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)
