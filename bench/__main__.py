"""`python -m bench`: the one runner over every benchmark (bench/run.py)."""

import sys

from bench.run import main

sys.exit(main())
