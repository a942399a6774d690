"""`python -m qudao ...` is the `qudao` command."""

import sys

from qudao.cli import main

if __name__ == "__main__":
    sys.exit(main())
