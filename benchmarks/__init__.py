"""Benchmarks of twinlac: `python -m benchmarks all --size 10k|100k|1m` runs them all (see suite.py)."""
