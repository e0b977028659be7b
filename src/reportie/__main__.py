"""``python -m reportie`` is the ``reportie`` command."""

import sys

from .cli import main

sys.exit(main())
