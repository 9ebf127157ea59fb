"""`python -m jobinventory.cli`: the command line (as `python -m jobinventory`)."""
import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
