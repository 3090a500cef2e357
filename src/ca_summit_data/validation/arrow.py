"""pyarrow.compute for the validator, typed loosely.

Every check chains compute functions whose results (array, chunked array or scalar)
depend on their inputs at run time; pyarrow's stubs cannot follow that and reject
correct code. The validator's own functions are fully typed; calls into
``pyarrow.compute`` go through this one ``Any``-typed handle instead of a ``type:
ignore`` on every line.
"""

from __future__ import annotations

from typing import Any

import pyarrow.compute as _compute

pc: Any = _compute
