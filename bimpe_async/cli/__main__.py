"""``python -m bimpe_async.cli``: the ``bimpe`` command without the installed script."""

from __future__ import annotations

from . import main

if __name__ == "__main__":
    main()
