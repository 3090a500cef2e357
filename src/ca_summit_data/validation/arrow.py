"""pyarrow.compute for the validator, typed loosely.

Every check chains compute functions whose results (array, chunked array or scalar)
depend on their inputs at run time; pyarrow's stubs cannot follow that and reject
correct code. The validator's own functions are fully typed; calls into
``pyarrow.compute`` go through this one ``Any``-typed handle instead of a ``type:
ignore`` on every line.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow.compute as _compute

pc: Any = _compute


def open_native(path: Path) -> Any:
    """A pyarrow native file opened from the path's bytes.

    A name pyarrow cannot encode (an undecodable byte in it) still opens, and pyarrow,
    given a file rather than a name, never guesses a compression from the name: a
    compressed file is not expanded silently.
    """
    import pyarrow

    native: Any = pyarrow.OSFile
    return native(os.fsencode(path), "r")
