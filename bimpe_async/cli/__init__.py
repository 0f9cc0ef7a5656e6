"""The ``bimpe`` command line: the emulator, listings, a live tail and resumable exports.

It is an optional extra (``pip install 'bimpe-async[cli]'``) built on typer and rich.
This module imports neither, so ``import bimpe_async`` never needs them and the
``bimpe`` script can say what to install instead of failing with an ImportError.
"""

from __future__ import annotations

import sys

INSTALL_HINT = "bimpe: the command line needs an extra: pip install 'bimpe-async[cli]'"

EXTRA_PACKAGES = frozenset({"typer", "rich"})


def main() -> None:
    """The ``bimpe`` console script."""
    try:
        from .app import app
    except ModuleNotFoundError as error:
        if (error.name or "").partition(".")[0] not in EXTRA_PACKAGES:
            raise
        sys.exit(INSTALL_HINT)
    app(prog_name="bimpe")
