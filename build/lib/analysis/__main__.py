"""``python -m analysis`` runs the ``sinoru`` command line."""
import sys

from analysis.cli import main

sys.exit(main())
