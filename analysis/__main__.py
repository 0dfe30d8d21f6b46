"""``python -m analysis`` runs the ``sinoru`` command line."""
import sys

from analysis.cli import main

# Guarded: worker processes (spawn) import this module again and must not run the command.
if __name__ == "__main__":
    sys.exit(main())
