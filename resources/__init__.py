"""Packaged data for Sinoru (installed as the ``sinoru_resources`` package)."""
