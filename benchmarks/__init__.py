"""Benchmarks of ``bimpe_async`` against the peer SDK ``bimpeai`` and a raw floor.

Run them all with ``python -m benchmarks`` (see ``benchmarks/README.md``). Every
comparison is made in the same run, on the same machine, against the same server, and
reported as a ratio, because absolute times on a shared machine are noise.
"""
