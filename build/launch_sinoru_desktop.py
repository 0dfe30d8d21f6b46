"""Entry point that PyInstaller freezes: the same ``main`` as the ``sinoru-desktop`` script."""
import sys

from sinoru_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
