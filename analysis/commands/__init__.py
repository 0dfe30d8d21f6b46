"""Sub-commands of the ``sinoru`` CLI: each module has ``register`` and ``run``."""
