"""Sub-commands of the ``sinoru`` command line (one module each: register + run)."""
