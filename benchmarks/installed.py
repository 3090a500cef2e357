"""Bytecode for the code the benchmarks time, written once, as ``pip install`` writes it.

Why: pip compiles a package's modules when it installs it, so every peer starts from
bytecode. Our package, installed editable for development, and the peers' shared module
(``peers/common.py``) are compiled on first import only where Python may write bytecode.
With ``PYTHONDONTWRITEBYTECODE`` set, as on the machine the README's figures come from,
each timed run of ours compiled our sources again: about 0.07 s a run that no installed
copy pays. The benchmarks that time whole processes call this first.
"""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_timed_code() -> None:
    """Write the bytecode of ``ca_summit_data`` and of ``benchmarks/peers`` (``compileall`` writes it regardless)."""
    import ca_summit_data

    for folder in (Path(ca_summit_data.__file__).resolve().parent, Path(__file__).resolve().parent / "peers"):
        compileall.compile_dir(folder, quiet=1)
