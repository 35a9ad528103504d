"""``python -m partnership_health.cli``: the command line."""

import sys

from .program import main

sys.exit(main())
