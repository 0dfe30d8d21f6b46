"""Benchmarks that print figures (run from the project root: python -m benchmarks.<name>)."""
