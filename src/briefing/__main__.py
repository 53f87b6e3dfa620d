"""``python -m briefing``: the same as the ``briefing`` command (see :mod:`briefing.cli.main`)."""

import sys

from briefing.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
