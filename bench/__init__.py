"""Benchmarks: `python -m bench.NAME` from the repository root prints figures (make bench, bench-kind, bench-features)."""
