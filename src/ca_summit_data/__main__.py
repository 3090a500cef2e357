"""``python -m ca_summit_data``: the same as the ``ca-summit-data`` command."""

from .cli import run

run()
