"""Qudao benchmarks: each module runs as `qudao bench NAME` (`python -m bench.NAME` in the checkout)."""
