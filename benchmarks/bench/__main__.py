"""``python -m benchmarks.bench``, from the repository root: run the benchmark."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
