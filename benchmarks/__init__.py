"""Benchmarks: one module per engine or hot path. Run all with ``make bench``."""
