"""``python -m ca_summit_data``: the same as the ``ca-summit-data`` command."""

import sys

from .cli import main

sys.exit(main())
