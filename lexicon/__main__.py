"""``python -m lexicon``: see lexicon/cli.py."""

import sys

from .cli import main

sys.exit(main())
