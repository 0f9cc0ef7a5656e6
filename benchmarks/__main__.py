"""``python -m benchmarks``: see ``benchmarks/run.py`` and ``benchmarks/README.md``."""

from .run import main

main()
