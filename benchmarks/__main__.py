"""`python -m benchmarks`: run every benchmark and write benchmarks/RESULTS.md (see run.py)."""
import sys

from .run import main

sys.exit(main())
