"""``python -m partnership_health.cli``: the command line."""

import sys

from . import main

sys.exit(main())
